package org.computeops.scenarios.harness;

import org.computeops.orchestrators.spi.ObservationGap;
import org.computeops.results.model.Figure;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HealthWatchTest {

    private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");

    @Test
    void anOutageOverTheBudgetEndsTheScenarioWithItsStartAndLength() {
        try (HealthWatch watch = new HealthWatch("swarm", () -> { }, Duration.ofHours(1), Duration.ofSeconds(10))) {
            watch.record("cannot reach the Docker engine", T0);
            watch.record("still down", T0.plusSeconds(5)); // the outage keeps its first start and reason
            assertThatCode(() -> watch.failIfOverBudget(T0.plusSeconds(10))).doesNotThrowAnyException();
            assertThatThrownBy(() -> watch.failIfOverBudget(T0.plusSeconds(11)))
                    .isInstanceOf(HealthWatch.TestbedOutage.class)
                    .hasMessage("testbed outage: swarm has not answered its health check since 2026-11-29T08:00:00Z (11 s so far,"
                            + " over testbed.health.budgetSeconds=10): cannot reach the Docker engine");
        }
    }

    @Test
    void aShortOutageIsRecordedAsAGapAndDoesNotEndTheScenario() {
        try (HealthWatch watch = new HealthWatch("kubernetes", () -> { }, Duration.ofHours(1), Duration.ofSeconds(10))) {
            watch.record("no answer", T0);
            watch.record(null, T0.plusSeconds(3));
            assertThatCode(() -> watch.failIfOverBudget(T0.plusSeconds(60))).doesNotThrowAnyException();
            List<ObservationGap> gaps = watch.outages(T0.plusSeconds(60));
            assertThat(gaps).hasSize(1);
            assertThat(gaps.get(0).from()).isEqualTo(T0);
            assertThat(gaps.get(0).length(T0.plusSeconds(60))).isEqualTo(Duration.ofSeconds(3));
        }
    }

    @Test
    void aHungHealthCheckCountsAsFailedWithinTheInterval() throws InterruptedException {
        AtomicBoolean hang = new AtomicBoolean(true);
        try (HealthWatch watch = new HealthWatch("swarm", () -> {
            while (hang.get()) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, Duration.ofMillis(200), Duration.ofMillis(500))) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (watch.outageSince().isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(watch.outageSince()).isPresent();
            Thread.sleep(900);
            assertThatThrownBy(watch::failIfOverBudget).isInstanceOf(HealthWatch.TestbedOutage.class)
                    .hasMessageContaining("no answer to its health check within 200 ms");
            hang.set(false);
        }
    }

    @Test
    void clientClockFiguresOverlappingAGapAreFlaggedAndKeepTheirValues() {
        Figure client = Figure.quantiles("submit_to_running_ms", "ms", 10, 1.0, 2.0, 3.0, 4.0, "client", 0, null);
        Figure server = Figure.quantiles("submit_to_scheduled_ms", "ms", 10, 1.0, 2.0, 3.0, 4.0, "server", 0, null);
        List<Figure> flagged = ScenarioExecution.flagClientClock(List.of(client, server),
                List.of(new ObservationGap(T0, T0.plusSeconds(2), "3 failed task polls")));
        assertThat(flagged.get(0).note()).contains(ScenarioExecution.GAP_FLAG).contains("longest 2000 ms");
        assertThat(flagged.get(0).p99()).isEqualTo(3.0);
        assertThat(flagged.get(1).note()).isNull();
        assertThat(ScenarioExecution.flagClientClock(List.of(client), List.of())).containsExactly(client);
        assertThat(ScenarioExecution.readsClientObservation("client→server")).isFalse();
        assertThat(ScenarioExecution.readsClientObservation("client→client")).isTrue();
        assertThat(ScenarioExecution.readsClientObservation("client−server")).isTrue();
        assertThat(ScenarioExecution.readsClientObservation("server→server")).isFalse();
    }
}
