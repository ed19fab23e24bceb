package org.computeops.gatling;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import io.gatling.app.Gatling$;
import org.computeops.results.files.GatlingReport;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Runs {@link ServiceLoadSimulation} in this JVM and reads the statistics Gatling wrote for its report. */
public final class GatlingRunner {

    private GatlingRunner() {
    }

    public static LoadReport run(LoadPlan plan, Path resultsDir, String description) throws IOException {
        return run(plan, resultsDir, description, new LoadTargets());
    }

    /**
     * @param targets set to the plan's targets when the load starts; {@link LoadTargets#set} them
     *                while this runs to move the load (for example onto the replicas of a scale-out)
     */
    public static synchronized LoadReport run(LoadPlan plan, Path resultsDir, String description, LoadTargets targets)
            throws IOException {
        // A folder of its own per load run: the report found afterwards is this run's, not an older one's.
        Path runDir = Files.createDirectories(resultsDir).resolve("load-" + java.time.Instant.now().toEpochMilli());
        Files.createDirectories(runDir);
        targets.set(plan.targetUrls());
        ServiceLoadSimulation.targets = targets;
        System.setProperty(ServiceLoadSimulation.RATES, String.join(",", plan.ratesPerSecond().stream().map(String::valueOf).toList()));
        System.setProperty(ServiceLoadSimulation.STEP_SECONDS, Integer.toString(plan.stepSeconds()));
        int code;
        try {
            code = Gatling$.MODULE$.fromArgs(new String[] {
                    "--simulation", ServiceLoadSimulation.class.getName(),
                    "--results-folder", runDir.toAbsolutePath().toString(),
                    "--run-description", description,
                    "--launcher", "computeops"});
        } finally {
            ServiceLoadSimulation.targets = null;
        }
        restoreLogging();
        Path report = newestReport(runDir);
        if (code != 0) throw new IOException("Gatling exited with code " + code + " (its report, if any: " + report + ")");
        if (report == null) throw new IOException("Gatling wrote no report under " + runDir);
        return read(report);
    }

    /** Gatling stops logback's context when it ends; the test JVM goes on and still wants its log lines. */
    private static void restoreLogging() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context && !context.isStarted()) {
            context.reset();
            try {
                new ContextInitializer(context).autoConfig();
            } catch (JoranException e) {
                context.start();
            }
        }
    }

    private static Path newestReport(Path resultsDir) throws IOException {
        try (Stream<Path> dirs = Files.list(resultsDir)) {
            return dirs.filter(d -> Files.exists(d.resolve("index.html")))
                    .max(Comparator.comparing(d -> d.toFile().lastModified())).orElse(null);
        }
    }

    /** Gatling's statistics from the report it wrote (see {@link GatlingReport}). */
    static LoadReport read(Path reportDir) throws IOException {
        GatlingReport.Table table = GatlingReport.read(reportDir);
        return new LoadReport(reportDir, table.overall(), table.steps());
    }
}
