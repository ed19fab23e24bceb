package org.computeops.results;

import org.computeops.orchestrators.spi.Phase;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The measurement definitions of DESIGN.md, computed from task records. Every latency starts when
 * the client issued the submit call: a fast scheduler can bind a task before the call's response
 * is back, so "submit returned" would give negative latencies. A task whose end point is missing
 * or earlier than the start is an error, never a zero.
 */
public final class Measurements {

    private Measurements() {
    }

    public static final String SUBMIT_TO_SCHEDULED = "submit_to_scheduled_ms";
    public static final String SUBMIT_TO_RUNNING = "submit_to_running_ms";
    public static final String THROUGHPUT = "throughput_tasks_per_s";
    public static final String PEAK_THROUGHPUT = "throughput_peak_tasks_per_s";

    /** Latency from submit to a phase, in ms; null when the task has no usable reading on that clock. */
    public static Double latencyMs(TaskRecord task, Phase phase, Clock clock) {
        Instant end = clock.read(task.at(phase));
        if (end == null || task.submitStartedAt() == null) return null;
        double ms = Duration.between(task.submitStartedAt(), end).toNanos() / 1e6;
        return ms < 0 ? null : ms;
    }

    public static Metric latency(String name, Collection<TaskRecord> tasks, Phase phase, Clock clock) {
        List<Double> values = new ArrayList<>();
        long errors = 0;
        for (TaskRecord task : tasks) {
            Double ms = latencyMs(task, phase, clock);
            if (ms == null) errors++;
            else values.add(ms);
        }
        String note = "submit call issued (client clock) -> " + phase + " (" + clock.label() + " clock); nearest-rank quantiles";
        return Quantiles.latency(clock == Clock.SERVER ? name : name.replace("_ms", "_client_ms"), values, errors,
                clock.label(), note);
    }

    /**
     * Tasks reaching {@code phase} per second: overall (first submit to last arrival) and over the
     * busiest window of {@code window}.
     */
    public static List<Metric> throughput(Collection<TaskRecord> tasks, Phase phase, Clock clock, Duration window) {
        String suffix = clock == Clock.SERVER ? "" : "_client";
        List<Instant> arrivals = tasks.stream().map(t -> clock.read(t.at(phase))).filter(Objects::nonNull).sorted().toList();
        long errors = tasks.size() - arrivals.size();
        Instant start = tasks.stream().map(TaskRecord::submitStartedAt).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
        if (arrivals.isEmpty() || start == null) {
            return List.of(new Metric(THROUGHPUT + suffix, "tasks/s", 0, null, null, null, null, 0.0, clock.label(), errors,
                    "no task reached " + phase));
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
                new Metric(THROUGHPUT + suffix, "tasks/s", arrivals.size(), null, null, null, null, Quantiles.round(overall),
                        clock.label(), errors, "tasks reaching " + phase + " / (last " + phase + " - first submit issued)"),
                new Metric(PEAK_THROUGHPUT + suffix, "tasks/s", arrivals.size(), null, null, null, null,
                        Quantiles.round(busiest / windowSeconds), clock.label(), errors,
                        "most tasks reaching " + phase + " within any " + windowSeconds + " s window, per second"));
    }

    /** Share of tasks without a usable figure; DESIGN.md fails a scenario above 10 %. */
    public static double errorRate(Metric metric) {
        long total = metric.n() + metric.errors();
        return total == 0 ? 1.0 : (double) metric.errors() / total;
    }
}
