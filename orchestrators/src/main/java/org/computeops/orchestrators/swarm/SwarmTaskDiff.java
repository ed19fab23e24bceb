package org.computeops.orchestrators.swarm;

import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.model.TaskStatus;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.ServerStamp;
import org.computeops.orchestrators.spi.TaskEvent;
import org.computeops.orchestrators.spi.TaskEventListener;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one service's polled task lists into task events. Swarm keeps only a task's latest
 * status, so a state that lasts less than one poll interval is not seen, and its phase is then
 * not reported rather than invented, with one exception: a missed {@code assigned} is bounded by
 * the worker's {@code accepted..starting} timestamp. Not thread-safe: one poller thread feeds it.
 */
final class SwarmTaskDiff {

    private final String deploymentId;
    private final TaskEventListener listener;
    private final Map<String, Phase> lastPhase = new HashMap<>();

    SwarmTaskDiff(String deploymentId, TaskEventListener listener) {
        this.deploymentId = deploymentId;
        this.listener = listener;
    }

    /** One list of the service's tasks, received at {@code observedAt}. */
    void apply(List<Task> current, Instant observedAt) {
        for (Task task : current) {
            TaskStatus status = task.getStatus();
            if (status == null || status.getState() == null) continue;
            Phase phase = phaseOf(status.getState());
            Phase previous = lastPhase.get(task.getId());
            if (previous == null) {
                emit(task, Phase.CREATED, observedAt, parse(task.getCreatedAt()), ServerStamp.SUB_SECOND, "created");
            }
            if (phase == Phase.STARTED && (previous == null || previous.compareTo(Phase.SCHEDULED) < 0)) {
                // An idle worker accepts a task within a millisecond of its assignment, faster than
                // any poll: the accepting state's timestamp is then the closest upper bound of it.
                emit(task, Phase.SCHEDULED, observedAt, parse(status.getTimestamp()), ServerStamp.BOUND,
                        "assigned not seen; upper bound from " + status.getState().getValue());
            }
            if (phase != Phase.CREATED && (previous == null || phase.compareTo(previous) > 0)) {
                String detail = status.getState().getValue()
                        + (status.getErr() != null && !status.getErr().isBlank() ? ": " + status.getErr() : "");
                emit(task, phase, observedAt, parse(status.getTimestamp()), ServerStamp.SUB_SECOND, detail);
            }
            if (previous == null || phase.compareTo(previous) > 0) lastPhase.put(task.getId(), phase);
        }
    }

    private void emit(Task task, Phase phase, Instant observedAt, Instant serverTime, ServerStamp stamp, String detail) {
        String node = task.getNodeId() == null || task.getNodeId().isEmpty() ? null : task.getNodeId();
        listener.onEvent(new TaskEvent(deploymentId, task.getId(), node, phase, observedAt, serverTime, detail, stamp));
    }

    static Phase phaseOf(TaskState state) {
        return switch (state) {
            case NEW, ALLOCATED, PENDING -> Phase.CREATED;
            case ASSIGNED -> Phase.SCHEDULED;
            case ACCEPTED, PREPARING, READY, STARTING -> Phase.STARTED;
            case RUNNING -> Phase.RUNNING;
            case COMPLETE -> Phase.SUCCEEDED;
            case FAILED, REJECTED -> Phase.FAILED;
            case SHUTDOWN, REMOVE, ORPHANED -> Phase.LOST;
        };
    }

    private static Instant parse(String timestamp) {
        if (timestamp == null || timestamp.isBlank() || timestamp.startsWith("0001-")) return null;
        return Instant.parse(timestamp);
    }
}
