package org.computeops.results.model;

import java.time.Instant;

/**
 * When a task reached a phase: the orchestrator's timestamp (may be null), how fine it is
 * ({@link #SUB_SECOND}, {@link #WHOLE_SECOND}, or {@link #BOUND}: a later state's sub-second
 * stamp standing in for a state not seen, counted as inferred), and when the client saw it.
 */
public record PhaseTimes(Instant serverTime, Instant observedAt, String stamp) {

    public static final String SUB_SECOND = "sub-second";
    public static final String WHOLE_SECOND = "whole-second";
    public static final String BOUND = "bound";

    public PhaseTimes {
        if (serverTime == null) stamp = null;
        else if (stamp == null || stamp.isBlank()) stamp = SUB_SECOND;
    }

    /** Times whose server stamp, if any, is sub-second. */
    public PhaseTimes(Instant serverTime, Instant observedAt) {
        this(serverTime, observedAt, null);
    }

    /** The server time when it may feed a compared figure: sub-second, or a sub-second bound. */
    public Instant fineServerTime() {
        return WHOLE_SECOND.equals(stamp) ? null : serverTime;
    }

    public boolean inferred() {
        return BOUND.equals(stamp);
    }
}
