package org.computeops.runtimes.adapters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.computeops.runtimes.ProcessRunner;
import org.computeops.runtimes.Procs;
import org.computeops.runtimes.spi.ContainerRuntime;
import org.computeops.runtimes.spi.IdleContainer;
import org.computeops.runtimes.spi.ImageSet;
import org.computeops.runtimes.spi.PreparedImage;
import org.computeops.runtimes.spi.RunResult;

/** Common parts of the adapters: each drives a runtime's command-line tool, as root or as the non-root account. */
abstract class CliRuntime implements ContainerRuntime {

    static final Duration HELPER_TIMEOUT = Duration.ofSeconds(120);

    protected final ImageSet images;
    protected final String runId;
    protected final boolean rootless;
    private final AtomicInteger seq = new AtomicInteger();
    private String version;

    CliRuntime(ImageSet images, String runId, boolean rootless) {
        this.images = images;
        this.runId = runId;
        this.rootless = rootless;
    }

    /** A unique container name carrying the run id, so cleanup finds what this run left. */
    protected String nextName() { return namePrefix() + seq.incrementAndGet(); }

    protected String namePrefix() { return "ctb-" + runId + "-" + id() + "-"; }

    /** The argv that runs {@code command} in a new container named {@code name}. */
    protected abstract List<String> runArgv(PreparedImage image, String name, List<String> command) throws IOException;

    /** The command that prints the version (first line kept). */
    protected abstract List<String> versionArgv();

    /** Binaries that must exist for this runtime, with the hint when one is missing. */
    protected abstract Map<Path, String> requiredFiles();

    @Override
    public Optional<String> whyUnavailable() {
        for (Map.Entry<Path, String> e : requiredFiles().entrySet()) {
            if (!Files.exists(e.getKey())) return Optional.of(e.getKey() + " missing: " + e.getValue());
        }
        return Optional.empty();
    }

    @Override
    public String version() {
        if (version == null) {
            RunResult r = ProcessRunner.quiet(asUser(versionArgv()), env(), HELPER_TIMEOUT);
            String text = (r.out() + r.err()).strip();
            version = text.isEmpty() ? "?" : text.lines().findFirst().orElse("?").strip();
        }
        return version;
    }

    /** Environment of the runtime's process; rootless runs get the account's USER/HOME. */
    protected Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        if (rootless) {
            env.put("USER", images.user());
            env.put("LOGNAME", images.user());
            env.put("HOME", "/var/lib/" + images.user());
        }
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        return env;
    }

    /** Prefixes setpriv for rootless adapters: an exec-only switch to the account (~1 ms, measured in the host row). */
    protected List<String> asUser(List<String> argv) {
        if (!rootless) return argv;
        List<String> a = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=" + images.uid(), "--regid=" + images.uid(),
                "--init-groups", "--"));
        a.addAll(argv);
        return a;
    }

    protected Path workDir() { return rootless ? Path.of("/tmp") : null; }

    @Override
    public RunResult run(PreparedImage image, List<String> command, Duration timeout) throws IOException {
        long t0 = ProcessRunner.now();
        String name = nextName();
        try {
            // Every run in a new session, hence its own scheduler autogroup (sched_autogroup_enabled=1 here), as
            // runc/crun/containerd/conmon/LXC give their containers anyway. Without it, on a loaded host the bare
            // host and the runtimes that keep the caller's session (Charliecloud, proot) got a smaller CPU share:
            // bare kernel 2.6-3.5 s vs 1.5-1.9 s under setsid at load 20, container/bare ratios of 0.33-0.78.
            // setsid(1) execs without a fork (a Java child is not a group leader); -w keeps the exit status.
            List<String> argv = new ArrayList<>(List.of("/usr/bin/setsid", "-w"));
            argv.addAll(asUser(runArgv(image, name, command)));
            RunResult r = ProcessRunner.run(t0, argv, env(), workDir(), timeout);
            if (r.timedOut()) removeContainer(name);
            return r;
        } finally {
            afterRun(name);
        }
    }

    /** Removes per-run files (bundles); the container itself is removed by the runtime (--rm) or removeContainer. */
    protected void afterRun(String name) {}

    /** Forcibly removes a container by name (timeouts, idle containers). */
    protected void removeContainer(String name) {}

    /**
     * Idle container for runtimes whose run command stays in the foreground: the launcher process is kept, the
     * container's processes are its descendants.
     */
    @Override
    public IdleContainer startIdle(PreparedImage image, String name) throws IOException {
        String n = namePrefix() + name;
        ProcessBuilder pb = new ProcessBuilder(asUser(runArgv(image, n, List.of("sleep", "3600"))))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env());
        if (workDir() != null) pb.directory(workDir().toFile());
        Process p = pb.start();
        long payload = waitForPayload(Set.of(p.pid()), p);
        return new IdleContainer() {
            @Override public Set<Long> hostPids() { return Procs.withDescendants(p.pid()); }
            @Override public long payloadPid() { return payload; }
            @Override public void close() {
                removeContainer(n);
                Set<Long> pids = Procs.withDescendants(p.pid());
                // The payload first, with SIGKILL: as PID 1 of a PID namespace it ignores SIGTERM, and a launcher
                // that waits for it (runc run under udocker R1) would otherwise outlive us, reparented to init.
                ProcessHandle.of(payload).ifPresent(ProcessHandle::destroyForcibly);
                try {
                    if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
                    for (long pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                afterRun(n);
            }
        };
    }

    /** Waits (up to 30 s) until a process named sleep exists under the given pids. */
    protected static long waitForPayload(Set<Long> roots, Process launcher) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            long pid = Procs.find(roots, "sleep");
            if (pid > 0) return pid;
            if (launcher != null && !launcher.isAlive()) {
                throw new IOException("idle container exited with " + launcher.exitValue());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new IOException("idle container did not start within 30 s");
    }

    protected static double secondsSince(long t0) { return (System.nanoTime() - t0) / 1e9; }

    @Override
    public String toString() { return id(); }
}
