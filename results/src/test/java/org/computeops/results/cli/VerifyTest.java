package org.computeops.results.cli;

import org.computeops.results.files.Json;
import org.computeops.results.files.RunFiles;
import org.computeops.results.files.RunFolder;
import org.computeops.results.measurements.Evidence;
import org.computeops.results.measurements.GpuPlacement;
import org.computeops.results.measurements.Latency;
import org.computeops.results.measurements.Measurement;
import org.computeops.results.measurements.ObservationLag;
import org.computeops.results.measurements.QueueWait;
import org.computeops.results.measurements.Recovery;
import org.computeops.results.measurements.ScaleOut;
import org.computeops.results.measurements.SubmitCall;
import org.computeops.results.measurements.MeasurementKinds;
import org.computeops.results.measurements.SimulatedNodes;
import org.computeops.results.measurements.SustainedRate;
import org.computeops.results.measurements.Throughput;
import org.computeops.results.model.Figure;
import org.computeops.results.model.Phase;
import org.computeops.results.model.PhaseTimes;
import org.computeops.results.model.ScenarioResult;
import org.computeops.results.model.TaskRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Set;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.computeops.results.Fixtures.T0;
import static org.computeops.results.Fixtures.cluster;
import static org.computeops.results.files.RunFilesTest.result;
import static org.computeops.results.files.RunFilesTest.tasks;

class VerifyTest {

    @TempDir
    Path runs;
    RunFolder run;
    String out;

    @BeforeEach
    void aRunOfTwoScenarios() {
        run = RunFolder.of(runs, "v1");
        RunFiles files = new RunFiles(run, T0);
        List<TaskRecord> latency = tasks("swarm", "latency", 6);
        files.record(cluster("swarm"), result("latency", latency), latency);
        List<TaskRecord> burst = tasks("swarm", "burst", 3);
        List<Figure> figures = new ArrayList<>(MeasurementKinds.compute(new Throughput(Phase.SCHEDULED).onClocks(java.util.EnumSet.allOf(Phase.class)), new Evidence(burst, run)));
        figures.addAll(MeasurementKinds.compute(new SimulatedNodes(), new Evidence(burst, run)));
        files.record(cluster("swarm"), new ScenarioResult("burst", "passed", null, T0, T0, Map.of(), figures), burst);
    }

    private int verify() {
        VerifyRun v = VerifyRun.of(run.dir());
        out = v.out();
        return v.exitCode();
    }

    private void editSummary(java.util.function.UnaryOperator<String> edit) throws Exception {
        Files.writeString(run.summaryFile(), edit.apply(Files.readString(run.summaryFile())));
    }

    @Test
    void everyFigureIsRebuiltByItsKind() {
        assertThat(verify()).as(() -> out).isZero();
        assertThat(out).contains("7 figures rebuilt by their measurement and recomputed independently in SQL (DuckDB) from 9 task rows").contains("0 problem(s)");
    }

    @Test
    void everyKindAgreesWithItsIndependentSqlDefinition() {
        Instant t0 = T0;
        List<TaskRecord> rows = new ArrayList<>();
        // GPU tasks: two at once on a 2-GPU node, one on a CPU node (misplaced), one overlapping (overcommit)
        rows.add(row("gpu", "g1", "gpu-node", 1, t0.plusMillis(100), t0.plusMillis(1100), null));
        rows.add(row("gpu", "g2", "gpu-node", 1, t0.plusMillis(150), t0.plusMillis(1150), null));
        rows.add(row("gpu", "g3", "gpu-node", 1, t0.plusMillis(200), t0.plusMillis(900), null));
        rows.add(row("gpu", "g4", "cpu-node", 1, t0.plusMillis(120), t0.plusMillis(500), null));
        // a service around a fault at t0 + 10 s on node dead, and a batch
        rows.add(row("web", "w1", "dead", 0, t0.plusMillis(50), null, t0.plusMillis(10_500)));
        rows.add(row("web", "w2", "n1", 0, t0.plusMillis(60), null, null));
        rows.add(row("web", "w3", "n2", 0, t0.plusMillis(12_345_678), null, null));
        rows.add(row("work", "b1", "n1", 0, t0.plusMillis(70), t0.plusMillis(5000), null));
        rows.add(row("work", "b2", "dead", 0, t0.plusMillis(80), null, t0.plusMillis(29_400)));
        rows.add(row("work", "b2.r1", "n2", 0, t0.plusMillis(44_812), t0.plusMillis(60_000), null));
        // a queue: two low tasks hold the GPUs, a high one overtakes the third low one
        rows.add(row("low", "l1", "gpu-node", 1, t0.plusMillis(300), t0.plusMillis(5300), null));
        rows.add(row("low", "l2", "gpu-node", 1, t0.plusMillis(310), t0.plusMillis(5310), null));
        rows.add(row("low", "l3", "gpu-node", 1, t0.plusMillis(10_400), t0.plusMillis(15_400), null));
        rows.add(row("high", "h1", "gpu-node", 1, t0.plusMillis(5_350), t0.plusMillis(10_350), null));
        rows.add(row("high", "h2", "gpu-node", 1, t0.plusMillis(5_360), t0.plusMillis(10_360), null));
        RunFiles files = new RunFiles(run = RunFolder.of(runs, "v2"), T0);
        Evidence evidence = new Evidence(rows, run);
        Set<Phase> fine = EnumSet.of(Phase.CREATED, Phase.SCHEDULED, Phase.RUNNING, Phase.SUCCEEDED);
        List<Figure> figures = new ArrayList<>();
        for (Measurement m : List.of(new GpuPlacement(Map.of("gpu-node", 2, "cpu-node", 0)),
                new Recovery("web", "work", "dead", t0.plusSeconds(10), 2, 2), new ScaleOut("web", t0.plusSeconds(10), 1, 2),
                Recovery.batchOnly("work", "dead", t0.plusSeconds(10), 3), new QueueWait("low", "high"),
                new ObservationLag().onClocks(fine), new SubmitCall(), new Throughput(Phase.SUCCEEDED).onClocks(fine),
                Latency.stage(Phase.SCHEDULED, Phase.RUNNING).onClocks(fine), new Latency(Phase.RUNNING, Latency.Tasks.GPU).onClocks(fine))) {
            figures.addAll(MeasurementKinds.compute(m, evidence));
        }
        files.record(cluster("swarm"), new ScenarioResult("mixed", "passed", null, T0, T0, Map.of(), figures), rows);
        assertThat(verify()).as(() -> out).isZero();
        assertThat(figures).extracting(Figure::name).contains("gpu_overcommit", "recovery_s", "scale_out_s", "observation_lag_ms[scheduled]",
                "detection_s", "batch_recovery_s", "queue_wait_ms[low]", "queue_wait_ms[high]", "high_overtakes");
        assertThat(figures).filteredOn(f -> f.name().equals("high_overtakes")).extracting(Figure::value).containsOnly(2.0);
        assertThat(figures).filteredOn(f -> f.name().equals("batch_recovery_s")).extracting(Figure::value).containsOnly(34.813);
    }

    @Test
    void sustainedRateAgreesWithItsSqlAndJudgesKeepingUp() {
        List<TaskRecord> rows = new ArrayList<>();
        // 20 tasks/s kept up: 12 tasks, one every 50 ms, each scheduled 30 ms after created; the
        // observer missed SCHEDULED of one but saw it RUNNING: placed, not a backlog
        for (int i = 0; i < 12; i++) rows.add(rateRow("rate-20-" + (i / 4), "a" + i, 50L * i, 30, false));
        rows.add(rateSeenRunningOnly("rate-20-2", "a12", 560));
        // 50 tasks/s not kept up: latency grows by 400 ms per task; one task never scheduled
        for (int i = 0; i < 12; i++) rows.add(rateRow("rate-50-" + (i / 4), "b" + i, 20L * i, 100 + 400L * i, i == 11));
        RunFiles files = new RunFiles(run = RunFolder.of(runs, "rate"), T0);
        Evidence evidence = new Evidence(rows, run);
        Set<Phase> fine = EnumSet.of(Phase.CREATED, Phase.SCHEDULED, Phase.RUNNING, Phase.SUCCEEDED);
        List<Figure> figures = new ArrayList<>();
        figures.addAll(MeasurementKinds.compute(new SustainedRate(20).onClocks(fine), evidence));
        figures.addAll(MeasurementKinds.compute(new SustainedRate(50).onClocks(fine), evidence));
        files.record(cluster("swarm"), new ScenarioResult("sustained-rate", "passed", null, T0, T0, Map.of(), figures), rows);
        assertThat(verify()).as(() -> out).isZero();
        assertThat(figures).filteredOn(f -> f.name().equals("rate_20_keeping_up")).extracting(Figure::value).containsOnly(1.0);
        assertThat(figures).filteredOn(f -> f.name().equals("rate_50_keeping_up")).extracting(Figure::value).containsOnly(0.0);
        assertThat(figures).filteredOn(f -> f.name().equals("rate_20_created_to_scheduled_ms")).extracting(Figure::p50).containsOnly(30.0);
        assertThat(figures).filteredOn(f -> f.name().equals("rate_50_created_to_scheduled_ms")).extracting(Figure::errors).containsOnly(1L);
        assertThat(figures).filteredOn(f -> f.name().equals("rate_20_created_to_scheduled_ms")).extracting(Figure::errors).containsOnly(1L);
    }

    /** A task of a sustained-rate step: submit issued at T0 + {@code atMs}, created 5 ms later, scheduled {@code latencyMs} after that. */
    private static TaskRecord rateRow(String workload, String id, long atMs, long latencyMs, boolean neverScheduled) {
        Instant issued = T0.plusMillis(atMs);
        Map<Phase, PhaseTimes> phases = new EnumMap<>(Phase.class);
        phases.put(Phase.CREATED, new PhaseTimes(issued.plusMillis(5), issued.plusMillis(7), PhaseTimes.SUB_SECOND));
        if (!neverScheduled) {
            Instant scheduled = issued.plusMillis(5 + latencyMs);
            phases.put(Phase.SCHEDULED, new PhaseTimes(scheduled, scheduled.plusMillis(3), PhaseTimes.SUB_SECOND));
        }
        return new TaskRecord("swarm", "sustained-rate", "d-" + workload, workload, id, "sim-1", true, 0, issued, issued.plusMillis(4), phases, null);
    }

    /** A task of a sustained-rate step whose SCHEDULED the observer missed: seen RUNNING 200 ms after it was issued. */
    private static TaskRecord rateSeenRunningOnly(String workload, String id, long atMs) {
        Instant issued = T0.plusMillis(atMs);
        Map<Phase, PhaseTimes> phases = new EnumMap<>(Phase.class);
        phases.put(Phase.CREATED, new PhaseTimes(issued.plusMillis(5), issued.plusMillis(7), PhaseTimes.SUB_SECOND));
        phases.put(Phase.RUNNING, new PhaseTimes(issued.plusMillis(200), issued.plusMillis(203), PhaseTimes.SUB_SECOND));
        return new TaskRecord("swarm", "sustained-rate", "d-" + workload, workload, id, "sim-1", true, 0, issued, issued.plusMillis(4), phases, null);
    }

    /** A task submitted at T0: scheduled 10 ms after {@code start}, running at {@code start}, done or lost. */
    private static TaskRecord row(String workload, String id, String node, int gpus, Instant start, Instant done, Instant lost) {
        Map<Phase, PhaseTimes> phases = new EnumMap<>(Phase.class);
        phases.put(Phase.CREATED, new PhaseTimes(T0.plusNanos(1_500_000), T0.plusMillis(3), PhaseTimes.SUB_SECOND));
        phases.put(Phase.SCHEDULED, new PhaseTimes(start.minusMillis(10), start.minusNanos(7_654_321), PhaseTimes.SUB_SECOND));
        phases.put(Phase.RUNNING, new PhaseTimes(start, start.plusNanos(1_234_567), PhaseTimes.SUB_SECOND));
        if (done != null) phases.put(Phase.SUCCEEDED, new PhaseTimes(done, done.plusMillis(2), PhaseTimes.WHOLE_SECOND));
        if (lost != null) phases.put(Phase.LOST, new PhaseTimes(null, lost, null));
        return new TaskRecord("swarm", "mixed", "d-" + workload, workload, id, node, false, gpus, T0, T0.plusMillis(4), phases, null);
    }

    @Test
    void aFigureAlteredByHandIsAMismatch() throws Exception {
        var summary = Json.MAPPER.readTree(run.summaryFile().toFile());
        var figure = (com.fasterxml.jackson.databind.node.ObjectNode) summary.at("/orchestrators/0/scenarios/0/figures/0");
        figure.put("p50", figure.get("p50").asDouble() - 1);
        Json.MAPPER.writeValue(run.summaryFile().toFile(), summary);
        assertThat(verify()).isEqualTo(1);
        assertThat(out).contains("MISMATCH swarm / latency / submit_to_scheduled_ms: p50 reported");
    }

    @Test
    void aRowAlteredByHandIsAMismatch() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(run.tasksFile()));
        lines.set(1, lines.get(1).replace("2026-11-25T10:00:00.001234567Z", "2026-11-25T10:00:09.001234567Z"));
        Files.write(run.tasksFile(), lines);
        assertThat(verify()).isEqualTo(1);
        assertThat(out).contains("MISMATCH swarm / latency / submit_to_scheduled_ms");
    }

    @Test
    void aFigureOfUnknownKindFailsVerify() throws Exception {
        editSummary(s -> s.replaceFirst("\"measurement\" : \"Throughput\"", "\"measurement\" : \"Flattery\""));
        assertThat(verify()).isEqualTo(1);
        assertThat(out).contains("UNCHECKED swarm / burst / throughput_tasks_per_s: unknown measurement kind 'Flattery'");
    }

    @Test
    void aFigureWithoutItsKindFailsVerify() throws Exception {
        editSummary(s -> s.replaceFirst("\"measurement\" : \"SimulatedNodes\",", ""));
        assertThat(verify()).isEqualTo(1);
        assertThat(out).contains("UNCHECKED swarm / burst / tasks_on_simulated_nodes: the figure records no measurement kind");
    }

    @Test
    void aRunWithoutFiguresCannotPass() throws Exception {
        RunFiles files = new RunFiles(run = RunFolder.of(runs, "empty"), Instant.now());
        files.record(cluster("swarm"), new ScenarioResult("nothing", "skipped", "no capability", T0, T0, Map.of(), List.of()), List.of());
        assertThat(verify()).isEqualTo(1);
        assertThat(out).contains("no figure was checked");
    }
}
