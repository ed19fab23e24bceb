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

/**
 * Tasks reaching a phase per second, on both clocks: overall (first submit issued to the last
 * arrival, {@code throughput_tasks_per_s}) and in the busiest window ({@code throughput_peak_tasks_per_s}).
 * Kubernetes stamps completions in whole seconds, so there the {@code _client} twins are the finer reading.
 */
public record Throughput(Phase phase, Duration window) implements Measurement {

    public static final String OVERALL = "throughput_tasks_per_s";
    public static final String PEAK = "throughput_peak_tasks_per_s";

    public Throughput(Phase phase) {
        this(phase, Duration.ofSeconds(1));
    }

    public static Throughput fromInputs(Map<String, String> inputs) {
        Inputs in = new Inputs("Throughput", inputs);
        return new Throughput(in.enumValue("phase", Phase.class), Duration.ofMillis(in.integer("window_ms")));
    }

    @Override
    public Map<String, String> inputs() {
        return Inputs.of("phase", phase.name(), "window_ms", Long.toString(window.toMillis()));
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        List<Figure> figures = new ArrayList<>(onClock(evidence.tasks(), Clock.SERVER));
        figures.addAll(onClock(evidence.tasks(), Clock.CLIENT));
        return figures;
    }

    private List<Figure> onClock(List<TaskRecord> tasks, Clock clock) {
        String suffix = clock == Clock.SERVER ? "" : "_client";
        List<Instant> arrivals = tasks.stream().map(t -> clock.read(t.at(phase))).filter(Objects::nonNull).sorted().toList();
        long errors = tasks.size() - arrivals.size();
        Instant start = tasks.stream().map(TaskRecord::submitStartedAt).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
        if (arrivals.isEmpty() || start == null) {
            String none = "no task reached " + phase;
            return List.of(Figure.value(OVERALL + suffix, "tasks/s", 0, 0.0, clock.label(), errors, none),
                    Figure.value(PEAK + suffix, "tasks/s", 0, 0.0, clock.label(), errors, none));
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
                Figure.value(OVERALL + suffix, "tasks/s", arrivals.size(), Quantiles.round(overall), clock.label(), errors,
                        "tasks reaching " + phase + " / (last " + phase + " - first submit issued)"),
                Figure.value(PEAK + suffix, "tasks/s", arrivals.size(), Quantiles.round(busiest / windowSeconds), clock.label(), errors,
                        "most tasks reaching " + phase + " within any " + windowSeconds + " s window, per second"));
    }
}
