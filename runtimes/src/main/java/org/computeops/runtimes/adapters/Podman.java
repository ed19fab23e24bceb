package org.computeops.runtimes.adapters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 * Podman as root, daemonless (conmon per container), with its own storage under the state dir so it never touches
 * another tool's. `--network none`: no bridge or NAT beside the project's. CONTAINERS_CONF sets default_ulimits
 * (root here lacks CAP_SYS_RESOURCE). The OCI runtime is crun (through the hybrid-cgroups wrapper) or runc.
 */
public final class Podman extends CliRuntime {

    static final Path CLI = Path.of("/usr/bin/podman");
    private final String ociName;

    public Podman(ImageSet images, String runId, String ociName) {
        super(images, runId, false);
        this.ociName = ociName;
    }

    private String ociPath() {
        return "crun".equals(ociName) ? images.crunWrapper().toString() : "/usr/sbin/runc";
    }

    @Override public String id() { return "podman-" + ociName; }

    @Override public String displayName() { return "Podman + " + ociName + " (conmon, root)"; }

    @Override public Set<Capability> capabilities() {
        return EnumSet.of(Capability.NEEDS_ROOT, Capability.MONITOR_PER_CONTAINER, Capability.CGROUPS);
    }

    @Override public String gpuMechanism() {
        return "CDI (`--device nvidia.com/gpu=all`, spec from `nvidia-ctk cdi generate`) or the NVIDIA OCI hook"
                + " - not measured here (no GPU)";
    }

    @Override public ImageForm imageForm() { return ImageForm.DOCKER_ARCHIVE; }

    private List<String> base() {
        Path st = images.stateDir().resolve("podman");
        return new ArrayList<>(List.of(CLI.toString(), "--root", st.resolve("storage").toString(),
                "--runroot", "/run/ctb-podman", "--storage-driver", "overlay", "--cgroup-manager", "cgroupfs",
                "--runtime", ociPath()));
    }

    @Override protected Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>(super.env());
        env.put("CONTAINERS_CONF", images.containersConf().toString());
        return env;
    }

    @Override protected List<String> versionArgv() {
        List<String> a = base();
        a.addAll(List.of("version", "-f", "podman {{.Client.Version}}"));
        return a;
    }

    @Override public String version() {
        RunResult r = ProcessRunner.quiet(List.of("crun".equals(ociName) ? "/usr/bin/crun" : "/usr/sbin/runc", "--version"), null, HELPER_TIMEOUT);
        return super.version() + ", " + r.out().lines().findFirst().orElse("?").strip();
    }

    @Override protected Map<Path, String> requiredFiles() {
        Map<Path, String> m = new LinkedHashMap<>();
        m.put(CLI, "apt-get install podman (infra/runtimes/install.sh)");
        m.put(images.containersConf(), "run infra/runtimes/install.sh");
        m.put(Path.of(ociPath()), "run infra/runtimes/install.sh");
        return m;
    }

    private String ref() {
        String r = images.imageRef();
        return r.contains("/") && r.substring(0, r.indexOf('/')).contains(".") ? r : "localhost/" + r;
    }

    @Override public PreparedImage prepare(ImageSet images) throws IOException {
        long t0 = System.nanoTime();
        // the tag may name an image loaded from an earlier prepare-image.sh (another file size): compare the ids
        List<String> inspect = base();
        inspect.addAll(List.of("image", "inspect", "--format", "{{.Id}}", ref()));
        RunResult have = ProcessRunner.quiet(inspect, env(), HELPER_TIMEOUT);
        if (!have.ok() || !sameId(have.out(), images.imageId())) {
            List<String> load = base();
            load.addAll(List.of("load", "-q", "-i", images.dockerArchive().toString()));
            ProcessRunner.check(load, env(), HELPER_TIMEOUT);
        }
        return new PreparedImage(ImageForm.DOCKER_ARCHIVE, ref(), null, secondsSince(t0));
    }

    @Override protected List<String> runArgv(PreparedImage image, String name, List<String> command) {
        List<String> a = base();
        a.addAll(List.of("run", "--rm", "--network", "none", "--name", name, image.reference()));
        a.addAll(command);
        return a;
    }

    @Override protected void removeContainer(String name) {
        List<String> a = base();
        a.addAll(List.of("rm", "-f", "-t", "0", name));
        ProcessRunner.quiet(a, env(), HELPER_TIMEOUT);
    }

    @Override public IdleContainer startIdle(PreparedImage image, String name) throws IOException {
        String n = namePrefix() + name;
        List<String> a = base();
        a.addAll(List.of("run", "-d", "--rm", "--network", "none", "--name", n, image.reference(), "sleep", "3600"));
        ProcessRunner.check(a, env(), HELPER_TIMEOUT);
        List<String> insp = base();
        insp.addAll(List.of("inspect", "--format", "{{.State.ConmonPid}} {{.State.Pid}}", n));
        String[] pids = ProcessRunner.check(insp, env(), HELPER_TIMEOUT).strip().split("\\s+");
        long conmon = Long.parseLong(pids[0]);
        long pid = Long.parseLong(pids[1]);
        return new IdleContainer() {
            @Override public Set<Long> hostPids() {
                Set<Long> s = new LinkedHashSet<>(Procs.withDescendants(conmon));
                s.addAll(Procs.withDescendants(pid));
                return s;
            }
            @Override public long payloadPid() { return pid; }
            @Override public void close() { removeContainer(n); }
        };
    }

    @Override public void close() {
        List<String> a = base();
        a.addAll(List.of("ps", "-aq", "--filter", "name=ctb-" + runId + "-"));
        RunResult r = ProcessRunner.quiet(a, env(), HELPER_TIMEOUT);
        for (String id : r.out().split("\\s+")) if (!id.isBlank()) removeContainer(id);
    }

    /** Image ids with or without the "sha256:" prefix. */
    static boolean sameId(String a, String b) {
        return a.strip().replaceFirst("^sha256:", "").equals(b.strip().replaceFirst("^sha256:", ""));
    }
}
