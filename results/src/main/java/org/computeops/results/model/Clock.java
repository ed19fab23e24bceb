package org.computeops.results.model;

import java.time.Instant;

/** Which clock a latency's end point was read from. The start is always the client's submit-issued time. */
public enum Clock {
    /** The orchestrator's own timestamp of the phase change. */
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
        return times == null ? null : this == SERVER ? times.serverTime() : times.observedAt();
    }
}
