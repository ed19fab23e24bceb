package org.computeops.runtimes.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.computeops.runtimes.Procs;
import org.computeops.runtimes.spi.ContainerRuntime;
import org.computeops.runtimes.spi.IdleContainer;
import org.computeops.runtimes.spi.PreparedImage;
import org.computeops.runtimes.spi.RunResult;

/** The measurements, each on one runtime with its prepared image; plain Java, no harness. */
public final class Bench {

    private Bench() {}

    public static final Duration TIMEOUT = Duration.ofSeconds(120);

    /** Start-up samples in milliseconds (run call → first byte, run call → exit); failures are kept, not dropped. */
    public record Startup(String runtime, String mode, String command, double[] firstOutputMs, double[] exitMs, int failures,
                          String firstFailure, boolean[] ok) {
        public int n() { return exitMs.length; }
        public double p(double pct) { return Stats.nearestRank(exitMs, pct); }
        public double firstP(double pct) { return Stats.nearestRank(firstOutputMs, pct); }
    }

    /** Drops the page cache (`sync; echo 3 > /proc/sys/vm/drop_caches`); false when not permitted. */
    public static boolean dropCaches() {
        try {
            new ProcessBuilder("sync").start().waitFor();
            Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "3");
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Warm start-up: one discarded run, then {@code n} runs of {@code command} ({@link Probes#TRUE} or
     * {@link Probes#ECHO}). Cold: {@code n} runs each after dropping the page cache (the first of them is the first
     * run after preparation).
     */
    public static Startup startup(ContainerRuntime rt, PreparedImage img, int n, boolean cold, List<String> command)
            throws IOException {
        String expected = command.equals(Probes.ECHO) ? "ready" : "";
        if (!cold) rt.run(img, command, TIMEOUT);
        double[] first = new double[n];
        double[] exit = new double[n];
        boolean[] ok = new boolean[n];
        int failures = 0;
        String firstFailure = null;
        for (int i = 0; i < n; i++) {
            if (cold && !dropCaches()) throw new IOException("cannot drop the page cache (needs root)");
            RunResult r = rt.run(img, command, TIMEOUT);
            first[i] = r.firstOutputMillis();
            exit[i] = r.exitMillis();
            // udocker 1.3.17 R1 exits 1 after its payload exited 0 and says so on stderr ("<Popen: returncode: 0");
            // the payload's own exit is what start-up counts, so that run is a success
            ok[i] = (r.ok() || r.err().contains("Popen: returncode: 0")) && r.out().strip().equals(expected);
            if (!ok[i]) {
                failures++;
                if (firstFailure == null) firstFailure = r.toString();
            }
        }
        return new Startup(rt.id(), cold ? "cold" : "warm", String.join(" ", command), first, exit, failures,
                firstFailure, ok);
    }

    /** Compute-kernel seconds inside the runtime and on the bare host, interleaved (same load on both). */
    public record Compute(String runtime, double[] runtimeSeconds, double[] bareSeconds, double ratio,
                          Stats.Interval ci) {}

    public static Compute compute(ContainerRuntime rt, PreparedImage img, ContainerRuntime bare, PreparedImage bareImg,
                                  String blob, int iterations, int reps) throws IOException {
        double[] r = new double[reps];
        double[] b = new double[reps];
        for (int i = 0; i < reps; i++) {
            // alternate the order so a drift in host load does not favour one side
            if (i % 2 == 0) {
                b[i] = kernelOnce(bare, bareImg, blob, iterations);
                r[i] = kernelOnce(rt, img, blob, iterations);
            } else {
                r[i] = kernelOnce(rt, img, blob, iterations);
                b[i] = kernelOnce(bare, bareImg, blob, iterations);
            }
        }
        double ratio = Stats.median(r) / Stats.median(b);
        return new Compute(rt.id(), r, b, ratio, Stats.ratioOfMediansBootstrap(r, b, 2000, 15));
    }

    private static double kernelOnce(ContainerRuntime rt, PreparedImage img, String blob, int iterations)
            throws IOException {
        IllegalArgumentException incomplete = null;
        for (int attempt = 1; attempt <= 3; attempt++) { // udocker R1 may lose output: see timedInside
            RunResult res = rt.run(img, Probes.kernel(rt.pathInImage(img, blob), iterations), TIMEOUT);
            if (!res.ok() && res.out().isEmpty()) throw new IOException(rt.id() + " kernel failed: " + res);
            try {
                return Probes.elapsedSeconds(res.out());
            } catch (IllegalArgumentException e) {
                incomplete = e;
            }
        }
        throw new IOException(rt.id() + ": no complete clock readings in 3 attempts: " + incomplete.getMessage());
    }

    /** Memory while K idle containers run: per-container processes and the runtime's daemons (KiB). */
    public record Footprint(String runtime, int k, long containersPssKib, long containersRssKib, int processes,
                            long daemonsRssBeforeKib, long daemonsRssDuringKib, long daemonsPssDuringKib) {
        public double pssPerContainerMib() { return containersPssKib / 1024.0 / k; }
    }

    public static Footprint footprint(ContainerRuntime rt, PreparedImage img, int k) throws IOException {
        long dBefore = rt.daemonPids().stream().mapToLong(Procs::rssKib).sum();
        List<IdleContainer> idle = new ArrayList<>();
        try {
            for (int i = 0; i < k; i++) idle.add(rt.startIdle(img, "idle" + i));
            sleep(1000); // let launchers settle (udocker's Python, ch-run's squashfuse)
            Set<Long> pids = new LinkedHashSet<>();
            idle.forEach(c -> pids.addAll(c.hostPids()));
            long pss = pids.stream().mapToLong(Procs::pssKib).sum();
            long rss = pids.stream().mapToLong(Procs::rssKib).sum();
            Set<Long> daemons = rt.daemonPids();
            return new Footprint(rt.id(), k, pss, rss, pids.size(), dBefore,
                    daemons.stream().mapToLong(Procs::rssKib).sum(), daemons.stream().mapToLong(Procs::pssKib).sum());
        } finally {
            idle.forEach(IdleContainer::close);
        }
    }

    /** Reading the image's fixed file: cold (page cache dropped) and warm, MiB/s, timed inside. */
    public record FileRead(String runtime, String form, long bytes, double[] coldSeconds, double[] warmSeconds) {
        public double coldMibPerS() { return bytes / 1048576.0 / Stats.median(coldSeconds); }
        public double warmMibPerS() { return bytes / 1048576.0 / Stats.median(warmSeconds); }
    }

    public static FileRead fileRead(ContainerRuntime rt, PreparedImage img, String blob, long bytes, int reps)
            throws IOException {
        double[] cold = new double[reps];
        double[] warm = new double[reps];
        String path = rt.pathInImage(img, blob);
        for (int i = 0; i < reps; i++) {
            if (!dropCaches()) throw new IOException("cannot drop the page cache (needs root)");
            cold[i] = timedInside(rt, img, Probes.read(path));
            warm[i] = timedInside(rt, img, Probes.read(path));
        }
        return new FileRead(rt.id(), img.form().name(), bytes, cold, warm);
    }

    /**
     * Seconds between the two clock readings the command prints. udocker R1's terminal relay
     * sometimes loses part of the output (seen here): up to 3 attempts, as for the isolation probe.
     */
    static double timedInside(ContainerRuntime rt, PreparedImage img, List<String> command) throws IOException {
        IllegalArgumentException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            try {
                return Probes.elapsedSeconds(okOut(rt, rt.run(img, command, TIMEOUT)));
            } catch (IllegalArgumentException e) {
                last = e;
            }
        }
        throw new IOException(rt.id() + ": no complete clock readings in 3 attempts: " + last.getMessage());
    }

    /** One row of the isolation table (udocker R1's lost output: up to 3 attempts, counted). */
    public record Isolation(String runtime, int attempts, long uidInside, int hostUidOfPayload, String capEff, int capCount,
                            boolean hostPidsVisible, int procsVisible, boolean hostNetwork, boolean userNamespace,
                            String uidMap) {
        public boolean nonRootOnHost() { return hostUidOfPayload > 0; }
    }

    public static Isolation isolation(ContainerRuntime rt, PreparedImage img) throws IOException {
        // udocker R1 relays output through a terminal and sometimes loses part of it: up to 3 attempts, counted
        Map<String, String> kv = Map.of();
        int attempts = 0;
        String last = "";
        while (attempts < 3 && !kv.keySet().containsAll(List.of("uid", "pidns", "netns", "userns", "procs"))) {
            attempts++;
            RunResult r = rt.run(img, Probes.isolation(), TIMEOUT);
            last = r.toString();
            kv = Probes.keyValues(r.out().replace("\r", ""));
        }
        if (!kv.keySet().containsAll(List.of("uid", "pidns", "netns", "userns", "procs"))) {
            throw new IOException(rt.id() + ": incomplete isolation output after 3 attempts: " + last);
        }
        int hostUid;
        try (IdleContainer c = rt.startIdle(img, "iso")) {
            hostUid = Procs.hostUid(c.payloadPid());
        }
        String cap = kv.getOrDefault("capeff", "0");
        return new Isolation(rt.id(), attempts, Long.parseLong(kv.get("uid")), hostUid, cap, Probes.capabilityCount(cap),
                Procs.hostNamespace("pid").equals(kv.get("pidns")), Integer.parseInt(kv.get("procs")),
                Procs.hostNamespace("net").equals(kv.get("netns")),
                !Procs.hostNamespace("user").equals(kv.get("userns")), kv.getOrDefault("uidmap", ""));
    }

    /**
     * The cost of the hybrid-cgroups crun wrapper by itself: `crun --version` through the wrapper and directly,
     * n times each, interleaved; the difference of the p50s is what the wrapper adds to every crun call.
     */
    public record WrapperCost(int n, double wrappedP50Ms, double directP50Ms) {
        public double addedMs() { return wrappedP50Ms - directP50Ms; }
    }

    public static WrapperCost crunWrapperCost(java.nio.file.Path wrapper, int n) throws IOException {
        double[] w = new double[n];
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = org.computeops.runtimes.ProcessRunner.run(org.computeops.runtimes.ProcessRunner.now(),
                    List.of(wrapper.toString(), "--version"), null, null, TIMEOUT).exitMillis();
            d[i] = org.computeops.runtimes.ProcessRunner.run(org.computeops.runtimes.ProcessRunner.now(),
                    List.of("/usr/bin/crun", "--version"), null, null, TIMEOUT).exitMillis();
        }
        return new WrapperCost(n, Stats.median(w), Stats.median(d));
    }

    /** The interoperability run: the probe's exact output and exit. */
    public record Interop(String runtime, String form, boolean dockerImageUnchanged, int exitCode, String stdout,
                          String stderr) {}

    public static Interop interop(ContainerRuntime rt, PreparedImage img, String blob) throws IOException {
        RunResult r = rt.run(img, Probes.interop(rt.pathInImage(img, blob)), TIMEOUT);
        return new Interop(rt.id(), img.form().name(), img.form().dockerImageUnchanged(), r.exitCode(), r.out(), r.err());
    }

    /** The output of a probe that must have run; a runtime that exits non-zero after printing (udocker R1) is kept. */
    private static String okOut(ContainerRuntime rt, RunResult r) throws IOException {
        if (r.timedOut() || r.out().isBlank()) throw new IOException(rt.id() + ": " + r);
        return r.out();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
