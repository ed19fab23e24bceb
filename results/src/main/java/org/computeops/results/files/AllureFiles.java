package org.computeops.results.files;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.computeops.results.model.OrchestratorResults;
import org.computeops.results.model.RunSummary;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What the Allure report of a run needs beyond the harness's results: categories that say who
 * failed (the orchestrator or the testbed), the environment of every orchestrator of the run,
 * an executor entry linking back to the comparison page, and the previous run's history so the
 * Trend widget fills.
 */
public final class AllureFiles {

    /**
     * Allure puts a result into every category it matches, so the patterns exclude each other:
     * an SLO breach, a broken threshold and a blown error budget are not also "a check failed".
     * Allure matches {@code messageRegex} against the whole message.
     */
    public static final String CATEGORIES = """
            [
              {"name": "Orchestrator missed an SLO (slo.properties)", "matchedStatuses": ["failed"], "messageRegex": "(?s)SLO breached: .*"},
              {"name": "Orchestrator broke a placement rule (GPU misplaced or overcommitted)", "matchedStatuses": ["failed"], "messageRegex": "(?s)(?!SLO breached: ).*threshold broken.*"},
              {"name": "Testbed could not measure: too many tasks without a reading (error budget)", "matchedStatuses": ["failed"], "messageRegex": "(?s)(?!SLO breached: )(?!.*threshold broken).*error budget.*"},
              {"name": "Orchestrator failed a check or a deadline of the scenario", "matchedStatuses": ["failed"], "messageRegex": "(?s)(?!SLO breached: )(?!.*threshold broken)(?!.*error budget).*"},
              {"name": "Testbed outage: the orchestrator stopped answering its health check for longer than testbed.health.budgetSeconds", "matchedStatuses": ["broken"], "messageRegex": "(?s)testbed outage: .*"},
              {"name": "Testbed fault: a node the scenario did not stop went down during it", "matchedStatuses": ["broken"], "messageRegex": "(?s)testbed fault: .*"},
              {"name": "Testbed or harness broke: the scenario could not run to its end", "matchedStatuses": ["broken"], "messageRegex": "(?s)(?!testbed outage: )(?!testbed fault: ).*"},
              {"name": "Skipped: the orchestrator lacks a capability or the testbed a setting", "matchedStatuses": ["skipped"]}
            ]
            """;

    private AllureFiles() {
    }

    public static void writeCategories(Path allureResults) throws IOException {
        Files.createDirectories(allureResults);
        Files.writeString(allureResults.resolve("categories.json"), CATEGORIES);
    }

    /** environment.properties with every orchestrator of summary.json (also those whose JVM wrote none). */
    public static void writeEnvironment(Path allureResults, RunSummary run) throws IOException {
        mergeEnvironment(allureResults, run.runId(), run.orchestrators());
    }

    /**
     * Merges orchestrators' lines into environment.properties, keeping the others' (several
     * orchestrators' JVMs share one run); one line each, older per-key entries of theirs removed.
     */
    public static synchronized void mergeEnvironment(Path allureResults, String runId, List<OrchestratorResults> orchestrators)
            throws IOException {
        Files.createDirectories(allureResults);
        Path file = allureResults.resolve("environment.properties");
        Properties props = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                props.load(in);
            }
        }
        props.setProperty("run.id", runId);
        for (OrchestratorResults o : orchestrators) {
            props.stringPropertyNames().stream().filter(k -> k.startsWith(o.name() + ".")).toList().forEach(props::remove);
            props.setProperty(o.name(), environmentValue(o));
        }
        try (Writer out = Files.newBufferedWriter(file)) {
            for (var e : new TreeMap<>(props).entrySet()) out.write(e.getKey() + "=" + e.getValue() + "\n");
        }
    }

    /**
     * One entry per orchestrator (Allure's Environment widget shows the first five entries,
     * so one line each keeps every orchestrator of a run in view).
     */
    public static String environmentValue(OrchestratorResults o) {
        return o.version() + "; " + o.nodeCount() + " nodes (" + o.nodes().stream().filter(n -> n.simulated()).count()
                + " simulated); " + o.nodes().stream().mapToInt(n -> n.gpus()).sum() + " GPUs; " + o.endpoint();
    }

    /** executor.json: Allure's Executors widget names the run and links back to the comparison page. */
    public static void writeExecutor(Path allureResults, RunSummary run) throws IOException {
        ObjectNode executor = Json.MAPPER.createObjectNode()
                .put("name", "ComputeOps testbed")
                .put("type", "computeops")
                .put("buildName", "run " + run.runId() + ": comparison page")
                .put("buildUrl", "../comparison.html")
                .put("reportName", "ComputeOps run " + run.runId())
                .put("reportUrl", "index.html");
        Files.writeString(allureResults.resolve("executor.json"), Json.MAPPER.writeValueAsString(executor));
    }

    /**
     * The Allure history of the previous run of the same purpose (run id's first word): a
     * {@code test} run continues the trend of test runs, a {@code compare} run that of compare
     * runs; mixing them would draw small tuned runs and full runs as one line. "Previous" is by
     * summary.json's start time, not by file times (a rebuilt old report is not newer).
     */
    public static Optional<Path> previousHistory(RunFolder run, RunSummary summary) throws IOException {
        Path runs = run.dir().getParent();
        String purpose = RunFolder.purpose(summary.runId());
        RunSummary best = null;
        Path bestDir = null;
        try (Stream<Path> dirs = Files.list(runs)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                if (d.equals(run.dir()) || !Files.isDirectory(d.resolve("allure-report").resolve("history"))) continue;
                RunSummary s;
                try {
                    s = RunFiles.read(d.resolve("summary.json"));
                } catch (IOException e) {
                    continue;
                }
                if (s == null || !RunFolder.purpose(s.runId()).equals(purpose) || !s.startedAt().isBefore(summary.startedAt())) continue;
                if (best == null || s.startedAt().isAfter(best.startedAt())) {
                    best = s;
                    bestDir = d;
                }
            }
        }
        return Optional.ofNullable(bestDir).map(d -> d.resolve("allure-report").resolve("history"));
    }

    /** Replaces allure-results/history with a copy of {@code history}. */
    public static void copyHistory(Path history, Path allureResults) throws IOException {
        Path target = allureResults.resolve("history");
        if (Files.exists(target)) {
            try (Stream<Path> old = Files.walk(target)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        Files.createDirectories(target);
        try (Stream<Path> files = Files.list(history)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) Files.copy(f, target.resolve(f.getFileName()));
        }
    }
}
