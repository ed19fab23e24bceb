package org.computeops.orchestrators.spi;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The one rule that holds a scheduler's own count against ours, and its latency quantiles over an interval. */
class SchedulerCountersTest {

    private static final SchedulerCounters.Histogram SLI = new SchedulerCounters.Histogram("sli_seconds", "queue to bind");

    private static SchedulerCounters reading(long scheduled, boolean placements, double b01, double b1, double inf) {
        return new SchedulerCounters(Instant.EPOCH, scheduled, Map.of(
                "sli_seconds_bucket{le=\"0.1\"}", b01, "sli_seconds_bucket{le=\"1\"}", b1, "sli_seconds_bucket{le=\"+Inf\"}", inf,
                "sli_seconds_count", inf), "test /metrics", placements, SLI);
    }

    @Test
    void moreThanTenPercentAndTwoTasksApartIsADisagreementNamingBoth() {
        SchedulerCounters before = reading(1000, true, 0, 0, 0);
        assertThat(reading(1100, true, 0, 0, 0).disagreement(before, 100)).isEmpty();
        assertThat(reading(1088, true, 0, 0, 0).disagreement(before, 100)).hasValueSatisfying(d -> assertThat(d)
                .contains("88", "100", "test /metrics", "10 %"));
        assertThat(reading(1112, true, 0, 0, 0).disagreement(before, 100)).isPresent();
        // a small burst: 2 tasks either side never count
        assertThat(reading(1003, true, 0, 0, 0).disagreement(before, 5)).isEmpty();
        assertThat(reading(1008, true, 0, 0, 0).disagreement(before, 5)).isPresent();
    }

    @Test
    void aCounterOfALaterStateIsNeverHeldAgainstUs() {
        assertThat(reading(1024, false, 0, 0, 0).disagreement(reading(1000, false, 0, 0, 0), 30)).isEmpty();
    }

    @Test
    void latencyQuantilesComeFromTheHistogramsDifferenceOverTheInterval() {
        SchedulerCounters before = reading(0, true, 50, 50, 50);          // 50 earlier observations, all under 0.1 s
        SchedulerCounters after = reading(100, true, 100, 150, 150);      // since: 50 under 0.1 s, 50 in (0.1, 1]
        assertThat(after.latencyObservationsSince(before)).isEqualTo(100);
        assertThat(after.latencyQuantileSince(before, 0.5)).isCloseTo(0.1, within(1e-9));
        assertThat(after.latencyQuantileSince(before, 0.99)).isCloseTo(0.1 + 0.9 * 49 / 50, within(1e-9));
        SchedulerCounters none = new SchedulerCounters(Instant.EPOCH, 0, Map.of(), "x", true, null);
        assertThat(none.latencyQuantileSince(none, 0.5)).isNaN();
        assertThat(after.latencyQuantileSince(after, 0.5)).isNaN();
    }
}
