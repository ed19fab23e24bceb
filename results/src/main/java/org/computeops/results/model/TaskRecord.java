package org.computeops.results.model;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Everything known about one task: where it ran and when it reached each phase, on both clocks,
 * in which repetition of its scenario (from 1).
 */
public record TaskRecord(String orchestrator, String scenario, String deploymentId, String workload, String taskId,
                         String node, boolean nodeSimulated, int gpus, Instant submitStartedAt, Instant submittedAt,
                         Map<Phase, PhaseTimes> phases, String lastDetail, int repetition) {

    public TaskRecord(String orchestrator, String scenario, String deploymentId, String workload, String taskId,
                      String node, boolean nodeSimulated, int gpus, Instant submitStartedAt, Instant submittedAt,
                      Map<Phase, PhaseTimes> phases, String lastDetail) {
        this(orchestrator, scenario, deploymentId, workload, taskId, node, nodeSimulated, gpus, submitStartedAt, submittedAt,
                phases, lastDetail, 1);
    }

    public TaskRecord {
        phases = phases.isEmpty() ? Map.of() : new EnumMap<>(phases);
    }

    public PhaseTimes at(Phase phase) {
        return phases.get(phase);
    }

    public boolean reached(Phase phase) {
        return phases.containsKey(phase);
    }

    /** Whether it succeeded, failed or was lost. */
    public boolean ended() {
        return Phase.ended(phases.keySet());
    }
}
