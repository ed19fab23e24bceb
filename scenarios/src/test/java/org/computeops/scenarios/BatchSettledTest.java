package org.computeops.scenarios;

import org.computeops.results.model.Phase;
import org.computeops.results.model.PhaseTimes;
import org.computeops.results.model.TaskRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** When the failure scenario stops waiting for a batch its orchestrator does not promise to finish. */
class BatchSettledTest {

    private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");
    private static final Duration QUIET = Duration.ofSeconds(20);

    private static TaskRecord task(String id, String node, Object... phaseAndSecond) {
        Map<Phase, PhaseTimes> phases = new EnumMap<>(Phase.class);
        for (int i = 0; i < phaseAndSecond.length; i += 2) {
            Instant at = T0.plusSeconds((Integer) phaseAndSecond[i + 1]);
            phases.put((Phase) phaseAndSecond[i], new PhaseTimes(at, at));
        }
        return new TaskRecord("swarm", "failure-recovery-tuned-detection", "d1", "work", id, node, false, 0, T0, T0, phases, "");
    }

    @Test
    void settlesWhenOnlyTheStoppedNodesTasksAreLeftAndNothingChangedForTheQuietTime() {
        List<TaskRecord> tasks = List.of(
                task("a", "w1", Phase.CREATED, 0, Phase.RUNNING, 1),               // on the stopped node, never reported again
                task("b", "w2", Phase.CREATED, 0, Phase.RUNNING, 1, Phase.SUCCEEDED, 21),
                task("c", "w3", Phase.CREATED, 0, Phase.RUNNING, 1, Phase.FAILED, 15));
        assertThat(FailureRecoveryScenario.batchSettled(tasks, "work", "w1", QUIET, T0.plusSeconds(40))).isFalse();
        assertThat(FailureRecoveryScenario.batchSettled(tasks, "work", "w1", QUIET, T0.plusSeconds(41))).isTrue();
    }

    @Test
    void aTaskOffTheStoppedNodeThatRunsOrWaitsHoldsTheWait() {
        List<TaskRecord> running = List.of(
                task("a", "w1", Phase.CREATED, 0, Phase.RUNNING, 1),
                task("b", "w2", Phase.CREATED, 0, Phase.RUNNING, 1));
        assertThat(FailureRecoveryScenario.batchSettled(running, "work", "w1", QUIET, T0.plusSeconds(600))).isFalse();
        // a replacement the orchestrator made, not yet placed (no node)
        List<TaskRecord> replacement = List.of(
                task("a", "w1", Phase.CREATED, 0, Phase.RUNNING, 1),
                task("a2", null, Phase.CREATED, 30));
        assertThat(FailureRecoveryScenario.batchSettled(replacement, "work", "w1", QUIET, T0.plusSeconds(600))).isFalse();
    }

    @Test
    void aRecentChangeHoldsTheWaitAndNoTaskIsNeverSettled() {
        List<TaskRecord> tasks = List.of(
                task("a", "w1", Phase.CREATED, 0, Phase.RUNNING, 1),
                task("b", "w2", Phase.CREATED, 30, Phase.RUNNING, 31, Phase.SUCCEEDED, 50));
        assertThat(FailureRecoveryScenario.batchSettled(tasks, "work", "w1", QUIET, T0.plusSeconds(60))).isFalse();
        assertThat(FailureRecoveryScenario.batchSettled(List.of(), "work", "w1", QUIET, T0.plusSeconds(600))).isFalse();
    }
}
