package org.computeops.results.measurements;

import org.computeops.results.model.Figure;
import org.computeops.results.model.Phase;
import org.computeops.results.model.TaskRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Failure recovery around one node fault, on the client clock: {@code recovery_s}, from the fault
 * to R replicas of the service first seen running at once off the stopped node (only where a
 * service ran: {@code service} empty is the batch-only variant, for orchestrators without
 * services); {@code detection_s}, from the fault to the first task on the stopped node seen LOST
 * (the orchestrator gave the node's work up); {@code batch_recovery_s}, from the fault until as
 * many batch tasks were seen starting off the stopped node after the fault as batch tasks ran on
 * it at the fault (its work restarted elsewhere); and {@code tasks_lost}, batch tasks that never
 * completed. The fault's time and node are inputs.
 */
public record Recovery(String service, String batch, String stoppedNode, Instant faultAt, int replicas, int batchTasks)
        implements Measurement {

    public static final String RECOVERY = "recovery_s";
    public static final String LOST = "tasks_lost";
    public static final String DETECTION = "detection_s";
    public static final String BATCH_RECOVERY = "batch_recovery_s";

    public Recovery {
        service = service == null ? "" : service;
    }

    /** The batch-only variant: no service, so no {@code recovery_s}. */
    public static Recovery batchOnly(String batch, String stoppedNode, Instant faultAt, int batchTasks) {
        return new Recovery("", batch, stoppedNode, faultAt, 0, batchTasks);
    }

    public static Recovery fromInputs(Map<String, String> inputs) {
        Inputs in = new Inputs("Recovery", inputs);
        return new Recovery(in.string("service"), in.string("batch"), in.string("fault_node"), in.instant("fault_at"),
                in.integer("replicas"), in.integer("batch_tasks"));
    }

    @Override
    public Map<String, String> inputs() {
        return Inputs.of("service", service, "batch", batch, "fault_node", stoppedNode, "fault_at", faultAt.toString(),
                "replicas", Integer.toString(replicas), "batch_tasks", Integer.toString(batchTasks));
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

    private static Instant observed(TaskRecord t, Phase p) {
        return t.reached(p) ? t.at(p).observedAt() : null;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        long succeeded = evidence.tasks(t -> t.workload().equals(batch) && t.reached(Phase.SUCCEEDED)).size();
        List<Figure> figures = new ArrayList<>();
        if (!service.isEmpty()) {
            List<TaskRecord> serviceTasks = evidence.tasks(t -> t.workload().equals(service));
            figures.add(firstRunningAtOnce(serviceTasks, stoppedNode, faultAt, replicas)
                    .map(at -> Figure.value(RECOVERY, "s", replicas, seconds(faultAt, at), "client",
                            "fault injected -> " + replicas + " replicas seen running at once off the stopped node"
                                    + " (client clock: Kubernetes reports running in whole seconds)"))
                    .orElse(Figure.value(RECOVERY, "s", 0, null, "client", replicas, "replicas never all running again")));
        }
        List<Instant> lostOnNode = evidence.tasks(t -> stoppedNode.equals(t.node())).stream().map(t -> observed(t, Phase.LOST))
                .filter(Objects::nonNull).filter(at -> !at.isBefore(faultAt)).sorted().toList();
        figures.add(lostOnNode.isEmpty()
                ? Figure.value(DETECTION, "s", 0, null, "client", 0, "no task on the stopped node was seen lost")
                : Figure.value(DETECTION, "s", lostOnNode.size(), seconds(faultAt, lostOnNode.get(0)), "client",
                        "fault injected -> first task on the stopped node seen lost (the orchestrator gave the node up)"));
        List<TaskRecord> batchTasksSeen = evidence.tasks(t -> t.workload().equals(batch));
        long onNodeAtFault = batchTasksSeen.stream().filter(t -> stoppedNode.equals(t.node()))
                .filter(t -> observed(t, Phase.RUNNING) != null && !observed(t, Phase.RUNNING).isAfter(faultAt))
                .filter(t -> end(t).map(e -> e.isAfter(faultAt)).orElse(true)).count();
        List<Instant> restarts = batchTasksSeen.stream().filter(t -> !stoppedNode.equals(t.node()))
                .map(t -> observed(t, Phase.RUNNING)).filter(Objects::nonNull).filter(at -> at.isAfter(faultAt)).sorted().toList();
        if (onNodeAtFault == 0) {
            figures.add(Figure.value(BATCH_RECOVERY, "s", 0, null, "client", 0, "no batch task ran on the stopped node at the fault"));
        } else if (restarts.size() < onNodeAtFault) {
            figures.add(Figure.value(BATCH_RECOVERY, "s", 0, null, "client", onNodeAtFault,
                    restarts.size() + " of the " + onNodeAtFault + " batch tasks of the stopped node seen starting again elsewhere"));
        } else {
            figures.add(Figure.value(BATCH_RECOVERY, "s", onNodeAtFault, seconds(faultAt, restarts.get((int) onNodeAtFault - 1)), "client",
                    "fault injected -> the " + onNodeAtFault + " batch tasks running on the stopped node seen starting again elsewhere"));
        }
        figures.add(Figure.value(LOST, "tasks", batchTasks, Math.max(0, batchTasks - succeeded), "client", "batch tasks that never completed"));
        return figures;
    }
}
