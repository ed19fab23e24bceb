package org.computeops.results;

import org.computeops.orchestrators.spi.Phase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MeasurementsTest {

    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    static TaskRecord task(String id, Long scheduledMs, Long observedScheduledMs, Long succeededMs) {
        Map<Phase, PhaseTimes> phases = new java.util.EnumMap<>(Phase.class);
        if (scheduledMs != null || observedScheduledMs != null) {
            phases.put(Phase.SCHEDULED, new PhaseTimes(scheduledMs == null ? null : T0.plusMillis(scheduledMs),
                    observedScheduledMs == null ? null : T0.plusMillis(observedScheduledMs)));
        }
        if (succeededMs != null) phases.put(Phase.SUCCEEDED, new PhaseTimes(T0.plusMillis(succeededMs), T0.plusMillis(succeededMs + 5)));
        return new TaskRecord("swarm", "s", "d", "w", id, "node-1", false, 0, T0, T0.plusMillis(10), phases, null);
    }

    @Test
    void nearestRankQuantilesOverExactValues() {
        List<TaskRecord> tasks = new ArrayList<>();
        for (int i = 1; i <= 100; i++) tasks.add(task("t" + i, (long) i, (long) i + 1, null));
        Metric m = Measurements.latency("submit_to_scheduled_ms", tasks, Phase.SCHEDULED, Clock.SERVER);
        assertThat(m.n()).isEqualTo(100);
        assertThat(m.p50()).isEqualTo(50.0);
        assertThat(m.p90()).isEqualTo(90.0);
        assertThat(m.p99()).isEqualTo(99.0);
        assertThat(m.max()).isEqualTo(100.0);
        assertThat(m.clock()).isEqualTo("server");
        assertThat(m.errors()).isZero();
    }

    @Test
    void clientClockFigureIsSeparateAndNamedSo() {
        List<TaskRecord> tasks = List.of(task("a", 10L, 40L, null), task("b", 20L, 60L, null));
        Metric client = Measurements.latency("submit_to_scheduled_ms", tasks, Phase.SCHEDULED, Clock.CLIENT);
        assertThat(client.name()).isEqualTo("submit_to_scheduled_client_ms");
        assertThat(client.p50()).isEqualTo(40.0);
        assertThat(client.max()).isEqualTo(60.0);
        assertThat(client.clock()).isEqualTo("client");
    }

    @Test
    void missingAndNegativeReadingsAreErrorsNotZeros() {
        List<TaskRecord> tasks = List.of(task("ok", 30L, 31L, null), task("missing", null, 50L, null), task("negative", -5L, 1L, null));
        Metric m = Measurements.latency("submit_to_scheduled_ms", tasks, Phase.SCHEDULED, Clock.SERVER);
        assertThat(m.n()).isEqualTo(1);
        assertThat(m.errors()).isEqualTo(2);
        assertThat(m.p50()).isEqualTo(30.0);
        assertThat(Measurements.errorRate(m)).isEqualTo(2.0 / 3);
    }

    @Test
    void noUsableReadingGivesNoQuantilesAtAll() {
        Metric m = Measurements.latency("submit_to_scheduled_ms", List.of(task("x", null, null, null)), Phase.SCHEDULED, Clock.SERVER);
        assertThat(m.n()).isZero();
        assertThat(m.p50()).isNull();
        assertThat(Measurements.errorRate(m)).isEqualTo(1.0);
    }

    @Test
    void throughputOverallAndBusiestWindow() {
        // 10 tasks done within the first second, 2 more at 3 s and 4 s.
        List<TaskRecord> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) tasks.add(task("t" + i, 1L, 1L, 100L + i * 50));
        tasks.add(task("late1", 1L, 1L, 3000L));
        tasks.add(task("late2", 1L, 1L, 4000L));
        List<Metric> m = Measurements.throughput(tasks, Phase.SUCCEEDED, Clock.SERVER, Duration.ofSeconds(1));
        assertThat(m.get(0).name()).isEqualTo(Measurements.THROUGHPUT);
        assertThat(m.get(0).value()).isEqualTo(3.0); // 12 tasks / 4 s
        assertThat(m.get(1).name()).isEqualTo(Measurements.PEAK_THROUGHPUT);
        assertThat(m.get(1).value()).isEqualTo(10.0);
        assertThat(m.get(0).n()).isEqualTo(12);
    }
}
