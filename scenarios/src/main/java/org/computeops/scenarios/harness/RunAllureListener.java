package org.computeops.scenarios.harness;

import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.junitplatform.AllureJunitPlatform;
import org.junit.platform.launcher.TestIdentifier;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Allure's JUnit listener, writing into the run's folder and giving each (scenario, orchestrator)
 * pair its own history: Allure folds results of one history id into retries, which hid every
 * orchestrator's results but the last one's. Replaces Allure's own listener (deactivated in
 * junit-platform.properties); outside a scenario JVM it behaves exactly like it.
 */
public final class RunAllureListener extends AllureJunitPlatform {

    public RunAllureListener() {
        super(lifecycle());
    }

    private static AllureLifecycle lifecycle() {
        if (!RunContext.scenarioJvm()) return Allure.getLifecycle();
        AllureLifecycle lifecycle = new AllureLifecycle(new FileSystemResultsWriter(RunContext.get().folder().allureResults()));
        Allure.setLifecycle(lifecycle);
        return lifecycle;
    }

    @Override
    protected String getHistoryId(TestIdentifier test) {
        return historyId(test.getUniqueId(), System.getProperty("testbed.orchestrator", ""));
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
