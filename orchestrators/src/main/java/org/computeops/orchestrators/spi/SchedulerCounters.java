package org.computeops.orchestrators.spi;

import java.time.Instant;
import java.util.Map;

/**
 * The scheduler's own counters at one instant, read from its metrics endpoint (kube-scheduler's
 * /metrics, the Swarm manager's --metrics-addr): two readings around a scenario give what the
 * scheduler itself counted over the same interval, to set beside our figures.
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
 */
public record SchedulerCounters(Instant at, long scheduled, Map<String, Double> figures, String source, boolean placements) {

    public SchedulerCounters {
        figures = Map.copyOf(figures);
    }
}
