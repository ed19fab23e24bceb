package org.computeops.orchestrators.spi;

import java.time.Instant;

/**
 * One phase change of one task. Two clocks: {@code observedAt} is when this client saw it
 * (always set), {@code serverTime} is the orchestrator's own timestamp of the change (null when
 * the orchestrator does not report one). {@code node} is null before scheduling.
 */
public record TaskEvent(String deploymentId, String taskId, String node, Phase phase,
                        Instant observedAt, Instant serverTime, String detail) {
}
