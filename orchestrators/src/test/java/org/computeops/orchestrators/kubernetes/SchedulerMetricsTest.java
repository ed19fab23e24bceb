package org.computeops.orchestrators.kubernetes;

import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.SchedulerCounters;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchedulerMetricsTest {

    /** The shape kube-scheduler v1.35 prints (lines copied from the local testbed's /metrics, values changed). */
    private static final String SCRAPE = """
            # HELP scheduler_pod_scheduling_sli_duration_seconds [BETA] E2e latency for a pod being scheduled, from the time the pod enters the scheduling queue and might involve multiple scheduling attempts.
            # TYPE scheduler_pod_scheduling_sli_duration_seconds histogram
            scheduler_pod_scheduling_sli_duration_seconds_bucket{attempts="1",le="0.01"} 900
            scheduler_pod_scheduling_sli_duration_seconds_bucket{attempts="1",le="0.02"} 950
            scheduler_pod_scheduling_sli_duration_seconds_bucket{attempts="1",le="+Inf"} 1000
            scheduler_pod_scheduling_sli_duration_seconds_sum{attempts="1"} 7.5
            scheduler_pod_scheduling_sli_duration_seconds_count{attempts="1"} 1000
            scheduler_pod_scheduling_sli_duration_seconds_bucket{attempts="2",le="0.01"} 0
            scheduler_pod_scheduling_sli_duration_seconds_bucket{attempts="2",le="0.02"} 3
            scheduler_pod_scheduling_sli_duration_seconds_bucket{attempts="2",le="+Inf"} 5
            scheduler_pod_scheduling_sli_duration_seconds_sum{attempts="2"} 0.5
            scheduler_pod_scheduling_sli_duration_seconds_count{attempts="2"} 5
            # HELP scheduler_schedule_attempts_total [STABLE] Number of attempts to schedule pods, by the result.
            # TYPE scheduler_schedule_attempts_total counter
            scheduler_schedule_attempts_total{profile="default-scheduler",result="scheduled"} 1003
            scheduler_schedule_attempts_total{profile="default-scheduler",result="unschedulable"} 7
            scheduler_schedule_attempts_total{profile="other",result="scheduled"} 2
            scheduler_schedule_attempts_since_last_successful_total 3
            scheduler_pending_pods{queue="active"} 0
            """;

    @Test
    void keepsTheAttemptsByResultAndTheSliHistogramSummedOverItsOtherLabels() {
        Instant at = Instant.parse("2026-11-29T10:00:00Z");
        SchedulerCounters c = SchedulerMetrics.parse(SCRAPE, at, "test");
        assertThat(c.at()).isEqualTo(at);
        assertThat(c.scheduled()).isEqualTo(1005);   // both profiles
        assertThat(c.figures())
                .containsEntry("scheduler_schedule_attempts_total{result=\"scheduled\"}", 1005.0)
                .containsEntry("scheduler_schedule_attempts_total{result=\"unschedulable\"}", 7.0)
                .containsEntry("scheduler_pod_scheduling_sli_duration_seconds_bucket{le=\"0.01\"}", 900.0)
                .containsEntry("scheduler_pod_scheduling_sli_duration_seconds_bucket{le=\"0.02\"}", 953.0)
                .containsEntry("scheduler_pod_scheduling_sli_duration_seconds_bucket{le=\"+Inf\"}", 1005.0)
                .containsEntry("scheduler_pod_scheduling_sli_duration_seconds_sum", 8.0)
                .containsEntry("scheduler_pod_scheduling_sli_duration_seconds_count", 1005.0)
                .doesNotContainKey("scheduler_pending_pods{queue=\"active\"}")
                .hasSize(7);
        // the counter of the same prefix is not the attempts counter
        assertThat(c.figures().keySet()).noneMatch(k -> k.startsWith("scheduler_schedule_attempts_since"));
    }

    @Test
    void twoReadingsGiveTheCountOverTheInterval() {
        SchedulerCounters before = SchedulerMetrics.parse(
                "scheduler_schedule_attempts_total{profile=\"default-scheduler\",result=\"scheduled\"} 3\n", Instant.EPOCH, "t");
        SchedulerCounters after = SchedulerMetrics.parse(SCRAPE, Instant.EPOCH.plusSeconds(10), "t");
        assertThat(after.scheduled() - before.scheduled()).isEqualTo(1002);
    }

    @Test
    void labelValuesWithEscapesAndCommasAndTimestampsAreRead() {
        String text = "scheduler_schedule_attempts_total{profile=\"a,\\\"b\\\"\",result=\"scheduled\"} 4 1700000000000\n";
        assertThat(SchedulerMetrics.parse(text, Instant.EPOCH, "t").scheduled()).isEqualTo(4);
    }

    @Test
    void noScheduledResultYetIsZeroButAMissingCounterIsAnError() {
        assertThat(SchedulerMetrics.parse("scheduler_schedule_attempts_total{result=\"error\"} 1\n", Instant.EPOCH, "t").scheduled())
                .isZero();
        assertThatThrownBy(() -> SchedulerMetrics.parse("# only comments\nprocess_cpu_seconds_total 1\n", Instant.EPOCH, "x"))
                .isInstanceOf(AdapterException.class).hasMessageContaining("no scheduler_schedule_attempts_total");
    }

    @Test
    void anUnreadableValueIsNamed() {
        assertThatThrownBy(() -> SchedulerMetrics.parse("scheduler_schedule_attempts_total{result=\"scheduled\"} many\n", Instant.EPOCH, "x"))
                .isInstanceOf(AdapterException.class).hasMessageContaining("many");
    }
}
