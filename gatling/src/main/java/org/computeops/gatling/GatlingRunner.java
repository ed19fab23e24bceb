package org.computeops.gatling;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import io.gatling.app.Gatling$;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        Files.createDirectories(resultsDir);
        targets.set(plan.targetUrls());
        ServiceLoadSimulation.targets = targets;
        System.setProperty(ServiceLoadSimulation.RATES, String.join(",", plan.ratesPerSecond().stream().map(String::valueOf).toList()));
        System.setProperty(ServiceLoadSimulation.STEP_SECONDS, Integer.toString(plan.stepSeconds()));
        int code;
        try {
            code = Gatling$.MODULE$.fromArgs(new String[] {
                    "--simulation", ServiceLoadSimulation.class.getName(),
                    "--results-folder", resultsDir.toAbsolutePath().toString(),
                    "--run-description", description,
                    "--launcher", "computeops"});
        } finally {
            ServiceLoadSimulation.targets = null;
        }
        restoreLogging();
        Path report = newestReport(resultsDir);
        if (report == null) throw new IOException("Gatling exited with " + code + " and wrote no report under " + resultsDir);
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

    /**
     * Gatling 3.14 writes its statistics only into the report's HTML table (no stats.json any
     * more), so the rows of that table are read: per request name, then "All Requests".
     */
    static LoadReport read(Path reportDir) throws IOException {
        String html = Files.readString(reportDir.resolve("index.html"));
        List<LoadReport.StepStats> rows = new ArrayList<>();
        Matcher row = ROW.matcher(html);
        while (row.find()) {
            Matcher cell = CELL.matcher(row.group(2));
            List<String> values = new ArrayList<>();
            while (cell.find()) values.add(cell.group(1).trim());
            if (values.size() < 13) continue;
            rows.add(new LoadReport.StepStats(row.group(1).trim(), num(values.get(0)), num(values.get(1)), num(values.get(2)),
                    dbl(values.get(6)), dbl(values.get(7)), dbl(values.get(8)), dbl(values.get(9)), dbl(values.get(10))));
        }
        LoadReport.StepStats overall = rows.stream().filter(r -> r.name().equals("All Requests")).findFirst()
                .orElseThrow(() -> new IOException("no statistics table in " + reportDir.resolve("index.html")));
        List<LoadReport.StepStats> steps = rows.stream().filter(r -> !r.name().equals("All Requests"))
                .sorted(Comparator.comparing(LoadReport.StepStats::name)).toList();
        return new LoadReport(reportDir, overall, steps);
    }

    private static final Pattern ROW = Pattern.compile(
            "class=\"ellipsed-name\">([^<]+)</span>(.*?)</tr>", Pattern.DOTALL);
    private static final Pattern CELL = Pattern.compile("<td class=\"value[^\"]*col-\\d+\">([^<]*)</td>");

    private static long num(String s) {
        return s.equals("-") ? 0 : Long.parseLong(s);
    }

    private static double dbl(String s) {
        return s.equals("-") ? Double.NaN : Double.parseDouble(s);
    }
}
