package org.computeops.results;

import org.computeops.orchestrators.spi.Phase;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Recomputes a reported figure from task records with the definitions of {@link Measurements}:
 * the check that summary.json says what tasks.csv shows.
 */
public final class Recompute {

    private Recompute() {
    }

    /** Prefixes of latency figures restricted to GPU or CPU-only tasks. */
    public static final String GPU_TASKS = "gpu_task_";
    public static final String CPU_TASKS = "cpu_task_";

    /** The recomputed metric, or empty when the name is not a task-derived figure. */
    public static Optional<Metric> metric(String name, List<TaskRecord> tasks, Map<String, Integer> gpusByNode) {
        if (name.startsWith(GPU_TASKS)) {
            return metric(name.substring(GPU_TASKS.length()), tasks.stream().filter(t -> t.gpus() > 0).toList(), gpusByNode)
                    .map(m -> m.renamed(GPU_TASKS + m.name()));
        }
        if (name.startsWith(CPU_TASKS)) {
            return metric(name.substring(CPU_TASKS.length()), tasks.stream().filter(t -> t.gpus() == 0).toList(), gpusByNode)
                    .map(m -> m.renamed(CPU_TASKS + m.name()));
        }
        if (name.equals(GpuPlacement.MISPLACED) || name.equals(GpuPlacement.OVERCOMMIT) || name.equals(GpuPlacement.PEAK_IN_USE)) {
            return GpuPlacement.metrics(tasks, gpusByNode).stream().filter(m -> m.name().equals(name)).findFirst();
        }
        return metric(name, tasks);
    }

    /** The recomputed metric, or empty when the name is not a task-derived figure. */
    public static Optional<Metric> metric(String name, List<TaskRecord> tasks) {
        for (Phase phase : Phase.values()) {
            String base = "submit_to_" + phase.name().toLowerCase();
            if (name.equals(base + "_ms")) return Optional.of(Measurements.latency(name, tasks, phase, Clock.SERVER));
            if (name.equals(base + "_client_ms")) return Optional.of(Measurements.latency(base + "_ms", tasks, phase, Clock.CLIENT));
        }
        if (name.startsWith(Measurements.THROUGHPUT) || name.startsWith(Measurements.PEAK_THROUGHPUT)) {
            Clock clock = name.endsWith("_client") ? Clock.CLIENT : Clock.SERVER;
            return Measurements.throughput(tasks, Phase.SUCCEEDED, clock, Duration.ofSeconds(1)).stream()
                    .filter(m -> m.name().equals(name)).findFirst();
        }
        return Optional.empty();
    }

    /** Differences between a reported and a recomputed metric, in words; empty when they agree. */
    public static List<String> differences(Metric reported, Metric recomputed) {
        List<String> diffs = new ArrayList<>();
        compare(diffs, "n", (double) reported.n(), (double) recomputed.n());
        compare(diffs, "errors", (double) reported.errors(), (double) recomputed.errors());
        compare(diffs, "p50", reported.p50(), recomputed.p50());
        compare(diffs, "p90", reported.p90(), recomputed.p90());
        compare(diffs, "p99", reported.p99(), recomputed.p99());
        compare(diffs, "max", reported.max(), recomputed.max());
        compare(diffs, "value", reported.value(), recomputed.value());
        return diffs;
    }

    private static void compare(List<String> diffs, String field, Double reported, Double recomputed) {
        if (Objects.equals(reported, recomputed)) return;
        if (reported != null && recomputed != null && Math.abs(reported - recomputed) <= 0.001) return;
        diffs.add(field + " reported " + reported + " but recomputing from the run's files (tasks.csv, Gatling report) gives " + recomputed);
    }
}
