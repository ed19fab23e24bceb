package org.computeops.results.measurements;

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

/**
 * Tasks reaching a phase per second: overall (first submit issued to the last arrival,
 * {@code throughput_tasks_per_s}) and in the busiest window ({@code throughput_peak_tasks_per_s}),
 * with arrivals on the orchestrator's sub-second clock where it has one, else this client's; the
 * {@code _client} twins always on this client's.
 */
public record Throughput(Phase phase, Duration window, Clock clock) implements Measurement, ClockBound {

    public static final String OVERALL = "throughput_tasks_per_s";
    public static final String PEAK = "throughput_peak_tasks_per_s";

    /** Clock bound by the harness. */
    public Throughput(Phase phase) {
        this(phase, Duration.ofSeconds(1), null);
    }

    public static Throughput fromInputs(Map<String, String> inputs) {
        Inputs in = new Inputs("Throughput", inputs);
        return new Throughput(in.enumValue("phase", Phase.class), Duration.ofMillis(in.integer("window_ms")),
                in.enumValue("clock", Clock.class));
    }

    @Override
    public Throughput onClocks(Set<Phase> subSecondServerPhases) {
        return new Throughput(phase, window, ClockBound.clockOf(phase, subSecondServerPhases));
    }

    @Override
    public Map<String, String> inputs() {
        if (clock == null) throw new IllegalStateException("the clock of throughput is not bound (ScenarioExecution.measure binds it)");
        return Inputs.of("phase", phase.name(), "window_ms", Long.toString(window.toMillis()), "clock", clock.name());
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        inputs();
        List<Figure> figures = new ArrayList<>(onClock(evidence.tasks(), clock, ""));
        figures.addAll(onClock(evidence.tasks(), Clock.CLIENT, "_client"));
        return figures;
    }

    private List<Figure> onClock(List<TaskRecord> tasks, Clock on, String suffix) {
        List<Instant> arrivals = tasks.stream().map(t -> on.read(t.at(phase))).filter(Objects::nonNull).sorted().toList();
        long errors = tasks.size() - arrivals.size();
        Instant start = tasks.stream().map(TaskRecord::submitStartedAt).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
        if (arrivals.isEmpty() || start == null) {
            String none = "no task reached " + phase;
            return List.of(Figure.value(OVERALL + suffix, "tasks/s", 0, 0.0, on.label(), errors, none),
                    Figure.value(PEAK + suffix, "tasks/s", 0, 0.0, on.label(), errors, none));
        }
        double seconds = Duration.between(start, arrivals.get(arrivals.size() - 1)).toNanos() / 1e9;
        double overall = seconds > 0 ? arrivals.size() / seconds : 0;
        int busiest = 0;
        for (int i = 0, j = 0; i < arrivals.size(); i++) {
            while (Duration.between(arrivals.get(j), arrivals.get(i)).compareTo(window) >= 0) j++;
            busiest = Math.max(busiest, i - j + 1);
        }
        double windowSeconds = window.toNanos() / 1e9;
        return List.of(
                Figure.value(OVERALL + suffix, "tasks/s", arrivals.size(), Quantiles.round(overall), on.label(), errors,
                        "tasks reaching " + phase + " / (last " + phase + " - first submit issued)"),
                Figure.value(PEAK + suffix, "tasks/s", arrivals.size(), Quantiles.round(busiest / windowSeconds), on.label(), errors,
                        "most tasks reaching " + phase + " within any " + windowSeconds + " s window, per second"));
    }
}
