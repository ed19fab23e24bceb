package org.computeops.results.report;

import org.computeops.results.charts.Plots;
import org.computeops.results.charts.SvgCharts;
import org.computeops.results.measurements.GpuPlacement;
import org.computeops.results.measurements.Latency;
import org.computeops.results.measurements.Recovery;
import org.computeops.results.measurements.SimulatedNodes;
import org.computeops.results.model.Clock;
import org.computeops.results.model.Figure;
import org.computeops.results.model.Phase;
import org.computeops.results.model.PhaseTimes;
import org.computeops.results.model.ScenarioResult;
import org.computeops.results.model.TaskRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The charts of one scenario, from its task rows and its figures' recorded inputs: latency CDFs,
 * stage bars, GPU occupancy per node, replicas around a fault, Gatling response time per step.
 * Given several orchestrators it overlays them (the comparison page); given one, it draws that
 * one's (Allure). Two rules hold for every chart: one clock, and one tier (tasks on real nodes
 * and tasks on simulated nodes, which start no container, are never drawn together).
 */
public final class ScenarioCharts {

    /** One orchestrator's share of a scenario: its result, its task rows, the GPUs its nodes advertise. */
    public record Entry(String orchestrator, ScenarioResult result, List<TaskRecord> tasks) {
        public Entry {
            tasks = List.copyOf(tasks);
        }
    }

    /** A drawn chart: its title (also the Allure attachment's name) and its SVG. */
    public record Chart(String title, String svg) {
    }

    /** Which nodes a task ran on: real ones, or simulated ones that start no container. */
    enum Tier {
        REAL("real nodes", "real nodes"), SIMULATED("simulated nodes: control plane only", "simulated nodes");

        /** In captions; {@code title} is the short form for titles. */
        final String label;
        final String title;

        Tier(String label, String title) {
            this.label = label;
            this.title = title;
        }

        static Tier of(TaskRecord t) {
            return t.nodeSimulated() ? SIMULATED : REAL;
        }
    }

    private ScenarioCharts() {
    }

    public static List<Chart> charts(String scenario, List<Entry> entries) {
        List<Chart> charts = new ArrayList<>();
        charts.addAll(latencyCdfs(scenario, entries));
        charts.addAll(stages(scenario, entries));
        for (Entry e : entries) charts.addAll(gpuOccupancy(scenario, e));
        for (Entry e : entries) charts.addAll(replicasAroundFault(scenario, e));
        charts.addAll(gatlingSteps(scenario, entries));
        return charts;
    }

    // ---- latency CDFs: one chart per figure (so per clock) and tier, one line per orchestrator

    static List<Chart> latencyCdfs(String scenario, List<Entry> entries) {
        Map<String, Figure> latencyFigures = new LinkedHashMap<>();
        for (Entry e : entries) {
            e.result().figures().stream().filter(f -> "Latency".equals(f.measurement())).forEach(f -> latencyFigures.putIfAbsent(f.name(), f));
        }
        List<Chart> charts = new ArrayList<>();
        for (Figure f : latencyFigures.values()) {
            Latency latency = Latency.fromInputs(f.inputs());
            // the twin reads both ends on the client clock; the figure itself on its recorded clocks
            boolean twin = f.name().endsWith("_client_ms");
            Clock fromClock = twin ? Clock.CLIENT : latency.fromClock();
            Clock toClock = twin ? Clock.CLIENT : latency.toClock();
            Predicate<TaskRecord> covered = covered(latency.tasks());
            for (Tier tier : Tier.values()) {
                List<Plots.Series> series = new ArrayList<>();
                List<String> counts = new ArrayList<>();
                java.util.Set<String> clocks = new java.util.LinkedHashSet<>();
                for (Entry e : entries) {
                    List<TaskRecord> tasks = e.tasks().stream().filter(covered).filter(t -> Tier.of(t) == tier).toList();
                    // each orchestrator's ends on its own sub-second clock: named per orchestrator in the caption
                    e.result().figures().stream().filter(x -> x.name().equals(f.name())).findFirst()
                            .ifPresent(x -> clocks.add(e.orchestrator() + " " + x.clock()));
                    if (tasks.isEmpty()) continue;
                    List<Double> values = tasks.stream().map(t -> Latency.latencyMs(t, latency.from(), fromClock, latency.to(), toClock))
                            .filter(Objects::nonNull).sorted().toList();
                    counts.add(e.orchestrator() + " n=" + values.size() + " (errors " + (tasks.size() - values.size()) + ")");
                    if (values.isEmpty()) continue;
                    List<double[]> points = new ArrayList<>();
                    points.add(new double[] {values.get(0), 0});
                    for (int i = 0; i < values.size(); i++) points.add(new double[] {values.get(i), (i + 1.0) / values.size()});
                    series.add(new Plots.Series(e.orchestrator(), points));
                }
                if (counts.isEmpty()) continue;
                String title = scenario + ": " + f.name() + ", CDF (" + tier.title + ")";
                String from = latency.from() == null ? "submit call issued" : latency.from().lower();
                charts.add(new Chart(title, Plots.lines(title, f.name() + " (ms): " + from + " -> " + latency.to().lower(),
                        "fraction of tasks <= x", series, List.of(), true,
                        String.join(", ", counts) + " | clock: " + String.join(", ", clocks) + " | tier: " + tier.label)));
            }
        }
        return charts;
    }

    private static Predicate<TaskRecord> covered(Latency.Tasks tasks) {
        // the same split as Latency.Tasks: GPU tasks ask for at least one GPU
        return switch (tasks) {
            case ALL -> t -> true;
            case GPU -> t -> t.gpus() > 0;
            case CPU -> t -> t.gpus() == 0;
        };
    }

    // ---- stages: mean per task of submit -> scheduled -> running, one bar per orchestrator

    static List<Chart> stages(String scenario, List<Entry> entries) {
        List<Chart> charts = new ArrayList<>();
        List<String> stageNames = List.of("submit issued -> scheduled", "scheduled -> running");
        for (Clock clock : Clock.values()) {
            for (Tier tier : Tier.values()) {
                List<String> bars = new ArrayList<>();
                List<double[]> rows = new ArrayList<>();
                List<String> counts = new ArrayList<>();
                for (Entry e : entries) {
                    List<TaskRecord> tasks = e.tasks().stream().filter(t -> Tier.of(t) == tier)
                            .filter(t -> t.reached(Phase.SCHEDULED) && t.reached(Phase.RUNNING)).toList();
                    if (tasks.isEmpty()) continue;
                    double sched = 0, run = 0;
                    int n = 0, excluded = 0;
                    for (TaskRecord t : tasks) {
                        Double s = Latency.latencyMs(t, Phase.SCHEDULED, clock), r = Latency.latencyMs(t, Phase.RUNNING, clock);
                        // a stage is only drawn from tasks with both readings and a non-negative gap on this clock
                        if (s == null || r == null || r < s) {
                            excluded++;
                            continue;
                        }
                        sched += s;
                        run += r - s;
                        n++;
                    }
                    counts.add(e.orchestrator() + " n=" + n + (excluded > 0 ? " (" + excluded + " without both readings or with running before scheduled)" : ""));
                    if (n == 0) continue;
                    bars.add(e.orchestrator());
                    rows.add(new double[] {sched / n, run / n});
                }
                if (bars.isEmpty()) continue; // no task with both readings on this clock: nothing to stack
                String title = scenario + ": stages, mean per task (" + clock.label() + " clock, " + tier.title + ")";
                charts.add(new Chart(title, Plots.stacked(title, bars, stageNames, rows.toArray(new double[0][]), "ms (mean per task)",
                        String.join(", ", counts) + " | clock: " + clock.label() + " | tier: " + tier.label)));
            }
        }
        return charts;
    }

    // ---- GPU occupancy: GPUs held over time per node, one orchestrator per chart

    static List<Chart> gpuOccupancy(String scenario, Entry e) {
        List<TaskRecord> gpuTasks = e.tasks().stream().filter(t -> t.gpus() > 0 && t.node() != null && !t.node().isEmpty()).toList();
        if (gpuTasks.isEmpty()) return List.of();
        Map<String, Integer> advertised = advertisedGpus(e.result());
        List<Chart> charts = new ArrayList<>();
        for (Tier tier : Tier.values()) {
            List<TaskRecord> tasks = gpuTasks.stream().filter(t -> Tier.of(t) == tier).toList();
            if (tasks.isEmpty()) continue;
            // one clock for the whole chart: the orchestrator's when every task has it, else this client's
            Clock clock = tasks.stream().allMatch(t -> holdStart(t, Clock.SERVER) != null) ? Clock.SERVER : Clock.CLIENT;
            List<TaskRecord> drawn = tasks.stream().filter(t -> holdStart(t, clock) != null).toList();
            Instant origin = drawn.stream().map(t -> holdStart(t, clock)).min(Comparator.naturalOrder()).orElse(null);
            if (origin == null) continue;
            Map<String, List<TaskRecord>> byNode = drawn.stream().collect(Collectors.groupingBy(TaskRecord::node, TreeMap::new, Collectors.toList()));
            List<Plots.Series> series = new ArrayList<>();
            for (var node : byNode.entrySet()) {
                TreeMap<Double, Integer> delta = new TreeMap<>();
                for (TaskRecord t : node.getValue()) {
                    delta.merge(seconds(origin, holdStart(t, clock)), t.gpus(), Integer::sum);
                    Instant end = holdEnd(t, clock);
                    if (end != null) delta.merge(seconds(origin, end), -t.gpus(), Integer::sum);
                }
                List<double[]> points = new ArrayList<>();
                points.add(new double[] {0, 0});
                int held = 0;
                for (var d : delta.entrySet()) {
                    held += d.getValue();
                    points.add(new double[] {d.getKey(), held});
                }
                Integer cap = advertised.get(node.getKey());
                series.add(new Plots.Series(node.getKey() + (cap == null ? "" : " (advertises " + cap + ")"), points));
            }
            String title = scenario + " on " + e.orchestrator() + ": GPUs held per node (" + tier.title + ")";
            charts.add(new Chart(title, Plots.lines(title, "time since the first GPU task was bound (s)", "GPUs held", series, List.of(), true,
                    "n=" + drawn.size() + " GPU tasks" + (drawn.size() < tasks.size() ? " (" + (tasks.size() - drawn.size()) + " never bound)" : "")
                            + "; held from scheduled to its end | clock: " + clock.label() + " | tier: " + tier.label)));
        }
        return charts;
    }

    private static Map<String, Integer> advertisedGpus(ScenarioResult result) {
        return result.figures().stream().filter(f -> "GpuPlacement".equals(f.measurement()) && f.inputs() != null)
                .findFirst().map(f -> GpuPlacement.fromInputs(f.inputs()).gpusByNode()).orElse(Map.of());
    }

    private static Instant read(TaskRecord t, Phase p, Clock clock) {
        PhaseTimes times = t.at(p);
        return times == null ? null : clock.read(times);
    }

    private static Instant holdStart(TaskRecord t, Clock clock) {
        return Stream.of(Phase.SCHEDULED, Phase.STARTED, Phase.RUNNING).map(p -> read(t, p, clock)).filter(Objects::nonNull).findFirst().orElse(null);
    }

    private static Instant holdEnd(TaskRecord t, Clock clock) {
        return Stream.of(Phase.SUCCEEDED, Phase.FAILED, Phase.LOST).map(p -> read(t, p, clock)).filter(Objects::nonNull).findFirst().orElse(null);
    }

    private static double seconds(Instant origin, Instant at) {
        return Duration.between(origin, at).toMillis() / 1000.0;
    }

    // ---- replicas running around a fault (client clock), one orchestrator per chart

    static List<Chart> replicasAroundFault(String scenario, Entry e) {
        Figure recovery = e.result().figures().stream().filter(f -> "Recovery".equals(f.measurement()) && f.inputs() != null)
                .findFirst().orElse(null);
        if (recovery == null) return List.of();
        Recovery r = Recovery.fromInputs(recovery.inputs());
        // batch-only (no services, Slurm): the batch tasks around the fault, requeued ones included
        boolean batchOnly = r.service().isEmpty();
        String workload = batchOnly ? r.batch() : r.service();
        String what = batchOnly ? "batch tasks" : "replicas";
        List<TaskRecord> service = e.tasks().stream().filter(t -> t.workload().equals(workload)).toList();
        List<Chart> charts = new ArrayList<>();
        for (Tier tier : Tier.values()) {
            List<TaskRecord> tasks = service.stream().filter(t -> Tier.of(t) == tier)
                    .filter(t -> t.reached(Phase.RUNNING) && t.at(Phase.RUNNING).observedAt() != null).toList();
            if (tasks.isEmpty()) continue;
            // counted at the instants themselves: seconds rounded back to instants would miss a start by a fraction of a ms
            java.util.TreeSet<Instant> times = new java.util.TreeSet<>();
            for (TaskRecord t : tasks) {
                times.add(t.at(Phase.RUNNING).observedAt());
                Instant end = holdEnd(t, Clock.CLIENT);
                if (end != null) times.add(end);
            }
            List<double[]> all = new ArrayList<>(), off = new ArrayList<>();
            for (Instant at : times) {
                all.add(new double[] {seconds(r.faultAt(), at), running(tasks, at, null)});
                off.add(new double[] {seconds(r.faultAt(), at), running(tasks, at, r.stoppedNode())});
            }
            List<Plots.Marker> markers = new ArrayList<>(List.of(new Plots.Marker(0, "fault: " + r.stoppedNode() + " stopped")));
            for (String marked : batchOnly ? List.of(Recovery.DETECTION, Recovery.BATCH_RECOVERY) : List.of(Recovery.RECOVERY)) {
                e.result().figures().stream().filter(f -> f.name().equals(marked) && f.value() != null).findFirst()
                        .ifPresent(f -> markers.add(new Plots.Marker(f.value(), marked + " = " + SvgCharts.fmt(f.value()))));
            }
            String title = scenario + " on " + e.orchestrator() + ": " + what + " of " + workload + " running around the fault (" + tier.title + ")";
            charts.add(new Chart(title, Plots.lines(title, "time since the fault (s)", what + " running", List.of(
                            new Plots.Series("running, any node", all), new Plots.Series("running off " + r.stoppedNode(), off)),
                    markers, true, "n=" + tasks.size() + " " + what + " seen running" + (batchOnly ? " (a requeued task counts once per run)"
                            : " (target " + r.replicas() + ")") + " | clock: client (when this client saw each change) | tier: " + tier.label)));
        }
        return charts;
    }

    private static int running(List<TaskRecord> tasks, Instant at, String excludedNode) {
        int n = 0;
        for (TaskRecord t : tasks) {
            if (excludedNode != null && excludedNode.equals(t.node())) continue;
            Instant start = t.at(Phase.RUNNING).observedAt(), end = holdEnd(t, Clock.CLIENT);
            if (!start.isAfter(at) && (end == null || end.isAfter(at))) n++;
        }
        return n;
    }

    // ---- Gatling response time per load step, one line per orchestrator and percentile

    static List<Chart> gatlingSteps(String scenario, List<Entry> entries) {
        List<Chart> charts = new ArrayList<>();
        for (String tier : List.of("real nodes", "simulated nodes: control plane only", "mixed real and simulated nodes")) {
            List<Plots.Series> series = new ArrayList<>();
            Set<String> steps = new LinkedHashSet<>();
            List<String> counts = new ArrayList<>();
            for (Entry e : entries) {
                if (!tierOf(e.result()).equals(tier)) continue;
                List<Figure> response = e.result().figures().stream()
                        .filter(f -> "HttpLoad".equals(f.measurement()) && f.name().startsWith("http_response_ms[")).toList();
                if (response.isEmpty()) continue;
                response.forEach(f -> steps.add(f.name()));
                for (String q : List.of("p50", "p99")) {
                    List<double[]> points = new ArrayList<>();
                    for (int i = 0; i < response.size(); i++) {
                        Figure f = response.get(i);
                        Double v = q.equals("p50") ? f.p50() : f.p99();
                        if (v != null) points.add(new double[] {i + 1, v});
                    }
                    series.add(new Plots.Series(e.orchestrator() + " " + q, points));
                }
                counts.add(e.orchestrator() + " n=" + response.stream().map(f -> Long.toString(f.n())).collect(Collectors.joining("/")) + " requests");
            }
            if (series.isEmpty()) continue;
            List<String> names = new ArrayList<>(steps);
            StringBuilder legend = new StringBuilder();
            for (int i = 0; i < names.size(); i++) legend.append(i == 0 ? "" : ", ").append(i + 1).append(" = ")
                    .append(names.get(i).substring("http_response_ms[".length(), names.get(i).length() - 1));
            String title = scenario + ": Gatling response time per load step (" + tier + ")";
            charts.add(new Chart(title, Plots.lines(title, "load step (" + legend + ")", "response time (ms)", series, List.of(), false,
                    String.join(", ", counts) + " per step | clock: gatling (client) | tier: " + tier)));
        }
        return charts;
    }

    /** A scenario's tier from its tasks_on_simulated_nodes figure; real when it has none. */
    static String tierOf(ScenarioResult result) {
        return result.figures().stream().filter(f -> f.name().equals(SimulatedNodes.FIGURE) && f.value() != null).findFirst()
                .map(f -> f.value() == 0 ? "real nodes" : f.value() >= f.n() ? "simulated nodes: control plane only" : "mixed real and simulated nodes")
                .orElse("real nodes");
    }
}
