package org.computeops.scenarios.harness;

import org.computeops.results.files.RunFolder;

import java.nio.file.Path;

/**
 * What one test JVM knows about the run it belongs to: its parameters, its run id and folder.
 * Made once, so that the Allure listener and the orchestrator session write to the same folder.
 * {@code testbed.repoDir} (set by the POM) locates the checkout; the run id is
 * {@code testbed.runId}, else a new one.
 */
final class RunContext {

    private static RunContext current;

    private final ScenarioParameters parameters;
    private final RunFolder folder;

    private RunContext(ScenarioParameters parameters) {
        this.parameters = parameters;
        Path repo = Path.of(parameters.string("testbed.repoDir", ".")).toAbsolutePath().normalize();
        String runId = parameters.string("testbed.runId", RunFolder.newRunId("run"));
        this.folder = RunFolder.of(RunFolder.runsDir(repo), runId);
    }

    static synchronized RunContext get() {
        if (current == null) current = new RunContext(ScenarioParameters.fromSystem());
        return current;
    }

    /** True in a JVM that runs scenarios against an orchestrator (not the harness's own unit tests). */
    static boolean scenarioJvm() {
        String orchestrator = System.getProperty("testbed.orchestrator");
        return orchestrator != null && !orchestrator.isBlank();
    }

    ScenarioParameters parameters() {
        return parameters;
    }

    RunFolder folder() {
        return folder;
    }
}
