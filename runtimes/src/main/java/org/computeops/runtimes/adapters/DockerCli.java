package org.computeops.runtimes.adapters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.computeops.runtimes.ProcessRunner;
import org.computeops.runtimes.Procs;
import org.computeops.runtimes.spi.Capability;
import org.computeops.runtimes.spi.IdleContainer;
import org.computeops.runtimes.spi.ImageForm;
import org.computeops.runtimes.spi.ImageSet;
import org.computeops.runtimes.spi.PreparedImage;
import org.computeops.runtimes.spi.RunResult;

/**
 * Docker Engine (dockerd → containerd → containerd-shim-runc-v2 → runc) on the host engine, through the Debian
 * `docker` CLI. The CLI and not docker-java: every other runtime here is timed through its command-line tool, so
 * the same path (process start → first byte → exit) is measured for all, and the figure includes the client a user
 * runs; docker-java would time the API only and need an attach stream for first output. The host engine is shared:
 * this adapter only creates and removes its own containers (named ctb-RUNID-...), it never reconfigures the engine.
 */
public final class DockerCli extends CliRuntime {

    static final Path CLI = Path.of("/usr/bin/docker");
    static final Path SOCK = Path.of("/var/run/docker.sock");

    public DockerCli(ImageSet images, String runId) { super(images, runId, false); }

    @Override public String id() { return "docker"; }

    @Override public String displayName() { return "Docker Engine (dockerd+containerd+runc, root)"; }

    @Override public Set<Capability> capabilities() {
        return EnumSet.of(Capability.NEEDS_ROOT, Capability.NEEDS_DAEMON, Capability.MONITOR_PER_CONTAINER,
                Capability.CGROUPS);
    }

    @Override public String gpuMechanism() {
        return "NVIDIA Container Toolkit: `--gpus` through nvidia-container-runtime-hook (CDI `--device nvidia.com/gpu=...`"
                + " needs Docker 25+, this engine is 20.10) - not measured here (no GPU)";
    }

    @Override public ImageForm imageForm() { return ImageForm.DOCKER_ENGINE_IMAGE; }

    @Override public Optional<String> whyUnavailable() {
        Optional<String> missing = super.whyUnavailable();
        if (missing.isPresent()) return missing;
        RunResult r = ProcessRunner.quiet(List.of(CLI.toString(), "info", "-f", "{{.ServerVersion}}"), null, HELPER_TIMEOUT);
        return r.ok() ? Optional.empty()
                : Optional.of("host Docker engine not answering on " + SOCK + " (infra/lib/common.sh ensure_host_dockerd): " + r.err().strip());
    }

    @Override protected List<String> versionArgv() {
        return List.of(CLI.toString(), "version", "-f", "Docker Engine {{.Server.Version}}");
    }

    @Override protected Map<Path, String> requiredFiles() {
        return Map.of(CLI, "apt-get install docker.io (infra/runtimes/install.sh)");
    }

    @Override public PreparedImage prepare(ImageSet images) throws IOException {
        long t0 = System.nanoTime();
        RunResult have = ProcessRunner.quiet(List.of(CLI.toString(), "image", "inspect", "-f", "{{.Id}}", images.imageRef()), null, HELPER_TIMEOUT);
        if (!have.ok()) {
            ProcessRunner.check(List.of(CLI.toString(), "load", "-q", "-i", images.dockerArchive().toString()), null, HELPER_TIMEOUT);
        }
        return new PreparedImage(ImageForm.DOCKER_ENGINE_IMAGE, images.imageRef(), null, secondsSince(t0));
    }

    @Override protected List<String> runArgv(PreparedImage image, String name, List<String> command) {
        List<String> a = new ArrayList<>(List.of(CLI.toString(), "run", "--rm", "--network", "none", "--name", name,
                image.reference()));
        a.addAll(command);
        return a;
    }

    @Override protected void removeContainer(String name) {
        ProcessRunner.quiet(List.of(CLI.toString(), "rm", "-f", name), null, HELPER_TIMEOUT);
    }

    @Override public IdleContainer startIdle(PreparedImage image, String name) throws IOException {
        String n = namePrefix() + name;
        ProcessRunner.check(List.of(CLI.toString(), "run", "-d", "--rm", "--network", "none", "--name", n,
                image.reference(), "sleep", "3600"), null, HELPER_TIMEOUT);
        long pid = Long.parseLong(ProcessRunner.check(List.of(CLI.toString(), "inspect", "-f", "{{.State.Pid}}", n),
                null, HELPER_TIMEOUT).strip());
        long shim = Procs.parentPid(pid);
        return new IdleContainer() {
            @Override public Set<Long> hostPids() {
                Set<Long> s = new LinkedHashSet<>(Procs.withDescendants(shim)); // the shim and the container's processes
                s.addAll(Procs.withDescendants(pid));
                return s;
            }
            @Override public long payloadPid() { return pid; }
            @Override public void close() { removeContainer(n); }
        };
    }

    /** dockerd (from its pid file) and the containerd it manages; other engines on this host are not counted. */
    @Override public Set<Long> daemonPids() {
        Set<Long> s = new LinkedHashSet<>();
        try {
            long dockerd = Long.parseLong(Files.readString(Path.of("/var/run/docker.pid")).strip());
            s.add(dockerd);
            ProcessHandle.of(dockerd).ifPresent(h -> h.children()
                    .filter(c -> Procs.comm(c.pid()).filter("containerd"::equals).isPresent())
                    .forEach(c -> s.add(c.pid())));
        } catch (IOException | NumberFormatException e) {
            return s;
        }
        return s;
    }

    @Override public void close() {
        RunResult r = ProcessRunner.quiet(List.of(CLI.toString(), "ps", "-aq", "--filter", "name=ctb-" + runId + "-"), null, HELPER_TIMEOUT);
        for (String id : r.out().split("\\s+")) if (!id.isBlank()) removeContainer(id);
    }
}
