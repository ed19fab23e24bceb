package org.computeops.results;

import org.computeops.orchestrators.spi.Phase;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * GPU placement checks from task records and the GPUs each node advertises.
 * <ul>
 *   <li>{@code gpu_misplaced}: GPU tasks bound to a node advertising fewer GPUs than the task asks for;</li>
 *   <li>{@code gpu_overcommit}: GPU tasks whose start pushed their node's GPUs in use above what it advertises.
 *       A task holds its GPUs from the first of SCHEDULED/STARTED/RUNNING until it ends.</li>
 * </ul>
 * Both must be 0. Times: the orchestrator's where it gives them, else this client's. A task whose
 * hold has no length on that clock (Kubernetes reports completion in whole seconds, and simulated
 * pods finish within one) cannot be checked for overcommit: it counts in {@code errors}, not as 0.
 */
public final class GpuPlacement {

    public static final String MISPLACED = "gpu_misplaced";
    public static final String OVERCOMMIT = "gpu_overcommit";
    public static final String PEAK_IN_USE = "gpu_peak_in_use";

    private GpuPlacement() {
    }

    private static Instant time(TaskRecord t, Phase p) {
        PhaseTimes times = t.at(p);
        if (times == null) return null;
        return times.serverTime() != null ? times.serverTime() : times.observedAt();
    }

    static Instant holdStart(TaskRecord t) {
        for (Phase p : List.of(Phase.SCHEDULED, Phase.STARTED, Phase.RUNNING, Phase.SUCCEEDED)) {
            Instant i = time(t, p);
            if (i != null) return i;
        }
        return null;
    }

    static Instant holdEnd(TaskRecord t) {
        for (Phase p : List.of(Phase.SUCCEEDED, Phase.FAILED, Phase.LOST)) {
            Instant i = time(t, p);
            if (i != null) return i;
        }
        return Instant.MAX;
    }

    /** @param gpusByNode node name to GPUs advertised */
    public static List<Metric> metrics(List<TaskRecord> tasks, Map<String, Integer> gpusByNode) {
        List<TaskRecord> gpuTasks = tasks.stream().filter(t -> t.gpus() > 0).toList();
        long misplaced = gpuTasks.stream()
                .filter(t -> t.node() != null && !t.node().isEmpty())
                .filter(t -> gpusByNode.getOrDefault(t.node(), 0) < t.gpus()).count();

        long overcommit = 0;
        long unverifiable = 0;
        int peak = 0;
        Map<String, List<TaskRecord>> byNode = new TreeMap<>();
        for (TaskRecord t : gpuTasks) {
            Instant start = holdStart(t);
            if (t.node() == null || t.node().isEmpty() || start == null || !holdEnd(t).isAfter(start)) {
                unverifiable++;
            } else {
                byNode.computeIfAbsent(t.node(), n -> new ArrayList<>()).add(t);
            }
        }
        for (var e : byNode.entrySet()) {
            int capacity = gpusByNode.getOrDefault(e.getKey(), 0);
            List<long[]> changes = new ArrayList<>(); // {epochNanos, delta, isStart}
            for (TaskRecord t : e.getValue()) {
                changes.add(new long[] {nanos(holdStart(t)), t.gpus(), 1});
                changes.add(new long[] {nanos(holdEnd(t)), -t.gpus(), 0});
            }
            // releases before acquisitions at the same instant
            changes.sort(Comparator.<long[]>comparingLong(c -> c[0]).thenComparingLong(c -> c[2]));
            int inUse = 0;
            for (long[] c : changes) {
                inUse += (int) c[1];
                if (c[2] == 1 && inUse > capacity) overcommit++;
                peak = Math.max(peak, inUse);
            }
        }
        long n = gpuTasks.size();
        String clock = "server, else client";
        return List.of(
                Metric.value(MISPLACED, "tasks", n, misplaced, clock, "GPU tasks on a node advertising fewer GPUs than asked; must be 0"),
                new Metric(OVERCOMMIT, "tasks", n - unverifiable, null, null, null, null, (double) overcommit, clock, unverifiable,
                        "GPU tasks whose start pushed their node above its advertised GPUs; must be 0 (errors: holds of no length on this clock)"),
                Metric.value(PEAK_IN_USE, "gpus", n, peak, clock, "most GPUs held at once on one node"));
    }

    private static long nanos(Instant i) {
        if (i.equals(Instant.MAX)) return Long.MAX_VALUE;
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** GPU tasks per node, for the placement table and chart. */
    public static Map<String, Double> tasksPerNode(List<TaskRecord> tasks) {
        Map<String, Double> perNode = new TreeMap<>();
        tasks.stream().filter(t -> t.gpus() > 0).map(TaskRecord::node).filter(Objects::nonNull)
                .forEach(n -> perNode.merge(n, 1.0, Double::sum));
        return perNode;
    }
}
