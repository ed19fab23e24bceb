package org.computeops.results;

import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Phase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RunWriterTest {

    @TempDir
    Path runs;

    private static OrchestratorResults cluster(String name) {
        return new OrchestratorResults(name, "1.0", "unix:///x", 1,
                List.of(new NodeInfo("n1", "node-1", false, true, 2000, 4096, 2, Map.of())), List.of());
    }

    private static List<TaskRecord> tasks(String orchestrator, String scenario, int n) {
        List<TaskRecord> tasks = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            tasks.add(new TaskRecord(orchestrator, scenario, "d", "w", "t" + i, "node-1", false, 0,
                    MeasurementsTest.T0, MeasurementsTest.T0.plusMillis(3),
                    Map.of(Phase.SCHEDULED, new PhaseTimes(MeasurementsTest.T0.plusNanos(i * 1_234_567L), MeasurementsTest.T0.plusMillis(i * 2L))),
                    "assigned, with \"quotes\", and commas"));
        }
        return tasks;
    }

    private static ScenarioResult result(String scenario, List<TaskRecord> tasks) {
        return new ScenarioResult(scenario, "passed", null, Instant.now(), Instant.now(), Map.of("scenario.latency.tasks", "7"),
                List.of(Measurements.latency("submit_to_scheduled_ms", tasks, Phase.SCHEDULED, Clock.SERVER),
                        Measurements.latency("submit_to_scheduled_ms", tasks, Phase.SCHEDULED, Clock.CLIENT)));
    }

    @Test
    void twoOrchestratorsShareOneRunAndEveryFigureRecomputesFromTheCsv() throws Exception {
        RunWriter writer = new RunWriter(runs, "r1", MeasurementsTest.T0);
        List<TaskRecord> swarm = tasks("swarm", "latency", 7);
        List<TaskRecord> k8s = tasks("kubernetes", "latency", 5);
        writer.record(cluster("swarm"), result("latency", swarm), swarm);
        writer.record(cluster("kubernetes"), result("latency", k8s), k8s);

        RunSummary summary = RunWriter.read(writer.summaryFile());
        assertThat(summary.runId()).isEqualTo("r1");
        assertThat(summary.startedAt()).isEqualTo(MeasurementsTest.T0);
        assertThat(summary.orchestrators()).extracting(OrchestratorResults::name).containsExactly("swarm", "kubernetes");

        List<TaskRecord> read = TaskCsv.read(writer.tasksFile());
        assertThat(read).hasSize(12);
        assertThat(read.get(0).lastDetail()).isEqualTo("assigned, with \"quotes\", and commas");
        for (OrchestratorResults o : summary.orchestrators()) {
            List<TaskRecord> mine = read.stream().filter(t -> t.orchestrator().equals(o.name())).toList();
            for (Metric m : o.scenarios().get(0).metrics()) {
                assertThat(Recompute.differences(m, Recompute.metric(m.name(), mine).orElseThrow()))
                        .as("%s %s", o.name(), m.name()).isEmpty();
            }
        }
    }

    @Test
    void aScenarioRecordedAgainReplacesItsSummaryEntryAndItsRows() throws Exception {
        RunWriter writer = new RunWriter(runs, "r2", MeasurementsTest.T0);
        writer.record(cluster("swarm"), result("latency", tasks("swarm", "latency", 4)), tasks("swarm", "latency", 4));
        writer.record(cluster("swarm"), result("other", tasks("swarm", "other", 2)), tasks("swarm", "other", 2));
        writer.record(cluster("swarm"), result("latency", tasks("swarm", "latency", 3)), tasks("swarm", "latency", 3));

        RunSummary summary = RunWriter.read(writer.summaryFile());
        assertThat(summary.orchestrators()).hasSize(1);
        assertThat(summary.orchestrators().get(0).scenarios()).extracting(ScenarioResult::scenario).containsExactlyInAnyOrder("latency", "other");
        assertThat(TaskCsv.read(writer.tasksFile())).hasSize(5);
        assertThat(Files.readAllLines(writer.tasksFile()).get(0)).startsWith("orchestrator,scenario,");
    }

    @Test
    void recomputeReportsATamperedFigure() {
        List<TaskRecord> t = tasks("swarm", "latency", 10);
        Metric real = Measurements.latency("submit_to_scheduled_ms", t, Phase.SCHEDULED, Clock.SERVER);
        Metric flattering = new Metric(real.name(), real.unit(), real.n(), real.p50() - 1, real.p90(), real.p99(), real.max(),
                null, real.clock(), real.errors(), null);
        assertThat(Recompute.differences(flattering, Recompute.metric(real.name(), t).orElseThrow()))
                .singleElement().asString().startsWith("p50 reported");
    }

    @Test
    void comparisonPagePutsOrchestratorsSideBySide() throws Exception {
        RunWriter writer = new RunWriter(runs, "r3", MeasurementsTest.T0);
        writer.record(cluster("swarm"), result("latency", tasks("swarm", "latency", 4)), tasks("swarm", "latency", 4));
        writer.record(cluster("kubernetes"), result("latency", tasks("kubernetes", "latency", 4)), tasks("kubernetes", "latency", 4));
        String html = ComparisonPage.render(RunWriter.read(writer.summaryFile()), ComparisonPage.history(runs));
        assertThat(html).contains("<th>swarm</th><th>kubernetes</th>").contains("submit_to_scheduled_ms").contains("<svg");
    }

    @Test
    void theOrchestratorsConditionsStandNextToTheFigures() {
        ScenarioResult s = new ScenarioResult("failure-recovery", "passed", null, Instant.now(), Instant.now(),
                Map.of("scenario.recovery.replicas", "6", "testbed.runId", "r", "swarm.dispatcher.heartbeat", "5000 ms"), List.of());
        assertThat(ComparisonPage.conditions(s)).isEqualTo("swarm.dispatcher.heartbeat = 5000 ms");
    }
}
