package org.computeops.orchestrators.spi;

import java.time.Instant;

/**
 * One phase change of one task. Two clocks: {@code observedAt} is when this client saw it
 * (always set), {@code serverTime} is the orchestrator's own timestamp of the change (null when
 * the orchestrator does not report one) and {@code stamp} says how fine it is. {@code node} is
 * null before scheduling.
 */
public record TaskEvent(String deploymentId, String taskId, String node, Phase phase,
                        Instant observedAt, Instant serverTime, String detail, ServerStamp stamp) {

    public TaskEvent {
        if (serverTime == null) stamp = null;
        else if (stamp == null) throw new IllegalArgumentException("a server time needs its stamp (sub-second, whole-second, bound)");
    }

    /** An event whose server time, if any, is sub-second. */
    public TaskEvent(String deploymentId, String taskId, String node, Phase phase, Instant observedAt, Instant serverTime, String detail) {
        this(deploymentId, taskId, node, phase, observedAt, serverTime, detail, serverTime == null ? null : ServerStamp.SUB_SECOND);
    }

    public TaskEvent withObservedAt(Instant time) {
        return new TaskEvent(deploymentId, taskId, node, phase, time, serverTime, detail, stamp);
    }

    public TaskEvent withServerTime(Instant time, ServerStamp newStamp) {
        return new TaskEvent(deploymentId, taskId, node, phase, observedAt, time, detail, newStamp);
    }
}
