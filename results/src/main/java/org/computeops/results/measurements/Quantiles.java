package org.computeops.results.measurements;

import org.computeops.results.model.Figure;

import java.util.Arrays;
import java.util.Collection;

/**
 * Nearest-rank quantiles over exact values (no histogram buckets), so anyone can recompute a
 * reported figure from tasks.csv: the p-th quantile is the ceil(p/100 * n)-th smallest value.
 */
public final class Quantiles {

    private Quantiles() {
    }

    public static double nearestRank(double[] sorted, double percentile) {
        if (sorted.length == 0) throw new IllegalArgumentException("no values");
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public static Figure latency(String name, Collection<Double> values, long errors, String clock, String note) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Figure.quantiles(name, "ms", 0, null, null, null, null, clock, errors, note);
        }
        return Figure.quantiles(name, "ms", sorted.length,
                round(nearestRank(sorted, 50)), round(nearestRank(sorted, 90)), round(nearestRank(sorted, 99)),
                round(sorted[sorted.length - 1]), clock, errors, note);
    }

    /** Millisecond figures are kept to the microsecond: finer digits are noise, coarser hide real differences. */
    public static double round(double ms) {
        return Math.round(ms * 1000.0) / 1000.0;
    }

    static double[] sorted(Collection<Double> values) {
        double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a;
    }
}
