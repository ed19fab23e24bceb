package org.computeops.results.model;

import java.time.Instant;

/** Which clock one end of a latency is read from. The submit call's start is always the client's. */
public enum Clock {
    /** The orchestrator's own sub-second timestamp of the phase change; whole-second stamps never count. */
    SERVER("server"),
    /** When this client received the change (a poll or a watch event). */
    CLIENT("client");

    private final String label;

    Clock(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public Instant read(PhaseTimes times) {
        return times == null ? null : this == SERVER ? times.fineServerTime() : times.observedAt();
    }
}
