package org.computeops.results.files;

import org.computeops.results.measurements.Latency;
import org.computeops.results.measurements.MeasurementKinds;
import org.computeops.results.measurements.Evidence;
import org.computeops.results.model.Phase;
import org.computeops.results.model.PhaseTimes;
import org.computeops.results.model.RunSummary;
import org.computeops.results.model.ScenarioResult;
import org.computeops.results.model.OrchestratorResults;
import org.computeops.results.model.TaskRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.computeops.results.Fixtures.T0;
import static org.computeops.results.Fixtures.cluster;

public class RunFilesTest {

    @TempDir
    Path runs;

    public static List<TaskRecord> tasks(String orchestrator, String scenario, int n) {
        List<TaskRecord> tasks = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            tasks.add(new TaskRecord(orchestrator, scenario, "d", "w", "t" + i, "node-1", false, 0, T0, T0.plusMillis(3),
                    Map.of(Phase.SCHEDULED, new PhaseTimes(T0.plusNanos(i * 1_234_567L), T0.plusMillis(i * 2L))),
                    "assigned, with \"quotes\", and commas"));
        }
        return tasks;
    }

    public static ScenarioResult result(String scenario, List<TaskRecord> tasks) {
        return new ScenarioResult(scenario, "passed", null, Instant.now(), Instant.now(), Map.of("scenario.latency.tasks", "7"),
                MeasurementKinds.compute(new Latency(Phase.SCHEDULED), new Evidence(tasks, null)));
    }

    @Test
    void twoOrchestratorsShareOneRunAndTheRowsReadBackExactly() throws Exception {
        RunFiles files = new RunFiles(RunFolder.of(runs, "r1"), T0);
        List<TaskRecord> swarm = tasks("swarm", "latency", 7);
        List<TaskRecord> k8s = tasks("kubernetes", "latency", 5);
        files.record(cluster("swarm"), result("latency", swarm), swarm);
        files.record(cluster("kubernetes"), result("latency", k8s), k8s);

        RunSummary summary = RunFiles.readSummary(files.folder());
        assertThat(summary.runId()).isEqualTo("r1");
        assertThat(summary.startedAt()).isEqualTo(T0);
        assertThat(summary.orchestrators()).extracting(OrchestratorResults::name).containsExactly("swarm", "kubernetes");
        assertThat(summary.orchestrators().get(0).scenarios().get(0).figures())
                .allSatisfy(f -> assertThat(f.measurement()).isEqualTo("Latency"));

        List<TaskRecord> read = RunFiles.readTasks(files.folder());
        assertThat(read).hasSize(12);
        assertThat(read.get(0)).isEqualTo(swarm.get(0));
        assertThat(read.get(0).lastDetail()).isEqualTo("assigned, with \"quotes\", and commas");
    }

    @Test
    void aScenarioRecordedAgainReplacesItsSummaryEntryAndItsRows() throws Exception {
        RunFiles files = new RunFiles(RunFolder.of(runs, "r2"), T0);
        files.record(cluster("swarm"), result("latency", tasks("swarm", "latency", 4)), tasks("swarm", "latency", 4));
        files.record(cluster("swarm"), result("other", tasks("swarm", "other", 2)), tasks("swarm", "other", 2));
        files.record(cluster("swarm"), result("latency", tasks("swarm", "latency", 3)), tasks("swarm", "latency", 3));

        RunSummary summary = RunFiles.readSummary(files.folder());
        assertThat(summary.orchestrators()).hasSize(1);
        assertThat(summary.orchestrators().get(0).scenarios()).extracting(ScenarioResult::scenario).containsExactlyInAnyOrder("latency", "other");
        assertThat(RunFiles.readTasks(files.folder())).hasSize(5);
        assertThat(Files.readAllLines(files.folder().tasksFile()).get(0)).startsWith("orchestrator,scenario,");
    }

    @Test
    void theRunFolderOwnsTheLayoutAndTheRunId() {
        RunFolder run = RunFolder.of(RunFolder.runsDir(Path.of("/repo")), "compare-20261129-101500");
        assertThat(run.dir()).isEqualTo(Path.of("/repo/results/runs/compare-20261129-101500"));
        assertThat(run.allureResults()).isEqualTo(run.dir().resolve("allure-results"));
        assertThat(RunFolder.newRunId("test")).matches("test-\\d{8}-\\d{6}");
        assertThatThrownBy(() -> RunFolder.of(runs, "Bad_Id")).hasMessageContaining("testbed.runId");
    }
}
