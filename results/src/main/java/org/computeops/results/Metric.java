package org.computeops.results;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One figure of a scenario. Latency metrics fill the quantiles; counts and rates fill {@code value}.
 * {@code errors} counts tasks whose figure was missing or negative and so is not in {@code n}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Metric(String name, String unit, long n, Double p50, Double p90, Double p99, Double max,
                     Double value, String clock, long errors, String note) {

    public static Metric value(String name, String unit, long n, double value, String clock, String note) {
        return new Metric(name, unit, n, null, null, null, null, value, clock, 0, note);
    }

    public Metric renamed(String newName) {
        return new Metric(newName, unit, n, p50, p90, p99, max, value, clock, errors, note);
    }

    public Metric withNote(String newNote) {
        return new Metric(name, unit, n, p50, p90, p99, max, value, clock, errors, newNote);
    }
}
