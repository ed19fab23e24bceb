package org.computeops.results.measurements;

import org.computeops.results.charts.SvgCharts;
import org.computeops.results.model.Figure;
import org.computeops.results.model.Phase;
import org.computeops.results.model.PhaseTimes;
import org.computeops.results.model.TaskRecord;

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
 * Both must be 0: a breach is a violation that fails the scenario. Times: the orchestrator's where it gives them, else this client's. A task whose
 * hold has no length on that clock (Kubernetes reports completion in whole seconds, and simulated
 * pods finish within one) cannot be checked for overcommit: it counts in {@code errors}, not as 0.
 */
public record GpuPlacement(Map<String, Integer> gpusByNode) implements Measurement {

    public static final String MISPLACED = "gpu_misplaced";
    public static final String OVERCOMMIT = "gpu_overcommit";
    public static final String PEAK_IN_USE = "gpu_peak_in_use";

    public GpuPlacement {
        gpusByNode = Map.copyOf(gpusByNode);
    }

    public static GpuPlacement fromInputs(Map<String, String> inputs) {
        return new GpuPlacement(Inputs.intMap(new Inputs("GpuPlacement", inputs).string("gpus_by_node")));
    }

    @Override
    public Map<String, String> inputs() {
        return Inputs.of("gpus_by_node", Inputs.intMapText(gpusByNode));
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        return figures(evidence.tasks(), gpusByNode);
    }

    @Override
    public List<String> violations(List<Figure> figures) {
        List<String> broken = new ArrayList<>();
        for (Figure f : figures) {
            if ((f.name().equals(MISPLACED) || f.name().equals(OVERCOMMIT)) && f.value() != null && f.value() > 0) {
                broken.add(f.name() + " = " + SvgCharts.fmt(f.value()) + " of " + f.n() + " GPU tasks (must be 0)");
            }
        }
        return broken;
    }

    @Override
    public Map<String, String> charts(Evidence evidence) {
        return Map.of("GPU tasks per node", SvgCharts.bars("GPU tasks per node", tasksPerNode(evidence.tasks()), "tasks"));
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
    static List<Figure> figures(List<TaskRecord> tasks, Map<String, Integer> gpusByNode) {
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
                Figure.value(MISPLACED, "tasks", n, misplaced, clock, "GPU tasks on a node advertising fewer GPUs than asked; must be 0"),
                Figure.value(OVERCOMMIT, "tasks", n - unverifiable, (double) overcommit, clock, unverifiable,
                        "GPU tasks whose start pushed their node above its advertised GPUs; must be 0 (errors: holds of no length on this clock)"),
                Figure.value(PEAK_IN_USE, "gpus", n, peak, clock, "most GPUs held at once on one node"));
    }

    private static long nanos(Instant i) {
        if (i.equals(Instant.MAX)) return Long.MAX_VALUE;
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** GPU tasks per node, for the placement table and chart. */
    static Map<String, Double> tasksPerNode(List<TaskRecord> tasks) {
        Map<String, Double> perNode = new TreeMap<>();
        tasks.stream().filter(t -> t.gpus() > 0).map(TaskRecord::node).filter(Objects::nonNull)
                .forEach(n -> perNode.merge(n, 1.0, Double::sum));
        return perNode;
    }
}
