package org.computeops.reportcheck;

import io.qameta.allure.Allure;
import org.computeops.results.files.RunFiles;
import org.computeops.results.files.RunFolder;
import org.computeops.results.model.ScenarioResult;
import org.computeops.scenarios.harness.AllureAttachments;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

/**
 * The tiny suite SyntheticRun runs once per orchestrator: each test ends as its scenario did in
 * summary.json and attaches what the harness attaches, as ScenarioExecution does at its finish.
 * Not a test of this module (it matches no surefire include).
 */
class SyntheticScenarios {

    private static void finish(String scenario) throws Exception {
        String orchestrator = System.getProperty("testbed.orchestrator");
        RunFolder folder = RunFolder.of(RunFolder.runsDir(Path.of(System.getProperty("testbed.repoDir"))), System.getProperty("testbed.runId"));
        ScenarioResult result = RunFiles.readSummary(folder).orchestrator(orchestrator).orElseThrow().scenarios().stream()
                .filter(s -> s.scenario().equals(scenario)).findFirst().orElseThrow();
        Allure.label("parentSuite", orchestrator);
        Allure.parameter("orchestrator", orchestrator);
        AllureAttachments.attachFigures(orchestrator, result);
        switch (result.status()) {
            case "failed" -> throw new AssertionError(result.reason());
            case "broken" -> throw new IllegalStateException(result.reason());
            case "skipped" -> Assumptions.abort(result.reason());
            default -> { }
        }
    }

    @Test
    @DisplayName("Scheduling latency: submit to scheduled and to running, per task")
    void schedulingLatency() throws Exception {
        finish("scheduling-latency");
    }

    @Test
    @DisplayName("Batch throughput: tasks completed per second")
    void batchThroughput() throws Exception {
        finish("batch-throughput");
    }

    @Test
    @DisplayName("GPU placement: no GPU task misplaced or overcommitted")
    void gpuPlacement() throws Exception {
        finish("gpu-placement");
    }

    @Test
    @DisplayName("Failure recovery: a worker node stopped hard")
    void failureRecovery() throws Exception {
        finish("failure-recovery");
    }

    @Test
    @DisplayName("GPU sharing: two tasks on one GPU")
    void gpuSharing() throws Exception {
        finish("gpu-sharing");
    }

    @Test
    @DisplayName("Service under load: Gatling steps and a scale-out")
    void serviceUnderLoad() throws Exception {
        finish("service-under-load");
    }
}
