package org.computeops.results.measurements;

import org.computeops.results.model.Figure;
import org.computeops.results.model.Phase;
import org.computeops.results.model.PhaseTimes;
import org.computeops.results.model.TaskRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.computeops.results.Fixtures.T0;
import static org.computeops.results.Fixtures.task;

class LatencyTest {

    private static final Set<Phase> ALL_FINE = EnumSet.allOf(Phase.class);

    private static Figure server(List<TaskRecord> tasks) {
        return new Latency(Phase.SCHEDULED).onClocks(ALL_FINE).compute(new Evidence(tasks, null)).get(0);
    }

    @Test
    void nearestRankQuantilesOverExactValues() {
        List<TaskRecord> tasks = new ArrayList<>();
        for (int i = 1; i <= 100; i++) tasks.add(task("t" + i, (long) i, (long) i + 1, null));
        Figure m = server(tasks);
        assertThat(m.name()).isEqualTo("submit_to_scheduled_ms");
        assertThat(m.n()).isEqualTo(100);
        assertThat(m.p50()).isEqualTo(50.0);
        assertThat(m.p90()).isEqualTo(90.0);
        assertThat(m.p99()).isEqualTo(99.0);
        assertThat(m.max()).isEqualTo(100.0);
        assertThat(m.clock()).isEqualTo("client→server");
        assertThat(m.errors()).isZero();
    }

    @Test
    void clientClockFigureIsSeparateAndNamedSo() {
        List<TaskRecord> tasks = List.of(task("a", 10L, 40L, null), task("b", 20L, 60L, null));
        Figure client = new Latency(Phase.SCHEDULED).onClocks(ALL_FINE).compute(new Evidence(tasks, null)).get(1);
        assertThat(client.name()).isEqualTo("submit_to_scheduled_client_ms");
        assertThat(client.p50()).isEqualTo(40.0);
        assertThat(client.max()).isEqualTo(60.0);
        assertThat(client.clock()).isEqualTo("client→client");
    }

    @Test
    void missingAndNegativeReadingsAreErrorsNotZeros() {
        Figure m = server(List.of(task("ok", 30L, 31L, null), task("missing", null, 50L, null), task("negative", -5L, 1L, null)));
        assertThat(m.n()).isEqualTo(1);
        assertThat(m.errors()).isEqualTo(2);
        assertThat(m.p50()).isEqualTo(30.0);
        assertThat(m.errorRate()).isEqualTo(2.0 / 3);
        assertThat(new ErrorBudget(0.10).overBudget(List.of(m))).singleElement().asString().contains("2 of 3 tasks");
    }

    @Test
    void noUsableReadingGivesNoQuantilesAtAll() {
        Figure m = server(List.of(task("x", null, null, null)));
        assertThat(m.n()).isZero();
        assertThat(m.p50()).isNull();
        assertThat(m.errorRate()).isEqualTo(1.0);
    }

    @Test
    void gpuAndCpuTasksHaveTheirOwnNamedFigures() {
        Latency gpu = new Latency(Phase.RUNNING, Latency.Tasks.GPU).onClocks(ALL_FINE);
        assertThat(gpu.name(false)).isEqualTo("gpu_task_submit_to_running_ms");
        assertThat(new Latency(Phase.RUNNING, Latency.Tasks.CPU).name(true)).isEqualTo("cpu_task_submit_to_running_client_ms");
        assertThat(MeasurementKinds.rebuild("Latency", gpu.inputs())).isEqualTo(gpu);
    }

    @Test
    void aStageReadsEachEndOnTheOrchestratorsClockOnlyWhereItIsSubSecond() {
        Map<Phase, PhaseTimes> phases = new EnumMap<>(Phase.class);
        phases.put(Phase.SCHEDULED, new PhaseTimes(T0.plusMillis(100), T0.plusMillis(150), PhaseTimes.SUB_SECOND));
        phases.put(Phase.RUNNING, new PhaseTimes(T0, T0.plusMillis(900), PhaseTimes.WHOLE_SECOND));
        TaskRecord task = new TaskRecord("kubernetes", "s", "d", "w", "p", "n", false, 0, T0, T0, phases, null);
        // Kubernetes: Scheduled has a sub-second eventTime, the container start only whole seconds:
        // the stage is read on the client clock at both ends
        Latency stage = Latency.stage(Phase.SCHEDULED, Phase.RUNNING).onClocks(EnumSet.of(Phase.SCHEDULED));
        Figure f = stage.compute(new Evidence(List.of(task), null)).get(0);
        assertThat(f.name()).isEqualTo("scheduled_to_running_ms");
        assertThat(f.clock()).isEqualTo("client→client");
        assertThat(f.p50()).isEqualTo(750.0);
        // from the submit call, the end is on the orchestrator's clock where it is sub-second
        assertThat(new Latency(Phase.SCHEDULED).onClocks(EnumSet.of(Phase.SCHEDULED)).compute(new Evidence(List.of(task), null))
                .get(0).clock()).isEqualTo("client→server");
        // a whole-second stamp never feeds a figure, even where sub-second ones were promised
        Figure wholeSecond = Latency.stage(Phase.SCHEDULED, Phase.RUNNING).onClocks(ALL_FINE)
                .compute(new Evidence(List.of(task), null)).get(0);
        assertThat(wholeSecond.n()).isZero();
        assertThat(wholeSecond.errors()).isEqualTo(1);
    }

    @Test
    void observationLagAndSubmitCallAreMeasured() {
        Map<Phase, PhaseTimes> phases = new EnumMap<>(Phase.class);
        phases.put(Phase.SCHEDULED, new PhaseTimes(T0.plusMillis(100), T0.plusMillis(130), PhaseTimes.SUB_SECOND));
        TaskRecord task = new TaskRecord("swarm", "s", "d", "w", "t", "n", false, 0, T0, T0.plusMillis(7), phases, null);
        Figure lag = new ObservationLag().onClocks(EnumSet.of(Phase.SCHEDULED)).compute(new Evidence(List.of(task), null)).get(0);
        assertThat(lag.name()).isEqualTo("observation_lag_ms[scheduled]");
        assertThat(lag.p99()).isEqualTo(30.0);
        assertThat(new SubmitCall().compute(new Evidence(List.of(task), null)).get(0).p50()).isEqualTo(7.0);
    }

    @Test
    void throughputOverallAndBusiestWindowOnBothClocks() {
        // 10 tasks done within the first second, 2 more at 3 s and 4 s.
        List<TaskRecord> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) tasks.add(task("t" + i, 1L, 1L, 100L + i * 50));
        tasks.add(task("late1", 1L, 1L, 3000L));
        tasks.add(task("late2", 1L, 1L, 4000L));
        Map<String, Figure> m = new java.util.HashMap<>();
        new Throughput(Phase.SUCCEEDED).onClocks(ALL_FINE).compute(new Evidence(tasks, null)).forEach(f -> m.put(f.name(), f));
        assertThat(m.get(Throughput.OVERALL).value()).isEqualTo(3.0); // 12 tasks / 4 s
        assertThat(m.get(Throughput.PEAK).value()).isEqualTo(10.0);
        assertThat(m.get(Throughput.OVERALL).n()).isEqualTo(12);
        assertThat(m).containsKeys(Throughput.OVERALL + "_client", Throughput.PEAK + "_client");
    }
}
