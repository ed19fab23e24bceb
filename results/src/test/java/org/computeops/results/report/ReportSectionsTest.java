package org.computeops.results.report;

import org.computeops.results.files.Json;
import org.computeops.results.files.RunFiles;
import org.computeops.results.files.RunFolder;
import org.computeops.results.measurements.Latency;
import org.computeops.results.measurements.MeasurementKinds;
import org.computeops.results.measurements.Evidence;
import org.computeops.results.measurements.SimulatedNodes;
import org.computeops.results.model.Figure;
import org.computeops.results.model.Phase;
import org.computeops.results.model.PhaseTimes;
import org.computeops.results.model.RunSummary;
import org.computeops.results.model.ScenarioResult;
import org.computeops.results.model.TaskRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.computeops.results.Fixtures.T0;
import static org.computeops.results.Fixtures.cluster;

/** The comparison page's charts, SLOs, changes and history, as a person reads them. */
class ReportSectionsTest {

    @TempDir
    Path repo;

    /** n tasks, the i-th reaching SCHEDULED after 10*(i+1) ms and RUNNING after base + 100*(i+1) ms (server clock). */
    static List<TaskRecord> tasks(String orchestrator, int n, long base, boolean simulated) {
        List<TaskRecord> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<Phase, PhaseTimes> phases = new EnumMap<>(Phase.class);
            phases.put(Phase.SCHEDULED, new PhaseTimes(T0.plusMillis(10L * (i + 1)), T0.plusMillis(10L * (i + 1) + 3)));
            phases.put(Phase.RUNNING, new PhaseTimes(T0.plusMillis(base + 100L * (i + 1)), T0.plusMillis(base + 100L * (i + 1) + 3)));
            tasks.add(new TaskRecord(orchestrator, "latency", "d", "w", orchestrator + i, simulated ? "kwok-" + i : "node-" + i,
                    simulated, 0, T0, T0.plusMillis(2), phases, null));
        }
        return tasks;
    }

    static ScenarioResult result(List<TaskRecord> tasks) {
        List<Figure> figures = new ArrayList<>();
        Evidence evidence = new Evidence(tasks, null);
        figures.addAll(MeasurementKinds.compute(new SimulatedNodes(), evidence));
        figures.addAll(MeasurementKinds.compute(new Latency(Phase.RUNNING).onClocks(java.util.EnumSet.allOf(Phase.class)), evidence));
        return new ScenarioResult("latency", "passed", null, T0, T0.plusSeconds(10), Map.of("scenario.latency.tasks", "" + tasks.size()), figures);
    }

    RunFolder run(String runId, Instant startedAt, long base) throws Exception {
        RunFolder folder = RunFolder.of(RunFolder.runsDir(repo), runId);
        RunFiles files = new RunFiles(folder, startedAt);
        List<TaskRecord> swarm = tasks("swarm", 5, base, false);
        List<TaskRecord> k8s = new ArrayList<>(tasks("kubernetes", 3, base, false));
        k8s.addAll(tasks("kubernetes", 2, base, true).stream().map(t -> new TaskRecord(t.orchestrator(), t.scenario(), t.deploymentId(),
                t.workload(), t.taskId() + "s", t.node(), true, 0, t.submitStartedAt(), t.submittedAt(), t.phases(), null)).toList());
        files.record(cluster("swarm"), result(swarm), swarm);
        files.record(cluster("kubernetes"), result(k8s), k8s);
        return folder;
    }

    @Test
    void latencyCdfsOverlayTheOrchestratorsButNeverMixRealAndSimulatedNodes() throws Exception {
        RunFolder folder = run("test-20261125-100000", T0, 1000);
        RunSummary summary = RunFiles.readSummary(folder);
        List<TaskRecord> all = RunFiles.readTasks(folder);
        List<ScenarioCharts.Entry> entries = summary.orchestrators().stream().map(o -> new ScenarioCharts.Entry(o.name(),
                o.scenarios().get(0), all.stream().filter(t -> t.orchestrator().equals(o.name())).toList())).toList();
        List<ScenarioCharts.Chart> cdfs = ScenarioCharts.latencyCdfs("latency", entries);

        ScenarioCharts.Chart real = cdfs.stream().filter(c -> c.title().equals("latency: submit_to_running_ms, CDF (real nodes)")).findFirst().orElseThrow();
        assertThat(real.svg()).contains("swarm n=5 (errors 0), kubernetes n=3 (errors 0) | clock: swarm client→server, kubernetes client→server | tier: real nodes")
                .contains("fraction of tasks &lt;= x").contains("submit_to_running_ms (ms)");
        ScenarioCharts.Chart simulated = cdfs.stream().filter(c -> c.title().equals("latency: submit_to_running_ms, CDF (simulated nodes)")).findFirst().orElseThrow();
        assertThat(simulated.svg()).contains("kubernetes n=2").doesNotContain("swarm n=");
        // the client-clock figure gets its own charts: clocks are not mixed either
        assertThat(cdfs).anyMatch(c -> c.title().startsWith("latency: submit_to_running_client_ms") && c.svg().contains("clock: swarm client→client"));
    }

    @Test
    void sloBreachFailsTheScenarioNamesFigureAndLimitAndIsUndoneWhenTheLimitIsRelaxed() throws Exception {
        RunFolder folder = run("test-20261125-100000", T0, 1000);
        Path allure = Files.createDirectories(folder.allureResults());
        Files.writeString(allure.resolve("a-result.json"), """
                {"uuid":"a","name":"latency [swarm]","status":"passed","statusDetails":{},
                 "labels":[{"name":"orchestrator","value":"swarm"},{"name":"scenario","value":"latency"}]}""");
        Path slo = repo.resolve(Slo.FILE);
        Files.writeString(slo, "submit_to_running_ms.p99 = 1200\n");

        Slo.Outcome outcome = Slo.apply(folder, slo);

        // p99 is the last of the tasks: swarm's 5th at 1000 + 500 ms, kubernetes' 3rd at 1000 + 300 ms
        assertThat(outcome.breaches()).extracting(c -> c.orchestrator() + ": " + c.describe())
                .containsExactlyInAnyOrder("swarm: submit_to_running_ms p99 = 1500 ms, SLO submit_to_running_ms.p99 <= 1200",
                        "kubernetes: submit_to_running_ms p99 = 1300 ms, SLO submit_to_running_ms.p99 <= 1200");
        ScenarioResult swarm = RunFiles.readSummary(folder).orchestrator("swarm").orElseThrow().scenarios().get(0);
        assertThat(swarm.status()).isEqualTo("failed");
        assertThat(swarm.reason()).startsWith("SLO breached: submit_to_running_ms p99 = 1500 ms, SLO submit_to_running_ms.p99 <= 1200 (slo.properties)");
        var allureResult = Json.MAPPER.readTree(allure.resolve("a-result.json").toFile());
        assertThat(allureResult.path("status").asText()).isEqualTo("failed");
        assertThat(allureResult.path("statusDetails").path("message").asText()).startsWith("SLO breached: submit_to_running_ms p99");
        String section = Slo.section(outcome);
        assertThat(section).contains("2 of 2 checks breached, 0 met.").contains("BREACHED").contains("1500 ms").doesNotContain("<details");

        Files.writeString(slo, "submit_to_running_ms.p99 = 2000\n");
        Slo.Outcome met = Slo.apply(folder, slo);
        assertThat(met.breaches()).isEmpty();
        // met checks are folded away, not listed open above the figures
        String metSection = Slo.section(met);
        assertThat(metSection).contains("0 of 2 checks breached, 2 met.").contains("<details class=\"slo-met\"><summary>the 2 checks that were met")
                .doesNotContain("BREACHED");
        assertThat(metSection.indexOf("<table")).isGreaterThan(metSection.indexOf("<details"));
        assertThat(RunFiles.readSummary(folder).orchestrator("swarm").orElseThrow().scenarios().get(0).status()).isEqualTo("passed");
        assertThat(Json.MAPPER.readTree(allure.resolve("a-result.json").toFile()).path("status").asText()).isEqualTo("passed");
    }

    @Test
    void aBreachFailsOnlyItsOwnRepetitionAndTheTableNamesTheRepetition() throws Exception {
        RunFolder folder = RunFolder.of(RunFolder.runsDir(repo), "compare-20261125-100000");
        RunFiles files = new RunFiles(folder, T0);
        for (int rep = 1; rep <= 2; rep++) {
            int r = rep;
            // repetition 1: p99 1500 ms; repetition 2: p99 600 ms
            List<TaskRecord> swarm = tasks("swarm", 5, rep == 1 ? 1000 : 100, false).stream().map(t -> new TaskRecord(t.orchestrator(),
                    t.scenario(), t.deploymentId(), t.workload(), t.taskId() + "r" + r, t.node(), false, 0, t.submitStartedAt(),
                    t.submittedAt(), t.phases(), null, r)).toList();
            ScenarioResult one = result(swarm);
            files.record(cluster("swarm"), new ScenarioResult(one.scenario(), one.status(), null, one.startedAt(), one.finishedAt(),
                    one.parameters(), one.figures(), r), swarm);
        }
        Path slo = repo.resolve(Slo.FILE);
        Files.writeString(slo, "submit_to_running_ms.p99 = 1200\n");

        Slo.Outcome outcome = Slo.apply(folder, slo);

        assertThat(outcome.breaches()).extracting(Slo.Check::repetition).containsExactly(1);
        List<ScenarioResult> reps = RunFiles.readSummary(folder).orchestrator("swarm").orElseThrow().scenarios();
        assertThat(reps).extracting(ScenarioResult::repetition, ScenarioResult::status)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(1, "failed"), org.assertj.core.groups.Tuple.tuple(2, "passed"));
        String table = Slo.section(outcome);
        assertThat(table).contains("<th>repetition</th>")
                .contains("<td>swarm</td><td>latency</td><td>1</td><td>submit_to_running_ms p99</td><td>1500 ms</td>")
                .contains("<td>swarm</td><td>latency</td><td>2</td><td>submit_to_running_ms p99</td><td>600 ms</td>");
    }

    @Test
    void aScenarioThatFailedByItselfKeepsItsOwnReasonFirstAndTheSloFollows() throws Exception {
        RunFolder folder = RunFolder.of(RunFolder.runsDir(repo), "test-20261125-100000");
        List<TaskRecord> swarm = tasks("swarm", 5, 1000, false);
        ScenarioResult passed = result(swarm);
        new RunFiles(folder, T0).record(cluster("swarm"), new ScenarioResult(passed.scenario(), "failed", "threshold broken: gpu_overcommit = 1",
                passed.startedAt(), passed.finishedAt(), passed.parameters(), passed.figures()), swarm);
        Path slo = repo.resolve(Slo.FILE);
        Files.writeString(slo, "submit_to_running_ms.p99 = 1200\n");
        Slo.apply(folder, slo);
        ScenarioResult s = RunFiles.readSummary(folder).orchestrator("swarm").orElseThrow().scenarios().get(0);
        assertThat(s.status()).isEqualTo("failed");
        assertThat(s.reason()).isEqualTo("threshold broken: gpu_overcommit = 1; SLO breached: submit_to_running_ms p99 = 1500 ms, "
                + "SLO submit_to_running_ms.p99 <= 1200 (slo.properties)");
    }

    @Test
    void sloFileRejectsWhatItCannotRead() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Slo.parse("submit_to_running_ms = 5000\n"))
                .hasMessageContaining("must end in .value, .p50, .p90, .p99 or .max");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Slo.parse("gpu_overcommit.value = none\n"))
                .hasMessageContaining("needs a number");
    }

    @Test
    void aFigureIsARegressionOnlyOutsideTheEarlierRunsSpreadWidenedByTenPercent() throws Exception {
        Path history = RunHistory.dirFor(RunFolder.runsDir(repo).resolve("x"));
        long[] bases = {1000, 1040, 980, 1010};
        for (int i = 0; i < bases.length; i++) {
            RunHistory.append(history, RunFiles.readSummary(run("test-20261125-10000" + i, T0.plusSeconds(60L * i), bases[i])));
        }
        // p50 of this run's swarm tasks: base + 300 ms; the earlier runs give [1280, 1340], widened [1152, 1474]
        RunSummary within = RunFiles.readSummary(run("test-20261125-100010", T0.plusSeconds(600), 1150));
        RunHistory.Change c = change(RunHistory.changes(within, RunHistory.readAll(history)), "swarm", "submit_to_running_ms", "p50");
        assertThat(c.verdict()).isEqualTo(RunHistory.Verdict.WITHIN);
        assertThat(c.low()).isEqualTo(1152.0);
        assertThat(c.high()).isCloseTo(1474.0, org.assertj.core.data.Offset.offset(1e-9));

        RunSummary slower = RunFiles.readSummary(run("test-20261125-100011", T0.plusSeconds(660), 1300));
        List<RunHistory.Change> changes = RunHistory.changes(slower, RunHistory.readAll(history));
        assertThat(change(changes, "swarm", "submit_to_running_ms", "p50").verdict()).isEqualTo(RunHistory.Verdict.REGRESSION);
        assertThat(changes.get(0).flagged()).as("flagged changes come first").isTrue();
        assertThat(PageSections.changesSection(changes)).contains("regression").contains("[1152, 1474]");

        // a compare run is not judged against test runs
        RunSummary other = RunFiles.readSummary(run("compare-20261125-100012", T0.plusSeconds(720), 5000));
        assertThat(change(RunHistory.changes(other, RunHistory.readAll(history)), "swarm", "submit_to_running_ms", "p50").verdict())
                .isEqualTo(RunHistory.Verdict.TOO_FEW_RUNS);
    }

    @Test
    void thePageShowsEachScenariosChartsTheSlosWhatChangedAndTheHistory() throws Exception {
        RunFolder folder = run("test-20261125-100000", T0, 1000);
        RunSummary summary = RunFiles.readSummary(folder);
        Slo.Outcome slo = Slo.apply(folder, null);
        PageSections sections = PageSections.of(summary, RunFiles.readTasks(folder), slo, List.of());
        String html = ComparisonPage.render(RunFiles.readSummary(folder), List.of(), sections);
        assertThat(html).contains("<div class=\"charts\" data-scenario=\"latency\">").contains("class=\"chart\"")
                .contains("id=\"slo\"").contains("built-in defaults").contains("id=\"changes\"").contains("id=\"history\"")
                .contains("href=\"allure-report/index.html\"");
        assertThat(html.indexOf("id=\"slo\"")).as("SLOs and changes come before the scenarios").isLessThan(html.indexOf("<h2>latency</h2>"));
    }

    @Test
    void gatlingsWholeMillisecondsAreNotARegression() {
        RunHistory.Point p = new RunHistory.Point("http_response_ms[step 1]", "ms", "gatling", 150, 0, null, 4.0, 9.0);
        assertThat(RunHistory.judge("k", "s", p, "p50", 4.0, List.of("a", "b", "c"), List.of(3.0, 3.0, 3.0)).verdict())
                .isEqualTo(RunHistory.Verdict.WITHIN);
        assertThat(RunHistory.judge("k", "s", p, "p50", 5.0, List.of("a", "b", "c"), List.of(3.0, 3.0, 3.0)).verdict())
                .isEqualTo(RunHistory.Verdict.REGRESSION);
    }

    @Test
    void manyFlaggedChangesShowTheFirstTenAndFoldTheRest() {
        List<RunHistory.Change> changes = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            changes.add(new RunHistory.Change("swarm", "latency", "fig_" + i, "p50", "ms", 100 + i, List.of("a", "b", "c"),
                    List.of(1.0, 2.0, 3.0), 0.9, 3.3, RunHistory.Verdict.REGRESSION));
        }
        changes.add(new RunHistory.Change("swarm", "latency", "quiet", "p50", "ms", 2, List.of("a", "b", "c"),
                List.of(1.0, 2.0, 3.0), 0.9, 3.3, RunHistory.Verdict.WITHIN));
        String section = PageSections.changesSection(changes);
        String open = section.substring(0, section.indexOf("<details"));
        assertThat(open).contains("12 flagged, 1 within their spread");
        assertThat(open.split("<tr class=\"regression\"", -1)).as("10 flagged rows open").hasSize(11);
        assertThat(section).contains("<summary>the other 2 flagged changes</summary>").contains("fig_11")
                .contains("<summary>1 figures not flagged");
    }

    private static RunHistory.Change change(List<RunHistory.Change> changes, String orchestrator, String figure, String stat) {
        return changes.stream().filter(c -> c.orchestrator().equals(orchestrator) && c.figure().equals(figure) && c.stat().equals(stat))
                .findFirst().orElseThrow();
    }

    @Test
    void batchOnlyFailureRecoveryChartsTheBatchTasksAroundTheFaultWithItsTwoFigures() {
        Instant fault = T0.plusSeconds(5);
        List<TaskRecord> rows = new ArrayList<>();
        for (String id : List.of("1", "2")) {
            Map<Phase, PhaseTimes> phases = new EnumMap<>(Phase.class);
            phases.put(Phase.RUNNING, new PhaseTimes(T0.plusSeconds(1), T0.plusSeconds(1)));
            phases.put(Phase.LOST, new PhaseTimes(null, fault.plusMillis(29_400)));
            rows.add(new TaskRecord("slurm", "failure-recovery", "d", "work", id, "dead", false, 0, T0, T0.plusMillis(5), phases, null));
            Map<Phase, PhaseTimes> again = new EnumMap<>(Phase.class);
            again.put(Phase.RUNNING, new PhaseTimes(fault.plusMillis(44_800), fault.plusMillis(44_800)));
            rows.add(new TaskRecord("slurm", "failure-recovery", "d", "work", id + ".r1", "n1", false, 0, T0, T0.plusMillis(5), again, null));
        }
        List<Figure> figures = MeasurementKinds.compute(org.computeops.results.measurements.Recovery.batchOnly("work", "dead", fault, 2),
                new Evidence(rows, null));
        ScenarioResult result = new ScenarioResult("failure-recovery", "passed", null, T0, T0.plusSeconds(60), Map.of(), figures);
        List<ScenarioCharts.Chart> charts = ScenarioCharts.replicasAroundFault("failure-recovery", new ScenarioCharts.Entry("slurm", result, rows));
        assertThat(charts).singleElement().satisfies(c -> assertThat(c.svg())
                .contains("batch tasks of work running around the fault").contains("detection_s = 29.4").contains("batch_recovery_s = 44.8")
                .contains("running off dead"));
    }

    @Test
    void aChangedTestbedConditionStartsANewBaseline() {
        Map<String, String> before = RunHistory.comparableParameters(Map.of("scenario.latency.tasks", "50", "testbed.runId", "a"));
        Map<String, String> after = RunHistory.comparableParameters(Map.of("scenario.latency.tasks", "50", "testbed.runId", "b",
                "testbed.nodeCpuShares", "128"));
        assertThat(before).containsOnlyKeys("scenario.latency.tasks");
        assertThat(after).containsOnlyKeys("scenario.latency.tasks", "testbed.nodeCpuShares");
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void aScenarioWithoutAPreferredFigureHeadsWithItsOwnNotTheHarnesss() {
        assertThat(ComparisonPage.headlineOf(List.of("tasks_on_simulated_nodes", "observation_lag_ms[scheduled]", "queue_wait_ms[low]",
                "high_overtakes"))).isEqualTo("queue_wait_ms[low]");
        assertThat(ComparisonPage.headlineOf(List.of("tasks_on_simulated_nodes", "harness_submit_calls_per_s")))
                .isEqualTo("tasks_on_simulated_nodes");
    }
}
