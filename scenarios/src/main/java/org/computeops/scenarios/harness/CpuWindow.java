package org.computeops.scenarios.harness;

import org.computeops.orchestrators.spi.HarnessProbe;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Optional;

/**
 * The CPU the control plane (its own {@code process_cpu_seconds_total}, where its adapter's probe
 * exposes it) and this JVM used over one stretch of wall time: which side was busy when a rate was
 * not kept up, or when the harness's headroom was measured.
 */
public final class CpuWindow {

    /** What one window used; {@code serverSeconds} is empty where the control plane's CPU is not exposed. */
    public record Used(double wallSeconds, Optional<Double> serverSeconds, double clientSeconds, String serverSource) {

        /** "0.70 cores (kube-apiserver /metrics) / 0.90 cores over 12 s, on 2 cores". */
        public String text() {
            String server = serverSeconds.map(s -> String.format(Locale.ROOT, "%.2f cores (%s)", s / wallSeconds, serverSource))
                    .orElse("not exposed");
            return String.format(Locale.ROOT, "%s / %.2f cores over %.0f s, on %d cores", server, clientSeconds / wallSeconds,
                    wallSeconds, Runtime.getRuntime().availableProcessors());
        }
    }

    private final Optional<HarnessProbe> probe;
    private final Optional<HarnessProbe.ServerCpu> server;
    private final long client;
    private final long wall;

    private CpuWindow(Optional<HarnessProbe> probe) {
        this.probe = probe;
        this.server = probe.flatMap(HarnessProbe::serverCpu);
        this.client = clientCpuNanos();
        this.wall = System.nanoTime();
    }

    public static CpuWindow start(Optional<HarnessProbe> probe) {
        return new CpuWindow(probe);
    }

    public Used stop() {
        double wallS = (System.nanoTime() - wall) / 1e9;
        double clientS = (clientCpuNanos() - client) / 1e9;
        Optional<HarnessProbe.ServerCpu> now = probe.flatMap(HarnessProbe::serverCpu);
        Optional<Double> serverS = server.isPresent() && now.isPresent() ? Optional.of(now.get().seconds() - server.get().seconds()) : Optional.empty();
        return new Used(wallS, serverS, clientS, now.map(HarnessProbe.ServerCpu::source).orElse("none: the control plane's CPU is not exposed"));
    }

    private static long clientCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
