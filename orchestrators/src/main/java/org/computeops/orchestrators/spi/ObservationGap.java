package org.computeops.orchestrators.spi;

import java.time.Duration;
import java.time.Instant;

/**
 * A stretch of time in which this client could not observe the orchestrator (failed polls, a
 * watch that reconnected): events of that stretch arrive late, so client-clock readings that
 * overlap it are too late by up to its length. {@code to} is null while the gap lasts.
 */
public record ObservationGap(Instant from, Instant to, String why) {

    public Duration length(Instant now) {
        return Duration.between(from, to == null ? now : to);
    }

    public boolean overlaps(Instant start, Instant end) {
        return !from.isAfter(end) && (to == null || !to.isBefore(start));
    }

    @Override
    public String toString() {
        return from + " for " + String.format(java.util.Locale.ROOT, "%.1f", length(Instant.now()).toMillis() / 1000.0) + " s (" + why + ")";
    }
}
