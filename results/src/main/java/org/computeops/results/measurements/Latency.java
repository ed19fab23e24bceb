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
import java.util.function.Predicate;

/**
 * Per-task latency from the moment the client issued the submit call to a phase, in ms, on the
 * orchestrator's clock ({@code submit_to_PHASE_ms}, the headline) and on this client's
 * ({@code submit_to_PHASE_client_ms}). The start is the issued call, not its return: a fast
 * scheduler can bind a task before the response is back. A task whose end is missing or earlier
 * than the start counts in {@code errors}, never as a zero. Quantiles are nearest-rank.
 */
public record Latency(Phase to, Tasks tasks) implements Measurement {

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

    public Latency(Phase to) {
        this(to, Tasks.ALL);
    }

    public static Latency fromInputs(Map<String, String> inputs) {
        Inputs in = new Inputs("Latency", inputs);
        return new Latency(in.enumValue("to", Phase.class), in.enumValue("tasks", Tasks.class));
    }

    @Override
    public Map<String, String> inputs() {
        return Inputs.of("from", "submit issued", "to", to.name(), "tasks", tasks.name());
    }

    /** The figure's name on a clock. */
    public String name(Clock clock) {
        return tasks.prefix + "submit_to_" + to.lower() + (clock == Clock.SERVER ? "_ms" : "_client_ms");
    }

    /** One task's latency in ms; null when it has no usable reading on that clock. */
    public static Double latencyMs(TaskRecord task, Phase phase, Clock clock) {
        Instant end = clock.read(task.at(phase));
        if (end == null || task.submitStartedAt() == null) return null;
        double ms = Duration.between(task.submitStartedAt(), end).toNanos() / 1e6;
        return ms < 0 ? null : ms;
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        List<TaskRecord> covered = evidence.tasks(tasks.filter());
        return List.of(figure(covered, Clock.SERVER), figure(covered, Clock.CLIENT));
    }

    private Figure figure(List<TaskRecord> covered, Clock clock) {
        List<Double> values = new ArrayList<>();
        long errors = 0;
        for (TaskRecord task : covered) {
            Double ms = latencyMs(task, to, clock);
            if (ms == null) errors++;
            else values.add(ms);
        }
        String note = "submit call issued (client clock) -> " + to + " (" + clock.label() + " clock); nearest-rank quantiles";
        return Quantiles.latency(name(clock), values, errors, clock.label(), note);
    }

    @Override
    public Map<String, String> charts(Evidence evidence) {
        List<Double> values = evidence.tasks(tasks.filter()).stream().map(t -> latencyMs(t, to, Clock.SERVER))
                .filter(Objects::nonNull).toList();
        String name = name(Clock.SERVER);
        return values.isEmpty() ? Map.of() : Map.of(name, SvgCharts.histogram(name, values, "ms", 20));
    }
}
