package org.computeops.results.report;

import org.computeops.results.charts.SvgCharts;
import org.computeops.results.files.RunFiles;
import org.computeops.results.measurements.Confidence;
import org.computeops.results.measurements.Latency;
import org.computeops.results.measurements.SimulatedNodes;
import org.computeops.results.measurements.Throughput;
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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * comparison.html: per scenario, the orchestrators side by side, each figure as the median over
 * the run's repetitions with its confidence interval, and per pair whether the difference is
 * significant. Figures to which a simulated node contributed form their own tier and never share
 * a table or chart with real-node figures. Then the same scenarios across earlier runs.
 */
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

    /** Real nodes (containers started) or simulated nodes (control plane only). */
    enum Tier {
        REAL("Real nodes"), SIMULATED("Simulated nodes: control plane only, never compared with real nodes"),
        HARNESS("The harness itself (this client's submit and observation capacity; no task ran, it belongs to no tier)");

        final String heading;

        Tier(String heading) {
            this.heading = heading;
        }
    }

    /** A scenario's figures on one orchestrator, all repetitions. */
    record Side(OrchestratorResults orchestrator, List<ScenarioResult> repetitions) {

        Tier tier() {
            List<Figure> all = repetitions.stream().flatMap(r -> r.figures().stream()).toList();
            if (all.stream().anyMatch(f -> f.name().equals(SimulatedNodes.FIGURE) && f.value() != null && f.value() > 0)) return Tier.SIMULATED;
            // a check of the harness alone (no tasks): filed as real it read as a real-node figure
            if (!all.isEmpty() && all.stream().allMatch(f -> describesHarness(f.name()))) return Tier.HARNESS;
            return Tier.REAL;
        }

        List<Figure> figures(String name) {
            return repetitions.stream().flatMap(r -> r.figures().stream()).filter(f -> f.name().equals(name)).toList();
        }

        String status() {
            Set<String> statuses = repetitions.stream().map(ScenarioResult::status).collect(Collectors.toCollection(LinkedHashSet::new));
            return String.join(", ", statuses);
        }
    }

    public static String render(RunSummary run, List<RunSummary> history) {
        return render(run, history, PageSections.NONE);
    }

    /** The page with its charts, SLO, changes and history sections ({@link PageSections}). */
    public static String render(RunSummary run, List<RunSummary> history, PageSections sections) {
        StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>ComputeOps comparison ")
                .append(SvgCharts.esc(run.runId())).append("</title><style>body{font-family:sans-serif;margin:2em}"
                        + "table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #999;padding:4px 8px;text-align:right}"
                        + "th:first-child,td:first-child{text-align:left}.failed,.broken{color:#b00}.skipped{color:#888}"
                        + "td.verdict{text-align:left}</style></head><body>");
        h.append("<h1>ComputeOps comparison, run ").append(SvgCharts.esc(run.runId())).append("</h1>");
        layoutDifference(run).ifPresent(d -> h.append("<p class=\"failed\"><b>Unequal testbeds: ").append(SvgCharts.esc(d))
                .append(".</b> Real-node figures of these orchestrators do not come from equal layouts "
                        + "(compared anyway: -Dtestbed.allowUnequal=true).</p>"));
        h.append("<p>Started ").append(run.startedAt()).append(". Each cell is the <b>median over the run's repetitions</b> of that "
                + "repetition's figure, with a distribution-free confidence interval of the median (order statistics; its real coverage "
                + "is given, e.g. 93.8 % for 5 repetitions); a difference is called significant only when both intervals cover at least 90 % and do not overlap. "
                + "Latencies in ms, per task, from the moment the client issued the submit call or from the named phase; each end on "
                + "one clock, named in the clock column (server = the orchestrator's own sub-second stamp, client = when this client "
                + "saw the change). Figures of tasks on simulated nodes sit in their own tier.</p>");
        h.append("<h2>Testbeds</h2><table><tr><th>orchestrator</th><th>version</th><th>nodes</th><th>real nodes</th><th>simulated nodes</th>"
                + "<th>GPUs on real nodes</th><th title=\"each real node's agent, container runtime and containers share one cpu cgroup of this "
                + "weight against 1024 for each control-plane process, as if the control plane had hosts of its own\">node-side CPU weight</th>"
                + "<th>endpoint</th></tr>");
        for (OrchestratorResults o : run.orchestrators()) {
            h.append("<tr><td>").append(o.name()).append("</td><td>").append(SvgCharts.esc(o.version())).append("</td><td>")
                    .append(o.nodeCount()).append("</td><td>").append(o.nodes().stream().filter(n -> !n.simulated()).count())
                    .append("</td><td>").append(o.nodes().stream().filter(n -> n.simulated()).count())
                    .append("</td><td>").append(o.nodes().stream().filter(n -> !n.simulated()).mapToInt(n -> n.gpus()).sum()).append("</td><td>")
                    .append(nodeCpuShares(o).map(v -> SvgCharts.esc(v) + " of 1024").orElse("not set")).append("</td><td>")
                    .append(SvgCharts.esc(o.endpoint())).append("</td></tr>");
        }
        h.append("</table>");
        h.append(sections.top());

        Set<String> scenarios = new LinkedHashSet<>();
        // the container runtimes have their own section (RuntimesSection): not one column among the orchestrators
        run.orchestrators().stream().filter(o -> !RuntimesSection.isRuntimes(o)).forEach(o -> o.scenarios().forEach(s -> scenarios.add(s.scenario())));
        for (String scenario : scenarios) {
            h.append("<h2>").append(SvgCharts.esc(scenario)).append("</h2>");
            List<Side> sides = new ArrayList<>();
            for (OrchestratorResults o : run.orchestrators()) {
                List<ScenarioResult> reps = o.scenarios().stream().filter(s -> s.scenario().equals(scenario))
                        .sorted(Comparator.comparing(ScenarioResult::repetition)).toList();
                if (!reps.isEmpty()) sides.add(new Side(o, reps));
            }
            for (Tier tier : Tier.values()) {
                List<Side> inTier = sides.stream().filter(s -> s.tier() == tier).toList();
                if (inTier.isEmpty()) continue;
                h.append("<h3>").append(tier == Tier.SIMULATED ? simulatedHeading(inTier) : tier.heading).append("</h3>");
                table(h, scenario, inTier);
            }
            for (Side side : sides) {
                side.repetitions().stream().map(ComparisonPage::conditions).filter(c -> !c.isEmpty()).findFirst()
                        .ifPresent(c -> h.append("<p><b>").append(side.orchestrator().name()).append("</b>: ").append(SvgCharts.esc(c)).append("</p>"));
            }
            h.append(sections.scenario(scenario));
        }

        h.append(sections.runtimes());

        h.append("<h2>Across runs</h2><table><tr><th>run</th><th>started</th><th>orchestrator</th><th>scenario</th><th>repetition</th>"
                + "<th>status</th><th>headline figure</th></tr>");
        for (RunSummary past : history) {
            for (OrchestratorResults o : past.orchestrators()) {
                for (ScenarioResult s : o.scenarios()) {
                    String figure = headlineOf(s.figures().stream().map(Figure::name).toList());
                    String cell = s.figures().stream().filter(m -> m.name().equals(figure)).findFirst()
                            .map(m -> figure + ": " + raw(m)).orElse("");
                    h.append("<tr><td>").append(SvgCharts.esc(past.runId())).append("</td><td>").append(past.startedAt())
                            .append("</td><td>").append(o.name()).append("</td><td>").append(SvgCharts.esc(s.scenario()))
                            .append("</td><td>").append(s.repetition()).append("</td><td class=\"").append(s.status()).append("\">")
                            .append(s.status()).append("</td><td>").append(cell).append("</td></tr>");
                }
            }
        }
        h.append("</table>").append(sections.bottom());
        return h.append("</body></html>").toString();
    }

    private static void table(StringBuilder h, String scenario, List<Side> sides) {
        // every pair of orchestrators gets its own difference column (3 orchestrators: 3 pairs)
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < sides.size(); i++) for (int j = i + 1; j < sides.size(); j++) pairs.add(new int[]{i, j});
        h.append("<table><tr><th>figure</th><th>unit</th><th>clock</th>");
        for (Side s : sides) h.append("<th>").append(s.orchestrator().name()).append("</th>");
        for (int[] p : pairs) {
            h.append("<th>").append(pairs.size() == 1 ? "difference" : "difference " + sides.get(p[0]).orchestrator().name()
                    + " / " + sides.get(p[1]).orchestrator().name()).append("</th>");
        }
        h.append("</tr><tr><td>status</td><td></td><td></td>");
        for (Side s : sides) {
            String reasons = s.repetitions().stream().map(ScenarioResult::reason).filter(Objects::nonNull).distinct()
                    .collect(Collectors.joining("; "));
            String status = s.status();
            h.append("<td class=\"").append(status.contains("failed") ? "failed" : status.contains("broken") ? "broken" : status)
                    .append("\" title=\"").append(SvgCharts.esc(reasons)).append("\">").append(status)
                    .append(" <small>(").append(s.repetitions().size()).append(" repetition(s))</small></td>");
        }
        h.append("<td></td>".repeat(pairs.size()));
        h.append("</tr>");
        Map<String, Figure> names = new LinkedHashMap<>();
        sides.forEach(s -> s.repetitions().forEach(r -> r.figures().forEach(f -> names.putIfAbsent(f.name(), f))));
        Map<String, Double> headline = new LinkedHashMap<>();
        String headlineName = headlineOf(names.keySet());
        List<Figure> ordered = names.values().stream().sorted(Comparator.comparingInt(f -> rank(f.name(), headlineName))).toList();
        for (Figure first : ordered) {
            // quantile rows only where some repetition has quantiles: a value figure without data
            // (no reading in one repetition) has neither and must not turn the row into p50/p99
            boolean quantiles = sides.stream().flatMap(s -> s.figures(first.name()).stream()).anyMatch(f -> f.p50() != null);
            List<Row> rows = quantiles ? List.of(new Row(" p50", Figure::p50), new Row(" p99", Figure::p99)) : List.of(new Row("", Figure::value));
            for (Row row : rows) {
                Map<String, Confidence> cells = new LinkedHashMap<>();
                Set<String> clocks = new LinkedHashSet<>();
                for (Side s : sides) {
                    List<Figure> figs = s.figures(first.name());
                    figs.forEach(f -> clocks.add(f.clock()));
                    List<Double> values = figs.stream().map(row.stat).filter(Objects::nonNull).toList();
                    if (!values.isEmpty()) cells.put(s.orchestrator().name(), Confidence.ofMedian(values));
                }
                h.append("<tr><td>").append(SvgCharts.esc(first.name() + row.label)).append("</td><td>").append(SvgCharts.esc(first.unit()))
                        .append("</td><td>").append(SvgCharts.esc(String.join(", ", clocks))).append("</td>");
                for (Side s : sides) {
                    Confidence c = cells.get(s.orchestrator().name());
                    List<Figure> figs = s.figures(first.name());
                    long n = figs.stream().mapToLong(Figure::n).sum();
                    long errors = figs.stream().mapToLong(Figure::errors).sum();
                    h.append("<td>").append(c == null ? "no data" : cell(c)).append(" <small>(n=").append(n)
                            .append(errors > 0 ? ", errors=" + errors : "").append(")</small></td>");
                    if (c != null && first.name().equals(headlineName) && !row.label.equals(" p99")) headline.put(s.orchestrator().name(), c.median());
                }
                for (int[] p : pairs) {
                    String nameA = sides.get(p[0]).orchestrator().name(), nameB = sides.get(p[1]).orchestrator().name();
                    Confidence a = cells.get(nameA);
                    Confidence b = cells.get(nameB);
                    // each end is on a sub-second clock (the orchestrator's, else this client's with its
                    // observation lag shown as its own figure), so unlike clock labels still compare
                    String verdict = a == null || b == null ? ""
                            : Confidence.compare(nameA, a, nameB, b, lowerIsBetter(first.unit()), betterWord(first.name(), first.unit()));
                    h.append("<td class=\"verdict\">").append(SvgCharts.esc(verdict)).append("</td>");
                }
                h.append("</tr>");
            }
        }
        h.append("</table>");
        if (headline.size() > 1) {
            String unit = names.get(headlineName).unit();
            h.append(SvgCharts.bars(scenario + ": " + headlineName + (unit.equals("ms") ? " p50" : "") + ", median over repetitions",
                    headline, unit));
        }
    }

    private record Row(String label, java.util.function.Function<Figure, Double> stat) {
    }

    /** Rates (tasks/s, calls/s, changes/s) are better high; times, counts and shares low. */
    static boolean lowerIsBetter(String unit) {
        return !unit.endsWith("/s");
    }

    /**
     * "faster" only for the orchestrator's own times; a figure of the harness (its observation lag,
     * its submit call, its headroom) says nothing of the orchestrator's speed: "lower" or "higher".
     */
    static String betterWord(String figure, String unit) {
        if (!lowerIsBetter(unit)) return "higher";
        return (unit.equals("ms") || unit.equals("s")) && !describesHarness(figure) ? "faster" : "lower";
    }

    /** Figures of the measurement itself rather than of the orchestrator. */
    static boolean describesHarness(String figure) {
        return figure.startsWith("observation_lag") || figure.startsWith("submit_call") || figure.startsWith("harness_");
    }

    private static String cell(Confidence c) {
        String median = SvgCharts.fmt(c.median());
        if (!c.hasInterval()) return median + " <small>(1 repetition, no interval)</small>";
        return median + " <small>[" + SvgCharts.fmt(c.low()) + ", " + SvgCharts.fmt(c.high()) + "] " + c.coverageText()
                + ", " + c.n() + " reps</small>";
    }

    /**
     * Where the orchestrators' real nodes differ (their count, or their GPUs per node, largest
     * first), from the node facts each recorded: "swarm 3 real nodes, GPUs 2,0,0; kubernetes 2
     * real nodes, GPUs 2,0"; empty when all are alike or only one orchestrator ran.
     */
    static Optional<String> layoutDifference(RunSummary run) {
        Map<String, String> layouts = new LinkedHashMap<>();
        for (OrchestratorResults o : run.orchestrators()) {
            List<Integer> gpus = o.nodes().stream().filter(n -> !n.simulated()).map(n -> n.gpus())
                    .sorted(Comparator.reverseOrder()).toList();
            layouts.put(o.name(), gpus.size() + " real nodes, GPUs "
                    + gpus.stream().map(String::valueOf).collect(Collectors.joining(","))
                    + nodeCpuShares(o).map(v -> ", node-side CPU weight " + v).orElse(""));
        }
        if (new java.util.HashSet<>(layouts.values()).size() <= 1) return Optional.empty();
        return Optional.of(layouts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining("; ")));
    }

    /** The CPU weight of the real nodes' side (infra's testbed.nodeCpuShares), where the testbed set one. */
    static Optional<String> nodeCpuShares(OrchestratorResults o) {
        return o.scenarios().stream().map(s -> s.parameters() == null ? null : s.parameters().get("testbed.nodeCpuShares")).filter(java.util.Objects::nonNull)
                .map(String::valueOf).findFirst();
    }

    /** The simulated tier's heading names each side's node counts: figures at 100 and at 1,000 nodes are not alike. */
    static String simulatedHeading(List<Side> sides) {
        String counts = sides.stream().map(s -> s.orchestrator().name() + " " + s.orchestrator().nodes().stream().filter(n -> n.simulated()).count()
                + " simulated + " + s.orchestrator().nodes().stream().filter(n -> !n.simulated()).count() + " real nodes")
                .collect(Collectors.joining(", "));
        return "Simulated nodes (" + SvgCharts.esc(counts) + "): control plane only, never compared with real nodes";
    }

    /**
     * What the orchestrator itself contributed to the conditions (its timeouts, its entry point,
     * the node stopped): the parameters a scenario recorded beyond its own scenario.* and testbed.*.
     */
    static String conditions(ScenarioResult s) {
        return s.parameters().entrySet().stream()
                .filter(e -> !e.getKey().startsWith("scenario.") && !e.getKey().startsWith("testbed."))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining("; "));
    }

    /**
     * Row order: the headline figure, then the scenario's other figures, then what describes the
     * measurement itself (observation lag, the submit call's duration, simulated-node counts).
     */
    static int rank(String figure, String headlineName) {
        if (figure.equals(headlineName)) return 0;
        if (describesHarness(figure) || figure.equals(SimulatedNodes.FIGURE)) return 2;
        return 1;
    }

    /** The figure a scenario is compared on first: throughput, else latency to running, else the first one. */
    static String headlineOf(java.util.Collection<String> figures) {
        for (String preferred : List.of(Throughput.OVERALL, new Latency(Phase.RUNNING).name(false),
                new Latency(Phase.SCHEDULED).name(false))) {
            if (figures.contains(preferred)) return preferred;
        }
        // else the scenario's own first figure, not one that describes the measurement
        return figures.stream().filter(f -> !describesHarness(f) && !f.equals(SimulatedNodes.FIGURE)).findFirst()
                .orElse(figures.stream().findFirst().orElse(""));
    }

    private static String raw(Figure m) {
        if (m.value() != null) return SvgCharts.fmt(m.value()) + " <small>(n=" + m.n() + ")</small>";
        if (m.n() == 0) return "no data <small>(errors=" + m.errors() + ")</small>";
        return "p50 " + SvgCharts.fmt(m.p50()) + " / p99 " + SvgCharts.fmt(m.p99())
                + " <small>(n=" + m.n() + ", errors=" + m.errors() + ", " + m.clock() + ")</small>";
    }

    static Optional<ScenarioResult> scenario(OrchestratorResults o, String name) {
        return o.scenarios().stream().filter(s -> s.scenario().equals(name)).findFirst();
    }
}
