package org.computeops.results;

import org.computeops.results.model.Node;
import org.computeops.results.model.OrchestratorResults;
import org.computeops.results.model.Phase;
import org.computeops.results.model.PhaseTimes;
import org.computeops.results.model.TaskRecord;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Task rows and clusters for the results' unit tests. */
public final class Fixtures {

    public static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private Fixtures() {
    }

    /** A task submitted at T0 with SCHEDULED on both clocks and SUCCEEDED (server ms, client 5 ms later). */
    public static TaskRecord task(String id, Long scheduledMs, Long observedScheduledMs, Long succeededMs) {
        Map<Phase, PhaseTimes> phases = new EnumMap<>(Phase.class);
        if (scheduledMs != null || observedScheduledMs != null) {
            phases.put(Phase.SCHEDULED, new PhaseTimes(scheduledMs == null ? null : T0.plusMillis(scheduledMs),
                    observedScheduledMs == null ? null : T0.plusMillis(observedScheduledMs)));
        }
        if (succeededMs != null) phases.put(Phase.SUCCEEDED, new PhaseTimes(T0.plusMillis(succeededMs), T0.plusMillis(succeededMs + 5)));
        return new TaskRecord("swarm", "s", "d", "w", id, "node-1", false, 0, T0, T0.plusMillis(10), phases, null);
    }

    public static OrchestratorResults cluster(String name) {
        return new OrchestratorResults(name, "1.0", "unix:///x", 1,
                List.of(new Node("n1", "node-1", false, true, 2000, 4096, 2, Map.of())), List.of());
    }
}
