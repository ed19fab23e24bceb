package org.computeops.results.report;

import org.computeops.results.files.RunFiles;
import org.computeops.results.files.RunFolder;
import org.computeops.results.model.ScenarioResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.computeops.results.Fixtures.T0;
import static org.computeops.results.Fixtures.cluster;
import static org.computeops.results.files.RunFilesTest.result;
import static org.computeops.results.files.RunFilesTest.tasks;

class ComparisonPageTest {

    @TempDir
    Path runs;

    @Test
    void comparisonPagePutsOrchestratorsSideBySide() throws Exception {
        RunFiles files = new RunFiles(RunFolder.of(runs, "r3"), T0);
        files.record(cluster("swarm"), result("latency", tasks("swarm", "latency", 4)), tasks("swarm", "latency", 4));
        files.record(cluster("kubernetes"), result("latency", tasks("kubernetes", "latency", 4)), tasks("kubernetes", "latency", 4));
        String html = ComparisonPage.render(RunFiles.readSummary(files.folder()), ComparisonPage.history(runs));
        assertThat(html).contains("<th>swarm</th><th>kubernetes</th>").contains("submit_to_scheduled_ms").contains("<svg");
    }

    @Test
    void theOrchestratorsConditionsStandNextToTheFigures() {
        ScenarioResult s = new ScenarioResult("failure-recovery", "passed", null, Instant.now(), Instant.now(),
                Map.of("scenario.recovery.replicas", "6", "testbed.runId", "r", "swarm.dispatcher.heartbeat", "5000 ms"), List.of());
        assertThat(ComparisonPage.conditions(s)).isEqualTo("swarm.dispatcher.heartbeat = 5000 ms");
    }
}
