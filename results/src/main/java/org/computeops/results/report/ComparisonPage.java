package org.computeops.results.report;

import org.computeops.results.charts.SvgCharts;
import org.computeops.results.files.RunFiles;
import org.computeops.results.measurements.Latency;
import org.computeops.results.measurements.SimulatedNodes;
import org.computeops.results.measurements.Throughput;
import org.computeops.results.model.Clock;
import org.computeops.results.model.Figure;
import org.computeops.results.model.OrchestratorResults;
import org.computeops.results.model.Phase;
import org.computeops.results.model.RunSummary;
import org.computeops.results.model.ScenarioResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** comparison.html: each scenario's figures, orchestrators side by side, then the same figures across earlier runs. */
public final class ComparisonPage {

    private ComparisonPage() {
    }

    public static List<RunSummary> history(Path runsDir) throws IOException {
        List<RunSummary> runs = new ArrayList<>();
        if (runsDir == null || !Files.isDirectory(runsDir)) return runs;
        try (Stream<Path> dirs = Files.list(runsDir)) {
            for (Path d : dirs.sorted().toList()) {
                try {
                    RunSummary s = RunFiles.read(d.resolve("summary.json"));
                    if (s != null) runs.add(s);
                } catch (IOException e) {
                    // an unreadable old run does not stop the page
                }
            }
        }
        runs.sort(Comparator.comparing(RunSummary::startedAt));
        return runs;
    }

    public static String render(RunSummary run, List<RunSummary> history) {
        return render(run, history, PageSections.NONE);
    }

    /** The page with its charts, SLO, changes and history sections ({@link PageSections}). */
    public static String render(RunSummary run, List<RunSummary> history, PageSections sections) {
        StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>ComputeOps comparison ")
                .append(SvgCharts.esc(run.runId())).append("</title><style>body{font-family:sans-serif;margin:2em}"
                        + "table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #999;padding:4px 8px;text-align:right}"
                        + "th:first-child,td:first-child{text-align:left}.failed,.broken{color:#b00}.skipped{color:#888}</style></head><body>");
        h.append("<h1>ComputeOps comparison, run ").append(SvgCharts.esc(run.runId())).append("</h1>");
        h.append("<p>Started ").append(run.startedAt()).append(". Latencies in ms from the moment the client issued the submit call; "
                + "quantiles are nearest-rank over every task (recompute them from tasks.csv). "
                + "<b>n</b> counts tasks with a usable reading; <b>errors</b> those without one.</p>");
        h.append("<h2>Testbeds</h2><table><tr><th>orchestrator</th><th>version</th><th>nodes</th><th>simulated nodes</th><th>GPUs</th><th>endpoint</th></tr>");
        for (OrchestratorResults o : run.orchestrators()) {
            h.append("<tr><td>").append(o.name()).append("</td><td>").append(SvgCharts.esc(o.version())).append("</td><td>")
                    .append(o.nodeCount()).append("</td><td>").append(o.nodes().stream().filter(n -> n.simulated()).count())
                    .append("</td><td>").append(o.nodes().stream().mapToInt(n -> n.gpus()).sum()).append("</td><td>")
                    .append(SvgCharts.esc(o.endpoint())).append("</td></tr>");
        }
        h.append("</table>");
        h.append(sections.top());

        Set<String> scenarios = new LinkedHashSet<>();
        run.orchestrators().forEach(o -> o.scenarios().forEach(s -> scenarios.add(s.scenario())));
        for (String scenario : scenarios) {
            h.append("<h2>").append(SvgCharts.esc(scenario)).append("</h2><table><tr><th>figure</th>");
            for (OrchestratorResults o : run.orchestrators()) h.append("<th>").append(o.name()).append("</th>");
            h.append("</tr><tr><td>status</td>");
            for (OrchestratorResults o : run.orchestrators()) {
                Optional<ScenarioResult> s = scenario(o, scenario);
                String status = s.map(ScenarioResult::status).orElse("not run");
                h.append("<td class=\"").append(status).append("\" title=\"")
                        .append(SvgCharts.esc(s.map(ScenarioResult::reason).orElse(""))).append("\">").append(status).append("</td>");
            }
            h.append("</tr>");
            Map<String, String> units = new LinkedHashMap<>();
            run.orchestrators().forEach(o -> scenario(o, scenario).ifPresent(s -> s.figures().forEach(m -> units.put(m.name(), m.unit()))));
            Map<String, Double> headline = new LinkedHashMap<>();
            for (String metric : units.keySet()) {
                h.append("<tr><td>").append(metric).append(" (").append(units.get(metric)).append(")</td>");
                for (OrchestratorResults o : run.orchestrators()) {
                    Optional<Figure> m = scenario(o, scenario).flatMap(s -> s.figures().stream().filter(x -> x.name().equals(metric)).findFirst());
                    h.append("<td>").append(m.map(ComparisonPage::cell).orElse("")).append("</td>");
                    if (m.isPresent() && metric.equals(headlineOf(units.keySet()))) {
                        Double v = m.get().headline();
                        if (v != null) headline.put(o.name(), v);
                    }
                }
                h.append("</tr>");
            }
            h.append("</table>");
            for (OrchestratorResults o : run.orchestrators()) {
                scenario(o, scenario).map(ComparisonPage::conditions).filter(c -> !c.isEmpty())
                        .ifPresent(c -> h.append("<p><b>").append(o.name()).append("</b>: ").append(SvgCharts.esc(c)).append("</p>"));
            }
            for (OrchestratorResults o : run.orchestrators()) {
                scenario(o, scenario).flatMap(sc -> sc.figures().stream().filter(m -> m.name().equals(SimulatedNodes.FIGURE)).findFirst())
                        .filter(m -> m.value() != null && m.value() > 0)
                        .ifPresent(m -> h.append("<p class=\"failed\">&#9888; ").append(o.name()).append(": ")
                                .append(SvgCharts.fmt(m.value())).append(" of ").append(m.n())
                                .append(" tasks ran on simulated nodes, which start no container: their start-up and run figures"
                                        + " measure the control plane only and do not compare with real nodes.</p>"));
            }
            if (headline.size() > 1) {
                String metric = headlineOf(units.keySet());
                h.append(SvgCharts.bars(scenario + ": " + metric + (units.get(metric).equals("ms") ? " p50" : ""),
                        headline, units.get(metric)));
            }
            h.append(sections.scenario(scenario));
        }

        h.append("<h2>Across runs</h2><table><tr><th>run</th><th>started</th><th>orchestrator</th><th>scenario</th><th>status</th><th>headline figure</th></tr>");
        for (RunSummary past : history) {
            for (OrchestratorResults o : past.orchestrators()) {
                for (ScenarioResult s : o.scenarios()) {
                    String metric = headlineOf(s.figures().stream().map(Figure::name).toList());
                    String cell = s.figures().stream().filter(m -> m.name().equals(metric)).findFirst()
                            .map(m -> metric + ": " + cell(m)).orElse("");
                    h.append("<tr><td>").append(SvgCharts.esc(past.runId())).append("</td><td>").append(past.startedAt())
                            .append("</td><td>").append(o.name()).append("</td><td>").append(SvgCharts.esc(s.scenario()))
                            .append("</td><td class=\"").append(s.status()).append("\">").append(s.status()).append("</td><td>")
                            .append(cell).append("</td></tr>");
                }
            }
        }
        h.append("</table>").append(sections.bottom());
        return h.append("</body></html>").toString();
    }

    /**
     * What the orchestrator itself contributed to the conditions (its timeouts, its entry point,
     * the node stopped): the parameters a scenario recorded beyond its own scenario.* and testbed.*.
     */
    static String conditions(ScenarioResult s) {
        return s.parameters().entrySet().stream()
                .filter(e -> !e.getKey().startsWith("scenario.") && !e.getKey().startsWith("testbed."))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " = " + e.getValue()).collect(java.util.stream.Collectors.joining("; "));
    }

    private static Optional<ScenarioResult> scenario(OrchestratorResults o, String name) {
        return o.scenarios().stream().filter(s -> s.scenario().equals(name)).findFirst();
    }

    /** The figure a scenario is compared on first: throughput, else latency to running, else the first one. */
    static String headlineOf(java.util.Collection<String> metrics) {
        for (String preferred : List.of(Throughput.OVERALL, new Latency(Phase.RUNNING).name(Clock.SERVER),
                new Latency(Phase.SCHEDULED).name(Clock.SERVER))) {
            if (metrics.contains(preferred)) return preferred;
        }
        return metrics.stream().findFirst().orElse("");
    }

    private static String cell(Figure m) {
        if (m.value() != null) return SvgCharts.fmt(m.value()) + " <small>(n=" + m.n() + ")</small>";
        if (m.n() == 0) return "no data <small>(errors=" + m.errors() + ")</small>";
        return "p50 " + SvgCharts.fmt(m.p50()) + " / p90 " + SvgCharts.fmt(m.p90()) + " / p99 " + SvgCharts.fmt(m.p99())
                + " / max " + SvgCharts.fmt(m.max()) + " <small>(n=" + m.n() + ", errors=" + m.errors() + ", " + m.clock() + ")</small>";
    }
}
