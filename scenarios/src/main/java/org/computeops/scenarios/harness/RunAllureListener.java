package org.computeops.scenarios.harness;

import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.junitplatform.AllureJunitPlatform;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.TestResult;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Allure's JUnit listener, writing into the run's folder and giving each (scenario, orchestrator)
 * pair its own history: Allure folds results of one history id into retries, which hid every
 * orchestrator's results but the last one's. Replaces Allure's own listener (deactivated in
 * junit-platform.properties); outside a scenario JVM it behaves exactly like it.
 *
 * <p>Beyond the history id, each test case is named for its orchestrator everywhere Allure
 * groups or counts (see {@link #identify}), and when the test plan starts the run folder is
 * written to {@code testbed.lastRunFile} when set, so that a bare {@code mvn verify} can build the
 * run's report (the POM's publish step reads it).
 */
public final class RunAllureListener extends AllureJunitPlatform {

    public RunAllureListener() {
        super(lifecycle());
    }

    private static AllureLifecycle lifecycle() {
        if (!RunContext.scenarioJvm()) return Allure.getLifecycle();
        AllureLifecycle lifecycle = new AllureLifecycle(new FileSystemResultsWriter(RunContext.get().folder().allureResults())) {
            @Override
            public void scheduleTestCase(TestResult result) {
                super.scheduleTestCase(identify(result, System.getProperty("testbed.orchestrator", "")));
            }

            @Override
            public void scheduleTestCase(String containerUuid, TestResult result) {
                super.scheduleTestCase(containerUuid, identify(result, System.getProperty("testbed.orchestrator", "")));
            }
        };
        Allure.setLifecycle(lifecycle);
        return lifecycle;
    }

    @Override
    protected String getHistoryId(TestIdentifier test) {
        return historyId(test.getUniqueId(), System.getProperty("testbed.orchestrator", ""));
    }

    /**
     * The same JUnit test on another orchestrator is another test case: its name and full name
     * carry the orchestrator, its testCaseId differs, and its labels put it under the
     * orchestrator in Suites (parentSuite), under the scenario and the orchestrator in Behaviors
     * (feature, story), and name both for the report's SLO step (orchestrator).
     */
    static TestResult identify(TestResult result, String orchestrator) {
        if (orchestrator.isBlank()) return result;
        String suite = label(result, "suite");
        if (suite == null) suite = result.getName();
        result.setName(result.getName() + " [" + orchestrator + "]");
        result.setFullName(result.getFullName() + "[" + orchestrator + "]");
        result.setTestCaseId(historyId(result.getFullName(), orchestrator));
        List<Label> labels = new ArrayList<>(result.getLabels());
        labels.removeIf(l -> List.of("parentSuite", "suite", "subSuite", "feature", "story", "orchestrator").contains(l.getName()));
        labels.add(new Label().setName("parentSuite").setValue(orchestrator));
        labels.add(new Label().setName("suite").setValue(suite));
        labels.add(new Label().setName("feature").setValue(suite));
        labels.add(new Label().setName("story").setValue(orchestrator));
        labels.add(new Label().setName("orchestrator").setValue(orchestrator));
        result.setLabels(labels);
        return result;
    }

    private static String label(TestResult result, String name) {
        return result.getLabels().stream().filter(l -> name.equals(l.getName())).map(Label::getValue).findFirst().orElse(null);
    }

    /** Written at the start, so that a JVM that dies mid-run still points the report at its own (partial) run. */
    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        super.testPlanExecutionStarted(testPlan);
        String file = System.getProperty("testbed.lastRunFile", "");
        if (!RunContext.scenarioJvm() || file.isBlank()) return;
        try {
            Path target = Path.of(file);
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.writeString(target, RunContext.get().folder().dir().toString() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run folder to " + file, e);
        }
    }

    static String historyId(String uniqueId, String orchestrator) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest((uniqueId + "\n" + orchestrator).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
