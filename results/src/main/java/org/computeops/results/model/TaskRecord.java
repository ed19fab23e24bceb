package org.computeops.results.model;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** Everything known about one task: where it ran and when it reached each phase, on both clocks. */
public record TaskRecord(String orchestrator, String scenario, String deploymentId, String workload, String taskId,
                         String node, boolean nodeSimulated, int gpus, Instant submitStartedAt, Instant submittedAt,
                         Map<Phase, PhaseTimes> phases, String lastDetail) {

    public TaskRecord {
        phases = phases.isEmpty() ? Map.of() : new EnumMap<>(phases);
    }

    public PhaseTimes at(Phase phase) {
        return phases.get(phase);
    }

    public boolean reached(Phase phase) {
        return phases.containsKey(phase);
    }
}
