package org.computeops.results.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.computeops.results.charts.SvgCharts;
import org.computeops.results.files.Json;
import org.computeops.results.files.RunFolder;
import org.computeops.results.model.Figure;
import org.computeops.results.model.OrchestratorResults;
import org.computeops.results.model.RunSummary;
import org.computeops.results.model.ScenarioResult;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Service-level objectives that fail a run, read from a user-editable properties file
 * ({@code slo.properties} at the repository root): one line per figure and statistic,
 * {@code FIGURE.STAT = LIMIT} (at most LIMIT) or {@code FIGURE.STAT = >= LIMIT} (at least);
 * STAT is value, p50, p90, p99 or max; {@code *} in FIGURE matches any text (load steps).
 *
 * <p>Checked when the report is built, not in the scenario JVM: the same check then covers
 * {@code compare}, {@code test} and a bare {@code mvn verify}, and editing the file and
 * rebuilding the report re-judges a run without running it again. A breach marks the scenario
 * failed in summary.json and in its Allure result, naming the figure and the limit; the
 * statuses before any SLO was applied are kept in {@code slo.json} so a rebuild starts from them.
 */
public final class Slo {

    public static final String FILE = "slo.properties";
    public static final String MARK = "SLO breached: ";

    /** Used when there is no slo.properties: Kubernetes' pod start-up SLO, and the counts that must be 0. */
    public static final String DEFAULTS = """
            submit_to_running_ms.p99 = 5000
            gpu_overcommit.value = 0
            gpu_misplaced.value = 0
            http_errors[*].value = 0
            """;

    public record Rule(String figure, String stat, boolean atLeast, double limit) {
        boolean matches(String name) {
            return Pattern.compile(("\\Q" + figure + "\\E").replace("*", "\\E.*\\Q")).matcher(name).matches();
        }

        public String text() {
            return figure + "." + stat + (atLeast ? " >= " : " <= ") + SvgCharts.fmt(limit);
        }
    }

    public record Check(String orchestrator, String scenario, int repetition, String figure, String stat, String unit, String rule,
                        Double actual, boolean breached) {
        public String describe() {
            return figure + " " + stat + " = " + (actual == null ? "no reading" : SvgCharts.fmt(actual) + " " + unit) + ", SLO " + rule;
        }
    }

    /** What slo.json keeps: the file used, every check, and the statuses before any SLO was applied. */
    public record Outcome(String source, List<String> rules, List<Check> checks, Map<String, Original> original) {
        public List<Check> breaches() {
            return checks.stream().filter(Check::breached).toList();
        }
    }

    public record Original(String status, String reason) {
    }

    private Slo() {
    }

    public static List<Rule> parse(String text) throws IOException {
        Properties p = new Properties();
        try (Reader in = new StringReader(text)) {
            p.load(in);
        }
        List<Rule> rules = new ArrayList<>();
        for (String key : new java.util.TreeSet<>(p.stringPropertyNames())) {
            int dot = key.lastIndexOf('.');
            String stat = dot < 0 ? "" : key.substring(dot + 1);
            if (!List.of("value", "p50", "p90", "p99", "max").contains(stat)) {
                throw new IllegalArgumentException(FILE + ": '" + key + "' must end in .value, .p50, .p90, .p99 or .max");
            }
            String v = p.getProperty(key).trim();
            boolean atLeast = v.startsWith(">=");
            v = v.replaceFirst("^(>=|<=)", "").trim();
            try {
                rules.add(new Rule(key.substring(0, dot), stat, atLeast, Double.parseDouble(v)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(FILE + ": '" + key + "' needs a number (or '>= number'), was '" + p.getProperty(key) + "'");
            }
        }
        return rules;
    }

    static Double stat(Figure f, String stat) {
        return switch (stat) {
            case "value" -> f.value();
            case "p50" -> f.p50();
            case "p90" -> f.p90();
            case "p99" -> f.p99();
            case "max" -> f.max();
            default -> null;
        };
    }

    /** Every rule against every matching figure. A matching figure without the statistic is a breach: it cannot show the SLO holds. */
    public static List<Check> check(RunSummary run, List<Rule> rules) {
        List<Check> checks = new ArrayList<>();
        for (OrchestratorResults o : run.orchestrators()) {
            for (ScenarioResult s : o.scenarios()) {
                for (Figure f : s.figures()) {
                    for (Rule r : rules) {
                        if (!r.matches(f.name())) continue;
                        Double actual = stat(f, r.stat());
                        boolean breached = actual == null || (r.atLeast() ? actual < r.limit() : actual > r.limit());
                        checks.add(new Check(o.name(), s.scenario(), s.repetition(), f.name(), r.stat(), f.unit(), r.text(), actual, breached));
                    }
                }
            }
        }
        return checks;
    }

    /** One scenario's repetition: a breach in one repetition fails that one, not its siblings. */
    static String key(String orchestrator, String scenario, int repetition) {
        return orchestrator + "/" + scenario + "#" + repetition;
    }

    /**
     * Applies the SLOs to a run: restores the statuses from before any earlier application,
     * marks scenarios with a breach failed (summary.json and their Allure results) and writes slo.json.
     */
    public static Outcome apply(RunFolder run, Path sloFile) throws IOException {
        String source = sloFile != null && Files.exists(sloFile) ? sloFile.toString() : "built-in defaults (no " + FILE + ")";
        List<Rule> rules = parse(sloFile != null && Files.exists(sloFile) ? Files.readString(sloFile) : DEFAULTS);
        Path sloJson = run.dir().resolve("slo.json");
        Map<String, Original> original = new LinkedHashMap<>();
        if (Files.exists(sloJson)) original.putAll(Json.MAPPER.readValue(sloJson.toFile(), Outcome.class).original());
        RunSummary summary = org.computeops.results.files.RunFiles.readSummary(run);
        // back to the statuses the scenarios themselves reported
        List<OrchestratorResults> restored = new ArrayList<>();
        for (OrchestratorResults o : summary.orchestrators()) {
            List<ScenarioResult> scenarios = new ArrayList<>();
            for (ScenarioResult s : o.scenarios()) {
                // slo.json of runs before repetitions were keyed: "orchestrator/scenario"
                Original was = original.computeIfAbsent(key(o.name(), s.scenario(), s.repetition()),
                        k -> original.getOrDefault(o.name() + "/" + s.scenario(), new Original(s.status(), s.reason())));
                scenarios.add(with(s, was.status(), was.reason()));
            }
            restored.add(new OrchestratorResults(o.name(), o.version(), o.endpoint(), o.nodeCount(), o.nodes(), scenarios));
        }
        RunSummary clean = new RunSummary(summary.runId(), summary.startedAt(), summary.updatedAt(), restored);
        List<Check> checks = check(clean, rules);
        List<OrchestratorResults> judged = new ArrayList<>();
        Map<String, String> sloTexts = new LinkedHashMap<>();
        for (OrchestratorResults o : clean.orchestrators()) {
            List<ScenarioResult> scenarios = new ArrayList<>();
            for (ScenarioResult s : o.scenarios()) {
                List<String> broken = checks.stream().filter(c -> c.breached() && c.orchestrator().equals(o.name())
                        && c.scenario().equals(s.scenario()) && c.repetition() == s.repetition()).map(Check::describe).toList();
                if (broken.isEmpty() || "skipped".equals(s.status())) {
                    scenarios.add(s);
                } else {
                    String slo = MARK + String.join("; ", broken) + " (" + FILE + ")";
                    sloTexts.put(key(o.name(), s.scenario(), s.repetition()), slo);
                    // a scenario that failed by itself keeps its own reason first; a passed one fails for the SLO
                    boolean passed = "passed".equals(s.status());
                    String reason = s.reason() == null ? slo : passed ? slo + "; " + s.reason() : s.reason() + "; " + slo;
                    scenarios.add(with(s, passed ? "failed" : s.status(), reason));
                }
            }
            judged.add(new OrchestratorResults(o.name(), o.version(), o.endpoint(), o.nodeCount(), o.nodes(), scenarios));
        }
        writeAtomically(run.summaryFile(), Json.MAPPER.writeValueAsString(new RunSummary(summary.runId(), summary.startedAt(), summary.updatedAt(), judged)));
        Outcome outcome = new Outcome(source, rules.stream().map(Rule::text).toList(), checks, original);
        writeAtomically(sloJson, Json.MAPPER.writeValueAsString(outcome));
        markAllure(run, sloTexts);
        return outcome;
    }

    private static ScenarioResult with(ScenarioResult s, String status, String reason) {
        return new ScenarioResult(s.scenario(), status, reason, s.startedAt(), s.finishedAt(), s.parameters(), s.figures(), s.repetition());
    }

    /**
     * Sets each Allure result's status and message to its scenario's, found by the labels the
     * harness writes ({@code orchestrator}, {@code scenario}); the status before the SLO step is
     * kept in the result's own {@code computeops.status} label, so a rebuild restores it first.
     */
    static void markAllure(RunFolder run, Map<String, String> sloTexts) throws IOException {
        Path dir = run.allureResults();
        if (!Files.isDirectory(dir)) return;
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith("-result.json")).toList()) {
                ObjectNode result = (ObjectNode) Json.MAPPER.readTree(f.toFile());
                String orchestrator = label(result, "orchestrator"), scenario = label(result, "scenario"), repetition = label(result, "repetition");
                if (orchestrator == null || scenario == null) continue;
                ObjectNode details = result.has("statusDetails") && result.get("statusDetails").isObject()
                        ? (ObjectNode) result.get("statusDetails") : result.putObject("statusDetails");
                String message = details.path("message").asText("");
                // the scenario's own message, without what an earlier SLO step put in front of it
                int mark = message.indexOf(MARK);
                String own = mark < 0 ? message : mark > 0 ? message.substring(0, mark).strip()
                        : message.indexOf('\n') < 0 ? "" : message.substring(message.indexOf('\n') + 1);
                String sloPart = sloTexts.get(key(orchestrator, scenario, repetition == null ? 1 : Integer.parseInt(repetition)));
                boolean breached = sloPart != null;
                String ownStatus = label(result, "computeops.status");
                if (ownStatus == null) {
                    ownStatus = result.path("status").asText("unknown");
                    result.withArray("labels").addObject().put("name", "computeops.status").put("value", ownStatus);
                }
                if (breached) {
                    result.put("status", "passed".equals(ownStatus) ? "failed" : ownStatus);
                    // a scenario that failed by itself keeps its own message first (and its category); the SLO follows
                    details.put("message", "passed".equals(ownStatus) ? sloPart + (own.isEmpty() ? "" : "\n" + own)
                            : own + "\n" + sloPart);
                } else {
                    result.put("status", ownStatus);
                    details.put("message", own);
                }
                writeAtomically(f, Json.MAPPER.writeValueAsString(result));
            }
        }
    }

    private static String label(JsonNode result, String name) {
        for (JsonNode l : result.path("labels")) if (name.equals(l.path("name").asText())) return l.path("value").asText();
        return null;
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The page's SLO section: the breaches in a table, the checks that were met folded under one
     * line (a long run has over a hundred, and listed open they pushed the figures off the screen).
     */
    public static String section(Outcome outcome) {
        StringBuilder h = new StringBuilder("<h2 id=\"slo\">Service-level objectives</h2><p>From ")
                .append(SvgCharts.esc(outcome.source())).append(": ").append(SvgCharts.esc(String.join("; ", outcome.rules())))
                .append(". A breach fails the scenario (its status above and in Allure) and the run.</p>");
        if (outcome.checks().isEmpty()) return h.append("<p>No figure of this run has an SLO.</p>").toString();
        List<Check> sorted = new ArrayList<>(outcome.checks());
        sorted.sort(java.util.Comparator.comparing(Check::orchestrator)
                .thenComparing(Check::scenario).thenComparing(Check::figure).thenComparingInt(Check::repetition));
        List<Check> breached = sorted.stream().filter(Check::breached).toList();
        List<Check> met = sorted.stream().filter(c -> !c.breached()).toList();
        h.append("<p class=\"slo-count\">").append(breached.size()).append(" of ").append(sorted.size())
                .append(" checks breached, ").append(met.size()).append(" met.</p>");
        if (!breached.isEmpty()) table(h, breached);
        if (!met.isEmpty()) {
            h.append("<details class=\"slo-met\"><summary>the ").append(met.size()).append(" checks that were met</summary>");
            table(h, met);
            h.append("</details>");
        }
        return h.toString();
    }

    private static void table(StringBuilder h, List<Check> checks) {
        h.append("<table class=\"slo\"><tr><th>orchestrator</th><th>scenario</th><th>repetition</th><th>figure</th><th>actual</th><th>SLO</th><th>result</th></tr>");
        for (Check c : checks) {
            h.append("<tr><td>").append(SvgCharts.esc(c.orchestrator())).append("</td><td>").append(SvgCharts.esc(c.scenario()))
                    .append("</td><td>").append(c.repetition()).append("</td><td>").append(SvgCharts.esc(c.figure() + " " + c.stat())).append("</td><td>")
                    .append(c.actual() == null ? "no reading" : SvgCharts.fmt(c.actual()) + " " + SvgCharts.esc(c.unit()))
                    .append("</td><td>").append(SvgCharts.esc(c.rule())).append("</td><td class=\"")
                    .append(c.breached() ? "failed\">BREACHED" : "passed\">met").append("</td></tr>");
        }
        h.append("</table>");
    }
}
