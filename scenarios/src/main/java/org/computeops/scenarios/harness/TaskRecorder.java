package org.computeops.scenarios.harness;

import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.ServerStamp;
import org.computeops.orchestrators.spi.TaskEvent;
import org.computeops.orchestrators.spi.TaskEventListener;
import org.computeops.results.model.Node;
import org.computeops.results.model.Phase;
import org.computeops.results.model.PhaseTimes;
import org.computeops.results.model.TaskRecord;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Collects the task events of one deployment into task rows; the first reading of each phase
 * wins. Nodes are resolved when their first event arrives, so that making the rows needs no call
 * to the orchestrator.
 */
final class TaskRecorder implements TaskEventListener {

    private final String orchestrator;
    private final String scenario;
    private final int repetition;
    private final Deployment deployment;
    private final Function<String, Node> nodes;
    private final Map<String, Builder> tasks = new LinkedHashMap<>();
    /** Tasks per phase reached and tasks ended, kept as events arrive: the waits ask every 100 ms, a burst has 10,000 tasks. */
    private final Map<Phase, Long> reached = new EnumMap<>(Phase.class);
    private long ended;
    /** When the last event arrived (this client's clock): a batch with nothing left to come is quiet. */
    private volatile java.time.Instant lastEventAt = java.time.Instant.now();

    TaskRecorder(String orchestrator, String scenario, int repetition, Deployment deployment, Function<String, Node> nodes) {
        this.orchestrator = orchestrator;
        this.scenario = scenario;
        this.repetition = repetition;
        this.deployment = deployment;
        this.nodes = nodes;
    }

    /** The results' name of an adapter phase (the same words). */
    static Phase phase(org.computeops.orchestrators.spi.Phase phase) {
        return Phase.valueOf(phase.name());
    }

    static String stamp(ServerStamp stamp) {
        if (stamp == null) return null;
        return switch (stamp) {
            case SUB_SECOND -> PhaseTimes.SUB_SECOND;
            case WHOLE_SECOND -> PhaseTimes.WHOLE_SECOND;
            case BOUND -> PhaseTimes.BOUND;
        };
    }

    @Override
    public void onEvent(TaskEvent event) {
        Node node = event.node() == null ? null : nodes.apply(event.node());
        lastEventAt = java.time.Instant.now();
        synchronized (this) {
            Builder b = tasks.computeIfAbsent(event.taskId(), id -> new Builder());
            if (event.node() != null) {
                b.node = node == null ? event.node() : node.name();
                b.simulated = node != null && node.simulated();
            }
            Phase phase = phase(event.phase());
            boolean endedBefore = Phase.ended(b.phases.keySet());
            if (b.phases.putIfAbsent(phase, new PhaseTimes(event.serverTime(), event.observedAt(), stamp(event.stamp()))) == null) {
                reached.merge(phase, 1L, Long::sum);
                if (!endedBefore && Phase.ENDS.contains(phase)) ended++;
            }
            if (event.detail() != null) b.detail = event.detail();
        }
    }

    synchronized long count(Phase phase) {
        return reached.getOrDefault(phase, 0L);
    }

    /** Whether every task seen has ended (succeeded, failed or lost) and no event came for {@code quiet}. */
    synchronized boolean endedAndQuiet(java.time.Duration quiet, java.time.Instant now) {
        return !tasks.isEmpty() && lastEventAt.plus(quiet).isBefore(now) && ended == tasks.size();
    }

    synchronized String lastDetail(Phase phase) {
        return tasks.values().stream().filter(b -> b.phases.containsKey(phase)).map(b -> b.detail)
                .reduce((a, b) -> b).orElse(null);
    }

    synchronized List<TaskRecord> records() {
        List<TaskRecord> records = new ArrayList<>();
        tasks.forEach((id, b) -> records.add(new TaskRecord(orchestrator, scenario, deployment.id(), deployment.workload().name(), id,
                b.node, b.simulated, deployment.workload().resources().gpus(), deployment.submitStartedAt(), deployment.submittedAt(),
                b.phases, b.detail, repetition)));
        return records;
    }

    private static final class Builder {
        String node;
        boolean simulated;
        String detail;
        final Map<Phase, PhaseTimes> phases = new EnumMap<>(Phase.class);
    }
}
