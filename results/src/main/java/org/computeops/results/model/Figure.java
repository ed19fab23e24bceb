package org.computeops.results.model;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.Map;

/**
 * One published number of a scenario. Latencies fill the quantiles; counts and rates fill {@code value}.
 * {@code errors} counts tasks whose reading was missing or negative and so are not in {@code n}.
 * {@code measurement} and {@code inputs} say which measurement made it and from what, so that
 * {@code verify} can rebuild it from the run's files.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Figure(String name, String unit, long n, Double p50, Double p90, Double p99, Double max,
                     Double value, String clock, long errors, String note, String measurement, Map<String, String> inputs) {

    public Figure {
        inputs = inputs == null ? null : Map.copyOf(inputs);
    }

    /** A latency-like figure: quantiles over n readings. */
    public static Figure quantiles(String name, String unit, long n, Double p50, Double p90, Double p99, Double max,
                                   String clock, long errors, String note) {
        return new Figure(name, unit, n, p50, p90, p99, max, null, clock, errors, note, null, null);
    }

    /** A single value (a count, a rate, a duration). */
    public static Figure value(String name, String unit, long n, Double value, String clock, long errors, String note) {
        return new Figure(name, unit, n, null, null, null, null, value, clock, errors, note, null, null);
    }

    public static Figure value(String name, String unit, long n, double value, String clock, String note) {
        return value(name, unit, n, value, clock, 0, note);
    }

    /** The same figure, stamped with the measurement that made it. */
    public Figure from(String measurementKind, Map<String, String> measurementInputs) {
        return new Figure(name, unit, n, p50, p90, p99, max, value, clock, errors, note, measurementKind, measurementInputs);
    }

    /** Share of readings that were unusable (1 when there were none at all). */
    public double errorRate() {
        long total = n + errors;
        return total == 0 ? 1.0 : (double) errors / total;
    }

    /** The number a figure is compared on: its value, else its median. */
    public Double headline() {
        return value != null ? value : p50;
    }
}
