package org.computeops.results.model;

import java.time.Instant;

/** When a task reached a phase: the orchestrator's timestamp (may be null) and when the client saw it. */
public record PhaseTimes(Instant serverTime, Instant observedAt) {
}
