package org.computeops.results.measurements;

import org.computeops.results.model.Figure;
import org.computeops.results.model.Phase;
import org.computeops.results.model.PhaseTimes;
import org.computeops.results.model.TaskRecord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecoveryTest {

    private static final Instant FAULT = Instant.parse("2026-11-25T10:00:00Z");

    /** A task of {@code workload} on {@code node}, running from {@code runningS} (relative to the fault) until {@code endS} (or on). */
    private static TaskRecord task(String workload, String id, String node, double runningS, Double endS, Phase end) {
        Map<Phase, PhaseTimes> phases = new EnumMap<>(Phase.class);
        Instant running = FAULT.plusMillis((long) (runningS * 1000));
        phases.put(Phase.RUNNING, new PhaseTimes(running, running));
        if (endS != null) {
            Instant e = FAULT.plusMillis((long) (endS * 1000));
            phases.put(end, new PhaseTimes(e, e));
        }
        return new TaskRecord("swarm", "failure-recovery", "d", workload, id, node, false, 0, FAULT.minusSeconds(60),
                FAULT.minusSeconds(60), phases, null);
    }

    @Test
    void recoveryEndsWhenTheReplicasFirstRunAtOnceOffTheStoppedNode() {
        List<TaskRecord> tasks = List.of(
                task("web", "a", "n1", -30, null, null),
                task("web", "b", "dead", -30, 5.0, Phase.LOST),          // on the stopped node: never counts
                task("web", "c", "n2", -30, 3.0, Phase.FAILED),          // healthy but gone before the replacements
                task("web", "d", "n1", 12.5, null, null),
                task("web", "e", "n2", 17.25, null, null),
                task("work", "w1", "n1", -10, 4.0, Phase.SUCCEEDED),
                task("work", "w2", "dead", -10, null, null));
        List<Figure> figures = new Recovery("web", "work", "dead", FAULT, 3, 2).compute(new Evidence(tasks, null));
        assertThat(figures.get(0).name()).isEqualTo(Recovery.RECOVERY);
        assertThat(figures.get(0).value()).isEqualTo(17.25);
        assertThat(figures).filteredOn(f -> f.name().equals(Recovery.LOST)).singleElement().satisfies(f -> assertThat(f.value()).isEqualTo(1.0));
        // w2 ran on the stopped node at the fault and never started again elsewhere
        assertThat(figures).filteredOn(f -> f.name().equals(Recovery.BATCH_RECOVERY)).singleElement()
                .satisfies(f -> assertThat(f.errors()).isEqualTo(1));
    }

    @Test
    void batchOnlyMeasuresDetectionAndTheStoppedNodesTasksStartingElsewhereButNoServiceRecovery() {
        List<TaskRecord> tasks = List.of(
                task("work", "1", "dead", -5, 29.4, Phase.LOST),          // requeued: its old incarnation lost
                task("work", "2", "dead", -5, 30.1, Phase.LOST),
                task("work", "3", "n1", -5, 15.0, Phase.SUCCEEDED),       // not on the stopped node
                task("work", "1.r1", "n1", 44.0, 64.0, Phase.SUCCEEDED),  // the new incarnations, elsewhere
                task("work", "2.r1", "n2", 44.8, 64.8, Phase.SUCCEEDED));
        List<Figure> figures = Recovery.batchOnly("work", "dead", FAULT, 3).compute(new Evidence(tasks, null));
        assertThat(figures).extracting(Figure::name).containsExactly(Recovery.DETECTION, Recovery.BATCH_RECOVERY, Recovery.LOST);
        assertThat(figures.get(0).value()).isEqualTo(29.4);
        assertThat(figures.get(0).n()).isEqualTo(2);
        assertThat(figures.get(1).value()).isEqualTo(44.8);
        assertThat(figures.get(1).n()).isEqualTo(2);
        assertThat(figures.get(2).value()).isEqualTo(0.0);
        assertThat(Recovery.fromInputs(Recovery.batchOnly("work", "dead", FAULT, 3).inputs())).isEqualTo(Recovery.batchOnly("work", "dead", FAULT, 3));
    }

    @Test
    void tasksOfTheStoppedNodeNeverStartingAgainAreErrorsNotAFigure() {
        List<TaskRecord> tasks = List.of(task("work", "1", "dead", -5, null, null), task("work", "2", "dead", -5, null, null),
                task("work", "1.r1", "n1", 300, null, null));
        Figure batch = Recovery.batchOnly("work", "dead", FAULT, 2).compute(new Evidence(tasks, null)).get(1);
        assertThat(batch.name()).isEqualTo(Recovery.BATCH_RECOVERY);
        assertThat(batch.value()).isNull();
        assertThat(batch.errors()).isEqualTo(2);
    }

    @Test
    void neverRecoveredIsAnErrorNotANumber() {
        List<TaskRecord> tasks = List.of(task("web", "a", "n1", -30, null, null));
        Figure recovery = new Recovery("web", "work", "dead", FAULT, 2, 0).compute(new Evidence(tasks, null)).get(0);
        assertThat(recovery.value()).isNull();
        assertThat(recovery.errors()).isEqualTo(2);
    }

    @Test
    void rebuiltFromItsRecordedInputsItGivesTheSameFigures() {
        List<TaskRecord> tasks = List.of(task("web", "a", "n1", -30, null, null), task("web", "d", "n2", 8, null, null));
        Recovery original = new Recovery("web", "work", "dead", FAULT, 2, 0);
        Measurement rebuilt = MeasurementKinds.rebuild("Recovery", original.inputs());
        assertThat(rebuilt).isEqualTo(original);
        assertThat(rebuilt.compute(new Evidence(tasks, null)).get(0).value()).isEqualTo(8.0);
    }

    @Test
    void scaleOutEndsWhenTheTargetFirstRunsAtOnce() {
        List<TaskRecord> tasks = List.of(task("web", "a", "n1", -30, null, null), task("web", "b", "n2", -30, null, null),
                task("web", "c", "n1", 0.5, null, null), task("web", "d", "n2", 0.75, null, null));
        Figure scale = new ScaleOut("web", FAULT, 2, 4).compute(new Evidence(tasks, null)).get(0);
        assertThat(scale.name()).isEqualTo(ScaleOut.FIGURE);
        assertThat(scale.value()).isEqualTo(0.75);
    }
}
