package org.computeops.results.files;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * The one owner of a run's folder, {@code results/runs/RUN_ID/}, and of the run id (format,
 * default, validation). The POMs, the harness, the writers, the CLI and infra/testbed all go
 * through here, so the layout is written down once.
 */
public record RunFolder(Path dir, String runId) {

    /** Run ids are also label values on every orchestrator: lower-case letters, digits and '-', at most 32. */
    public static final Pattern RUN_ID = Pattern.compile("[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    public RunFolder {
        checkRunId(runId);
    }

    /** {@code REPO/results/runs}: where every run of a checkout lives. */
    public static Path runsDir(Path repoDir) {
        return repoDir.resolve("results").resolve("runs");
    }

    public static RunFolder of(Path runsDir, String runId) {
        return new RunFolder(runsDir.resolve(checkRunId(runId)), runId);
    }

    /** A new run id: the purpose (compare, test, run) and the UTC time to the second. */
    public static String newRunId(String purpose) {
        return checkRunId(purpose + "-" + ZonedDateTime.now(ZoneOffset.UTC).format(STAMP));
    }

    private static final Pattern PURPOSE = Pattern.compile("(.*)-\\d{8}-\\d{6}");

    /** What a run was for (compare, test, run): the first word of a generated run id, else the whole id. */
    public static String purpose(String runId) {
        java.util.regex.Matcher m = PURPOSE.matcher(runId);
        return m.matches() ? m.group(1) : runId;
    }

    public static String checkRunId(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("testbed.runId must be 1-32 lower-case letters, digits or '-' "
                    + "(it labels every object the run creates), was '" + runId + "'");
        }
        return runId;
    }

    public boolean exists() {
        return Files.exists(summaryFile());
    }

    public Path summaryFile() {
        return dir.resolve("summary.json");
    }

    public Path tasksFile() {
        return dir.resolve("tasks.csv");
    }

    public Path comparisonPage() {
        return dir.resolve("comparison.html");
    }

    public Path allureResults() {
        return dir.resolve("allure-results");
    }

    public Path allureReport() {
        return dir.resolve("allure-report");
    }

    /** Gatling's reports of one orchestrator's load runs. */
    public Path gatlingDir(String orchestrator) {
        return dir.resolve("gatling").resolve(orchestrator);
    }
}
