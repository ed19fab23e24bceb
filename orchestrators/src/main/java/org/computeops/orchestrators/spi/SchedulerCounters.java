package org.computeops.orchestrators.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The scheduler's own counters at one instant, read from its metrics endpoint (kube-scheduler's
 * /metrics, the Swarm manager's --metrics-addr): two readings around a scenario give what the
 * scheduler itself counted over the same interval, to set beside our figures. The one place that
 * holds the scheduler's count against ours ({@link #disagreement}).
 *
 * @param scheduled tasks the scheduler has placed since it started (Kubernetes:
 *                  {@code scheduler_schedule_attempts_total{result="scheduled"}})
 * @param figures   further cumulative counters or histogram sums/counts by their metric name and
 *                  labels as the endpoint prints them (for quantiles over the interval)
 * @param source    where they were read, for the report (endpoint and metric names)
 * @param placements whether {@code scheduled} counts placements (kube-scheduler); false where it
 *                  counts a later state (SwarmKit's dispatcher counts RUNNING reports, which a task
 *                  that ends before its status is reported skips): then it is shown beside ours,
 *                  never held against a scenario
 * @param latencyHistogram the scheduler's own latency histogram among {@code figures} (its metric
 *                  name, buckets as {@code NAME_bucket{le="..."}}), with what it times, or null
 */
public record SchedulerCounters(Instant at, long scheduled, Map<String, Double> figures, String source, boolean placements,
                                Histogram latencyHistogram) {

    /** Further apart than this share of our count (and than {@link #SLACK_TASKS}) is a disagreement. */
    public static final double TOLERANCE = 0.10;
    /** Tasks either side that never count as a disagreement (a small burst's one straggler). */
    public static final long SLACK_TASKS = 2;

    /** A latency histogram: its metric name and what it times, in words. */
    public record Histogram(String metric, String times) {
    }

    public SchedulerCounters {
        figures = Map.copyOf(figures);
    }

    /** Tasks the scheduler counted between {@code before} and this reading. */
    public long scheduledSince(SchedulerCounters before) {
        return scheduled - before.scheduled;
    }

    /**
     * Where the scheduler counts placements and its count since {@code before} is more than 10 %
     * (and more than 2 tasks) from {@code ours}, the sentence naming both; else empty.
     */
    public Optional<String> disagreement(SchedulerCounters before, long ours) {
        long theirs = scheduledSince(before);
        if (!placements || Math.abs(theirs - ours) <= Math.max(SLACK_TASKS, TOLERANCE * ours)) return Optional.empty();
        return Optional.of("the scheduler's own counter says " + theirs + " (" + source + ") where this harness saw "
                + ours + " tasks scheduled: more than " + Math.round(TOLERANCE * 100) + " % apart");
    }

    /**
     * The q-quantile (seconds) of the scheduler's latency histogram over the interval since
     * {@code before} (as Prometheus' histogram_quantile: linear within a bucket); NaN without one
     * or without observations.
     */
    public double latencyQuantileSince(SchedulerCounters before, double q) {
        if (latencyHistogram == null) return Double.NaN;
        String prefix = latencyHistogram.metric() + "_bucket{le=\"";
        TreeMap<Double, Double> buckets = new TreeMap<>();
        for (Map.Entry<String, Double> e : figures.entrySet()) {
            String k = e.getKey();
            if (!k.startsWith(prefix) || !k.endsWith("\"}")) continue;
            String le = k.substring(prefix.length(), k.length() - 2);
            double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            buckets.put(bound, e.getValue() - before.figures().getOrDefault(k, 0.0));
        }
        if (buckets.isEmpty() || buckets.lastEntry().getValue() <= 0) return Double.NaN;
        double rank = q * buckets.lastEntry().getValue(), lower = 0, below = 0;
        for (Map.Entry<Double, Double> b : buckets.entrySet()) {
            if (b.getValue() >= rank) {
                if (b.getKey().isInfinite()) return lower;
                return lower + (b.getKey() - lower) * (rank - below) / Math.max(1e-12, b.getValue() - below);
            }
            lower = b.getKey();
            below = b.getValue();
        }
        return lower;
    }

    /** Observations of the latency histogram since {@code before} (0 without one). */
    public long latencyObservationsSince(SchedulerCounters before) {
        if (latencyHistogram == null) return 0;
        String count = latencyHistogram.metric() + "_count";
        return Math.round(figures.getOrDefault(count, 0.0) - before.figures().getOrDefault(count, 0.0));
    }
}
