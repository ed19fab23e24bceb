package org.computeops.results.report;

import org.computeops.results.charts.Plots;
import org.computeops.results.charts.SvgCharts;
import org.computeops.results.model.OrchestratorResults;
import org.computeops.results.model.RunSummary;
import org.computeops.results.model.ScenarioResult;
import org.computeops.results.model.TaskRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The comparison page's sections beyond its tables, kept apart from {@link ComparisonPage} so
 * each is one call there: links and SLOs and what changed (top), each scenario's charts, and the
 * history of each figure (bottom).
 */
public record PageSections(String top, Map<String, String> perScenario, String bottom, String runtimes) {

    public static final PageSections NONE = new PageSections("", Map.of(), "");

    public PageSections(String top, Map<String, String> perScenario, String bottom) {
        this(top, perScenario, bottom, "");
    }

    /** The same sections with the container runtimes' section ({@link RuntimesSection}), placed after the scenarios. */
    public PageSections withRuntimes(String section) {
        return new PageSections(top, perScenario, bottom, section);
    }

    public String scenario(String scenario) {
        return perScenario.getOrDefault(scenario, "");
    }

    /** Flagged changes listed open at the top of the page; the others are folded under one line. */
    static final int FLAGGED_OPEN = 10;

    /** Trend charts show at most this many runs. */
    static final int TREND_RUNS = 10;

    public static PageSections of(RunSummary run, List<TaskRecord> tasks, Slo.Outcome slo, List<RunHistory.Line> history) {
        StringBuilder top = new StringBuilder("<style>.charts figure{display:inline-block;margin:4px;vertical-align:top}"
                + "details.history figure,details.history svg{display:inline-block;margin:4px}</style><p class=\"links\"><a id=\"allure-link\" href=\"allure-report/index.html\">Allure report of this run</a>"
                + " &middot; <a href=\"#changes\">what changed since the last run</a> &middot; <a href=\"#history\">history</a>"
                + " &middot; <a href=\"summary.json\">summary.json</a> &middot; <a href=\"tasks.csv\">tasks.csv</a></p>");
        if (slo != null) top.append(Slo.section(slo));
        List<RunHistory.Change> changes = RunHistory.changes(run, history);
        top.append(changesSection(changes));

        Map<String, String> perScenario = new LinkedHashMap<>();
        for (String scenario : scenarios(run)) {
            List<ScenarioCharts.Entry> entries = new ArrayList<>();
            for (OrchestratorResults o : run.orchestrators()) {
                o.scenarios().stream().filter(s -> s.scenario().equals(scenario)).findFirst().ifPresent(s -> entries.add(new ScenarioCharts.Entry(
                        o.name(), s, tasks.stream().filter(t -> t.orchestrator().equals(o.name()) && t.scenario().equals(scenario)).toList())));
            }
            StringBuilder h = new StringBuilder("<div class=\"charts\" data-scenario=\"").append(SvgCharts.esc(scenario)).append("\">");
            List<ScenarioCharts.Chart> charts = ScenarioCharts.charts(scenario, entries);
            if (charts.isEmpty()) h.append("<p>No chart: this scenario recorded no task rows or chartable figures.</p>");
            for (ScenarioCharts.Chart c : charts) h.append("<figure>").append(c.svg()).append("</figure>");
            perScenario.put(scenario, h.append("</div>").toString());
        }
        return new PageSections(top.toString(), perScenario, historySection(run, history));
    }

    private static Set<String> scenarios(RunSummary run) {
        Set<String> names = new LinkedHashSet<>();
        run.orchestrators().stream().filter(o -> !RuntimesSection.isRuntimes(o)).forEach(o -> o.scenarios().forEach(s -> names.add(s.scenario())));
        return names;
    }

    static String changesSection(List<RunHistory.Change> changes) {
        StringBuilder h = new StringBuilder("<h2 id=\"changes\">What changed since the last run</h2><p>Each figure against the last "
                + RunHistory.BASELINE_RUNS + " earlier comparable runs (same orchestrator, scenario, run purpose and scenario.* parameters). "
                + "Rule: flagged when outside [min, max] of those runs, each bound widened by " + Math.round(RunHistory.WIDEN * 100)
                + " % (at least 1 ms for Gatling's whole-millisecond percentiles); at least " + RunHistory.MIN_BASELINE + " earlier runs are needed for a verdict. A regression is a flagged change in the "
                + "worse direction (higher latency, errors, recovery time; lower rate).</p>");
        long flagged = changes.stream().filter(RunHistory.Change::flagged).count();
        long tooFew = changes.stream().filter(c -> c.verdict() == RunHistory.Verdict.TOO_FEW_RUNS).count();
        h.append("<p class=\"changes-summary\">").append(flagged).append(" flagged, ")
                .append(changes.size() - flagged - tooFew).append(" within their spread, ").append(tooFew)
                .append(" without enough earlier runs.</p>");
        List<RunHistory.Change> flaggedFirst = changes.stream().filter(RunHistory.Change::flagged).toList();
        List<RunHistory.Change> rest = changes.stream().filter(c -> !c.flagged()).toList();
        // the first few open, the rest folded: a 5-repetition run flagged 59, a screen's worth before the figures
        if (!flaggedFirst.isEmpty()) h.append(changesTable(flaggedFirst.subList(0, Math.min(FLAGGED_OPEN, flaggedFirst.size())), "changes flagged"));
        if (flaggedFirst.size() > FLAGGED_OPEN) {
            h.append("<details class=\"changes-more\"><summary>the other ").append(flaggedFirst.size() - FLAGGED_OPEN)
                    .append(" flagged changes</summary>").append(changesTable(flaggedFirst.subList(FLAGGED_OPEN, flaggedFirst.size()), "changes flagged"))
                    .append("</details>");
        }
        if (!rest.isEmpty()) {
            h.append("<details class=\"changes-rest\"><summary>").append(rest.size())
                    .append(" figures not flagged (within their spread, or too few earlier runs)</summary>")
                    .append(changesTable(rest, "changes")).append("</details>");
        }
        return h.toString();
    }

    private static String changesTable(List<RunHistory.Change> changes, String tableClass) {
        StringBuilder h = new StringBuilder("<table class=\"").append(tableClass).append("\"><tr><th>verdict</th><th>orchestrator</th><th>scenario</th><th>figure</th><th>this run</th>"
                + "<th>last run</th><th>allowed range</th><th>earlier runs</th></tr>");
        for (RunHistory.Change c : changes) {
            String css = switch (c.verdict()) {
                case REGRESSION -> "failed";
                case TOO_FEW_RUNS -> "skipped";
                default -> "";
            };
            h.append("<tr class=\"").append(c.verdict().name().toLowerCase(java.util.Locale.ROOT)).append("\"><td class=\"").append(css).append("\">")
                    .append(c.verdict().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')).append("</td><td>")
                    .append(SvgCharts.esc(c.orchestrator())).append("</td><td>").append(SvgCharts.esc(c.scenario())).append("</td><td>")
                    .append(SvgCharts.esc(c.figure() + " " + c.stat())).append("</td><td>").append(SvgCharts.fmt(c.current())).append(' ')
                    .append(SvgCharts.esc(c.unit() == null ? "" : c.unit())).append("</td><td>")
                    .append(c.previous() == null ? "" : SvgCharts.fmt(c.previous())).append("</td><td>")
                    .append(c.low() == null ? "" : "[" + SvgCharts.fmt(c.low()) + ", " + SvgCharts.fmt(c.high()) + "]").append("</td><td>")
                    .append(c.baselineRuns().size()).append("</td></tr>");
        }
        return h.append("</table>").toString();
    }

    static String historySection(RunSummary run, List<RunHistory.Line> history) {
        StringBuilder h = new StringBuilder("<h2 id=\"history\">History</h2><p>Each figure of this run with its earlier comparable runs "
                + "(at most " + TREND_RUNS + "; x: runs before this one, 0 = this run). One orchestrator per chart: tiers and clocks are never mixed. "
                + "Kept in results/history/ORCHESTRATOR.jsonl.</p>");
        for (OrchestratorResults o : run.orchestrators()) {
            for (ScenarioResult s : o.scenarios()) {
                RunHistory.Line current = RunHistory.currentLine(run, o, s);
                StringBuilder charts = new StringBuilder();
                int drawn = 0;
                for (RunHistory.Point p : current.figures()) {
                    for (String stat : RunHistory.stats(p)) {
                        List<double[]> points = RunHistory.trend(history, current, p.name(), stat, TREND_RUNS);
                        if (points.size() < 2) continue;
                        drawn++;
                        String title = o.name() + " / " + s.scenario() + ": " + p.name() + " " + stat;
                        charts.append(Plots.lines(title, "runs before this one", p.name() + " " + stat + " (" + p.unit() + ")",
                                List.of(new Plots.Series(o.name(), points)), List.of(), false,
                                points.size() + " runs | clock: " + p.clock() + " | tier: " + ScenarioCharts.tierOf(s)));
                    }
                }
                h.append("<details class=\"history\"><summary>").append(SvgCharts.esc(o.name() + " / " + s.scenario())).append(": ")
                        .append(drawn == 0 ? "no earlier comparable run yet" : drawn + " trend charts").append("</summary>")
                        .append(charts).append("</details>");
            }
        }
        return h.toString();
    }
}
