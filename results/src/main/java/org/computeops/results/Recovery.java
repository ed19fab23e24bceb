package org.computeops.results;

import org.computeops.orchestrators.spi.Phase;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The failure-recovery figures, from task records and the fault's parameters: the scenario
 * computes them from what it observed, {@code verify} again from tasks.csv and summary.json.
 */
public final class Recovery {

    public static final String RECOVERY = "recovery_s";
    public static final String LOST = "tasks_lost";
    /** Parameters the failure scenario records next to the figures (client clock, ISO-8601). */
    public static final String FAULT_AT = "fault.at";
    public static final String FAULT_NODE = "fault.node";
    public static final String SERVICE = "fault.service";
    public static final String BATCH = "fault.batch";
    public static final String REPLICAS = "scenario.recovery.replicas";
    public static final String BATCH_TASKS = "scenario.recovery.batchTasks";

    private Recovery() {
    }

    /**
     * The first instant at or after {@code from} when {@code count} of the tasks ran at once, none
     * of them on {@code excludedNode} (null: any node); client clock, when this client saw each
     * start and end. Recovery after a fault, and a scale-out, both end there.
     */
    public static Optional<Instant> firstRunningAtOnce(List<TaskRecord> tasks, String excludedNode, Instant from, int count) {
        List<TaskRecord> counted = tasks.stream().filter(t -> excludedNode == null || !excludedNode.equals(t.node()))
                .filter(t -> t.reached(Phase.RUNNING) && t.at(Phase.RUNNING).observedAt() != null).toList();
        List<Instant> starts = counted.stream().map(t -> t.at(Phase.RUNNING).observedAt())
                .map(s -> s.isBefore(from) ? from : s).distinct().sorted().toList();
        for (Instant at : starts) {
            long running = counted.stream().filter(t -> !t.at(Phase.RUNNING).observedAt().isAfter(at))
                    .filter(t -> end(t).map(e -> e.isAfter(at)).orElse(true)).count();
            if (running >= count) return Optional.of(at);
        }
        return Optional.empty();
    }

    private static Optional<Instant> end(TaskRecord t) {
        return java.util.stream.Stream.of(Phase.SUCCEEDED, Phase.FAILED, Phase.LOST)
                .filter(t::reached).map(p -> t.at(p).observedAt()).filter(Objects::nonNull).min(Comparator.naturalOrder());
    }

    public static List<Metric> metrics(List<TaskRecord> tasks, String service, String batch, String stoppedNode, Instant faultAt,
                                       int replicas, int batchTasks) {
        List<TaskRecord> serviceTasks = tasks.stream().filter(t -> t.workload().equals(service)).toList();
        long succeeded = tasks.stream().filter(t -> t.workload().equals(batch) && t.reached(Phase.SUCCEEDED)).count();
        List<Metric> figures = new ArrayList<>();
        figures.add(firstRunningAtOnce(serviceTasks, stoppedNode, faultAt, replicas)
                .map(at -> Metric.value(RECOVERY, "s", replicas, Duration.between(faultAt, at).toMillis() / 1000.0, "client",
                        "fault injected -> " + replicas + " replicas seen running at once off the stopped node"
                                + " (client clock: Kubernetes reports running in whole seconds)"))
                .orElse(new Metric(RECOVERY, "s", 0, null, null, null, null, null, "client", replicas, "replicas never all running again")));
        figures.add(Metric.value(LOST, "tasks", batchTasks, Math.max(0, batchTasks - succeeded), "client", "batch tasks that never completed"));
        return figures;
    }

    /** The figure recomputed from a scenario's recorded parameters; empty when they lack the fault. */
    public static Optional<Metric> recompute(String name, List<TaskRecord> tasks, Map<String, String> parameters) {
        if (!name.equals(RECOVERY) && !name.equals(LOST)) return Optional.empty();
        if (!parameters.containsKey(FAULT_AT)) return Optional.empty();
        return metrics(tasks, parameters.get(SERVICE), parameters.get(BATCH), parameters.get(FAULT_NODE),
                Instant.parse(parameters.get(FAULT_AT)), Integer.parseInt(parameters.get(REPLICAS)),
                Integer.parseInt(parameters.get(BATCH_TASKS)))
                .stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
