package org.computeops.results.measurements;

import org.computeops.results.charts.SvgCharts;
import org.computeops.results.model.Clock;
import org.computeops.results.model.Figure;
import org.computeops.results.model.Phase;
import org.computeops.results.model.TaskRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Per-task latency of one stage, in ms: from the moment the client issued the submit call
 * ({@code from} null) or from a phase, to a phase. Each end is read on one clock for every task
 * (the orchestrator's sub-second stamp where it has one, else this client's observation; whole-second
 * stamps never count), named in the figure's {@code clock}, e.g. {@code client→server}. The
 * {@code _client_ms} twin reads both ends on this client's clock. A task whose end is missing or
 * earlier than its start counts in {@code errors}, never as a zero; one whose end was inferred (a
 * bound) is counted in the note. Quantiles are nearest-rank.
 */
public record Latency(Phase from, Phase to, Tasks tasks, Clock fromClock, Clock toClock) implements Measurement, ClockBound {

    /** Which tasks a latency covers; GPU and CPU-only tasks get their own figures, named by prefix. */
    public enum Tasks {
        ALL(""), GPU("gpu_task_"), CPU("cpu_task_");

        private final String prefix;

        Tasks(String prefix) {
            this.prefix = prefix;
        }

        Predicate<TaskRecord> filter() {
            return switch (this) {
                case ALL -> t -> true;
                case GPU -> t -> t.gpus() > 0;
                case CPU -> t -> t.gpus() == 0;
            };
        }
    }

    /** From the submit call to a phase, over all tasks; clocks bound by the harness. */
    public Latency(Phase to) {
        this(null, to, Tasks.ALL, null, null);
    }

    /** From the submit call to a phase, over some tasks; clocks bound by the harness. */
    public Latency(Phase to, Tasks tasks) {
        this(null, to, tasks, null, null);
    }

    /** One stage between two phases; clocks bound by the harness. */
    public static Latency stage(Phase from, Phase to) {
        return new Latency(from, to, Tasks.ALL, null, null);
    }

    public static Latency fromInputs(Map<String, String> inputs) {
        Inputs in = new Inputs("Latency", inputs);
        String from = in.string("from");
        return new Latency(from.equals(SUBMIT) ? null : Phase.valueOf(from), in.enumValue("to", Phase.class),
                in.enumValue("tasks", Tasks.class), in.enumValue("from_clock", Clock.class), in.enumValue("to_clock", Clock.class));
    }

    private static final String SUBMIT = "SUBMIT_ISSUED";

    /**
     * From the submit call (a client action) the end is on the orchestrator's clock where it is
     * sub-second. Between two phases both ends share one clock: the orchestrator's when it stamps
     * both finer than a second, else this client's at both ends (a client start against a server
     * end would turn the client's observation lag into negative, or shortened, stages).
     */
    @Override
    public Latency onClocks(Set<Phase> subSecondServerPhases) {
        if (from == null) return new Latency(null, to, tasks, Clock.CLIENT, ClockBound.clockOf(to, subSecondServerPhases));
        Clock both = subSecondServerPhases.contains(from) && subSecondServerPhases.contains(to) ? Clock.SERVER : Clock.CLIENT;
        return new Latency(from, to, tasks, both, both);
    }

    @Override
    public Map<String, String> inputs() {
        bound();
        return Inputs.of("from", from == null ? SUBMIT : from.name(), "to", to.name(), "tasks", tasks.name(),
                "from_clock", fromClock.name(), "to_clock", toClock.name());
    }

    private void bound() {
        if (fromClock == null || toClock == null) {
            throw new IllegalStateException("the clocks of " + name(false) + " are not bound (ScenarioExecution.measure binds them)");
        }
    }

    /** The figure's name; the twin read on the client clock at both ends ends in {@code _client_ms}. */
    public String name(boolean clientTwin) {
        return tasks.prefix + (from == null ? "submit" : from.lower()) + "_to_" + to.lower() + (clientTwin ? "_client_ms" : "_ms");
    }

    /** One task's latency in ms between two ends on their clocks; null when it has no usable reading. */
    public static Double latencyMs(TaskRecord task, Phase from, Clock fromClock, Phase to, Clock toClock) {
        Instant start = from == null ? task.submitStartedAt() : fromClock.read(task.at(from));
        Instant end = toClock.read(task.at(to));
        if (end == null || start == null) return null;
        double ms = Duration.between(start, end).toNanos() / 1e6;
        return ms < 0 ? null : ms;
    }

    /** From the submit call to a phase on one clock (used by charts and older callers). */
    public static Double latencyMs(TaskRecord task, Phase phase, Clock clock) {
        return latencyMs(task, null, Clock.CLIENT, phase, clock);
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        bound();
        List<TaskRecord> covered = evidence.tasks(tasks.filter());
        return List.of(figure(covered, fromClock, toClock, false), figure(covered, Clock.CLIENT, Clock.CLIENT, true));
    }

    private Figure figure(List<TaskRecord> covered, Clock startClock, Clock endClock, boolean twin) {
        List<Double> values = new ArrayList<>();
        long errors = 0;
        long inferred = 0;
        for (TaskRecord task : covered) {
            Double ms = latencyMs(task, from, startClock, to, endClock);
            if (ms == null) {
                errors++;
                continue;
            }
            values.add(ms);
            if (inferredEnd(task, from, startClock) || inferredEnd(task, to, endClock)) inferred++;
        }
        String clock = (from == null ? "client" : startClock.label()) + "→" + endClock.label();
        String note = (from == null ? "submit call issued (client clock)" : from + " (" + startClock.label() + " clock)")
                + " -> " + to + " (" + endClock.label() + " clock); nearest-rank quantiles"
                + (inferred > 0 ? "; " + inferred + " task(s) with an inferred end (an upper bound from a later state)" : "");
        return Quantiles.latency(name(twin), values, errors, clock, note);
    }

    private static boolean inferredEnd(TaskRecord task, Phase phase, Clock clock) {
        return phase != null && clock == Clock.SERVER && task.at(phase) != null && task.at(phase).inferred();
    }

    @Override
    public Map<String, String> charts(Evidence evidence) {
        bound();
        List<Double> values = evidence.tasks(tasks.filter()).stream().map(t -> latencyMs(t, from, fromClock, to, toClock))
                .filter(Objects::nonNull).toList();
        String name = name(false);
        return values.isEmpty() ? Map.of() : Map.of(name, SvgCharts.histogram(name + " (" + fromClockLabel() + "→" + toClock.label() + ")",
                values, "ms", 20));
    }

    private String fromClockLabel() {
        return from == null ? "client" : fromClock.label();
    }
}
