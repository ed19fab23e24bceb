package org.computeops.results.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.computeops.results.files.RunFolder;
import org.computeops.results.files.Json;
import org.computeops.results.model.Figure;
import org.computeops.results.model.OrchestratorResults;
import org.computeops.results.model.RunSummary;
import org.computeops.results.model.ScenarioResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every run's figures, kept with the results: {@code results/history/ORCHESTRATOR.jsonl}, one JSON
 * line per (run, scenario), appended when a run's report is built (a rebuilt report replaces its
 * own lines). Plain JSON lines: readable, diffable, appendable without a database.
 *
 * <p>Comparable runs: same orchestrator and scenario, same run purpose (the run id's first word:
 * {@code test} runs are small and tuned short, {@code compare} runs are not), the same
 * {@code scenario.*} parameters and the same testbed conditions ({@link #TESTBED_CONDITIONS}). Only
 * those make a trend or a baseline.
 */
public final class RunHistory {

    /** How many earlier comparable runs make the baseline, and how few are too few for a verdict. */
    public static final int BASELINE_RUNS = 5, MIN_BASELINE = 3;
    /** The baseline's [min, max] is widened by this share of each bound before a value counts as outside. */
    public static final double WIDEN = 0.10;

    private static final ObjectMapper LINES = Json.MAPPER.copy().disable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    /** One scenario of one run on one orchestrator, as the history keeps it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Line(String runId, Instant startedAt, String orchestrator, String scenario, String status,
                       Map<String, String> parameters, List<Point> figures) {
    }

    /** One figure's numbers. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Point(String name, String unit, String clock, long n, long errors, Double value, Double p50, Double p99) {
        Double stat(String stat) {
            return switch (stat) {
                case "value" -> value;
                case "p50" -> p50;
                case "p99" -> p99;
                default -> null;
            };
        }
    }

    /** Where a figure's statistic stands against its baseline. */
    public enum Verdict { REGRESSION, IMPROVEMENT, CHANGED, WITHIN, TOO_FEW_RUNS }

    /** One statistic of one figure of this run, against the earlier comparable runs. */
    public record Change(String orchestrator, String scenario, String figure, String stat, String unit, double current,
                         List<String> baselineRuns, List<Double> baseline, Double low, Double high, Verdict verdict) {
        public boolean flagged() {
            return verdict == Verdict.REGRESSION || verdict == Verdict.IMPROVEMENT || verdict == Verdict.CHANGED;
        }

        public Double previous() {
            return baseline.isEmpty() ? null : baseline.get(baseline.size() - 1);
        }
    }

    private RunHistory() {
    }

    /** {@code results/history} for a run folder {@code results/runs/RUN_ID}. */
    public static Path dirFor(Path runDir) {
        return runDir.toAbsolutePath().normalize().getParent().getParent().resolve("history");
    }

    public static String purpose(String runId) {
        return RunFolder.purpose(runId);
    }

    /** Writes this run's lines into each orchestrator's file, replacing lines of the same run id. */
    public static void append(Path historyDir, RunSummary run) throws IOException {
        Files.createDirectories(historyDir);
        for (OrchestratorResults o : run.orchestrators()) {
            Path file = historyDir.resolve(o.name() + ".jsonl");
            List<String> kept = new ArrayList<>();
            for (Line l : read(file)) if (!l.runId().equals(run.runId())) kept.add(LINES.writeValueAsString(l));
            for (ScenarioResult s : o.scenarios()) kept.add(LINES.writeValueAsString(line(run, o.name(), s)));
            Path tmp = historyDir.resolve(o.name() + ".jsonl.tmp");
            Files.write(tmp, kept);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    static Line line(RunSummary run, String orchestrator, ScenarioResult s) {
        List<Point> points = s.figures().stream()
                .map(f -> new Point(f.name(), f.unit(), f.clock(), f.n(), f.errors(), f.value(), f.p50(), f.p99())).toList();
        return new Line(run.runId(), run.startedAt(), orchestrator, s.scenario(), s.status(), comparableParameters(s.parameters()), points);
    }

    /**
     * Settings of the testbed that change every figure on it: runs before and after a change are not
     * comparable (the node side's CPU weight flagged 121 "regressions" in the first run with it).
     */
    static final java.util.Set<String> TESTBED_CONDITIONS = java.util.Set.of("testbed.nodeCpuShares");

    static Map<String, String> comparableParameters(Map<String, String> parameters) {
        Map<String, String> kept = new TreeMap<>();
        parameters.forEach((k, v) -> {
            if (k.startsWith("scenario.") || TESTBED_CONDITIONS.contains(k)) kept.put(k, v);
        });
        return kept;
    }

    public static List<Line> read(Path file) throws IOException {
        List<Line> lines = new ArrayList<>();
        if (!Files.exists(file)) return lines;
        for (String text : Files.readAllLines(file)) {
            if (text.isBlank()) continue;
            try {
                lines.add(Json.MAPPER.readValue(text, Line.class));
            } catch (IOException e) {
                // a damaged line is left out of the trend, never guessed; the file keeps it
            }
        }
        return lines;
    }

    /** All lines of every orchestrator in the history folder. */
    public static List<Line> readAll(Path historyDir) throws IOException {
        List<Line> all = new ArrayList<>();
        if (!Files.isDirectory(historyDir)) return all;
        try (var files = Files.list(historyDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) all.addAll(read(f));
        }
        return all;
    }

    /** Earlier lines comparable with {@code current}, oldest first. */
    public static List<Line> comparable(List<Line> history, Line current) {
        return history.stream()
                .filter(l -> !l.runId().equals(current.runId()))
                .filter(l -> l.orchestrator().equals(current.orchestrator()) && l.scenario().equals(current.scenario()))
                .filter(l -> purpose(l.runId()).equals(purpose(current.runId())))
                .filter(l -> l.parameters().equals(current.parameters()))
                .filter(l -> l.startedAt().isBefore(current.startedAt()))
                .sorted(Comparator.comparing(Line::startedAt)).toList();
    }

    /** The statistics tracked per figure: its value, or its median and p99. */
    static List<String> stats(Point p) {
        return p.value() != null ? List.of("value") : List.of("p50", "p99");
    }

    /** Every statistic of this run's figures against its baseline, flagged ones first. */
    public static List<Change> changes(RunSummary run, List<Line> history) {
        List<Change> changes = new ArrayList<>();
        for (OrchestratorResults o : run.orchestrators()) {
            for (ScenarioResult s : o.scenarios()) {
                Line current = line(run, o.name(), s);
                List<Line> earlier = comparable(history, current);
                for (Point p : current.figures()) {
                    for (String stat : stats(p)) {
                        Double now = p.stat(stat);
                        if (now == null) continue;
                        List<String> runs = new ArrayList<>();
                        List<Double> values = new ArrayList<>();
                        for (Line l : earlier) {
                            l.figures().stream().filter(q -> q.name().equals(p.name())).findFirst().map(q -> q.stat(stat)).ifPresent(v -> {
                                runs.add(l.runId());
                                values.add(v);
                            });
                        }
                        int from = Math.max(0, values.size() - BASELINE_RUNS);
                        changes.add(judge(o.name(), s.scenario(), p, stat, now, runs.subList(from, runs.size()), values.subList(from, values.size())));
                    }
                }
            }
        }
        changes.sort(Comparator.comparing((Change c) -> c.verdict().ordinal()));
        return changes;
    }

    /**
     * The rule: with at least {@value #MIN_BASELINE} earlier comparable runs (the last
     * {@value #BASELINE_RUNS}), a value is flagged when it lies outside [min, max] of theirs,
     * each bound widened by 10 % of its size (at least 1 ms for Gatling's whole-millisecond
     * percentiles). Flagged in the worse direction it is a regression
     * (latencies, errors, counts, recovery: higher is worse; rates: lower is worse).
     */
    static Change judge(String orchestrator, String scenario, Point p, String stat, double now, List<String> runs, List<Double> baseline) {
        if (baseline.size() < MIN_BASELINE) {
            return new Change(orchestrator, scenario, p.name(), stat, p.unit(), now, List.copyOf(runs), List.copyOf(baseline), null, null, Verdict.TOO_FEW_RUNS);
        }
        double min = baseline.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = baseline.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        // Gatling reports whole milliseconds: a band narrower than that would flag its rounding
        double resolution = "gatling".equals(p.clock()) && "ms".equals(p.unit()) ? 1.0 : 0.0;
        double low = min - Math.max(WIDEN * Math.abs(min), resolution), high = max + Math.max(WIDEN * Math.abs(max), resolution);
        Verdict v;
        if (now >= low && now <= high) v = Verdict.WITHIN;
        else if (neutral(p.name())) v = Verdict.CHANGED;
        else if ((now > high) != higherIsBetter(p.unit())) v = Verdict.REGRESSION;
        else v = Verdict.IMPROVEMENT;
        return new Change(orchestrator, scenario, p.name(), stat, p.unit(), now, List.copyOf(runs), List.copyOf(baseline), low, high, v);
    }

    static boolean higherIsBetter(String unit) {
        return unit != null && unit.contains("/s");
    }

    /** Figures that describe the load or the cluster rather than how well it did. */
    static boolean neutral(String figure) {
        return figure.equals("http_requests") || figure.equals("gpu_peak_in_use") || figure.equals("tasks_on_simulated_nodes");
    }

    /** A figure's values over this and the earlier comparable runs (oldest first), for a trend chart. */
    public static List<double[]> trend(List<Line> history, Line current, String figure, String stat, int runs) {
        List<Line> lines = new ArrayList<>(comparable(history, current));
        lines.add(current);
        List<Double> values = new ArrayList<>();
        for (Line l : lines) {
            l.figures().stream().filter(q -> q.name().equals(figure)).findFirst().map(q -> q.stat(stat)).ifPresent(values::add);
        }
        List<double[]> points = new ArrayList<>();
        int from = Math.max(0, values.size() - runs);
        for (int i = from; i < values.size(); i++) points.add(new double[] {i - values.size() + 1, values.get(i)});
        return points;
    }

    static Line currentLine(RunSummary run, OrchestratorResults o, ScenarioResult s) {
        return line(run, o.name(), s);
    }

    static Figure figure(ScenarioResult s, String name) {
        return s.figures().stream().filter(f -> f.name().equals(name)).findFirst().orElse(null);
    }
}
