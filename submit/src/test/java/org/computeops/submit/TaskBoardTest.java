package org.computeops.submit;

import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.TaskEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TaskBoardTest {

    static final Instant T0 = Instant.parse("2026-11-29T05:00:00Z");

    static TaskEvent event(String task, Phase phase, double seconds) {
        return new TaskEvent("d", task, phase == Phase.CREATED ? null : "n1", phase, T0.plusMillis((long) (seconds * 1000)), null,
                phase == Phase.FAILED ? "exit 3" : null);
    }

    @Test
    void countsForTheProgressLine() {
        TaskBoard b = new TaskBoard(10, T0);
        b.onEvent(event("a", Phase.CREATED, 0.1));
        b.onEvent(event("a", Phase.RUNNING, 0.2));
        b.onEvent(event("b", Phase.STARTED, 0.2));
        b.onEvent(event("c", Phase.SUCCEEDED, 0.3));
        b.onEvent(event("d", Phase.LOST, 0.3));
        assertThat(b.progress()).isEqualTo("1/10 succeeded, 2 running, 1 failed");
    }

    @Test
    void endsWhenEveryTaskSucceeded() {
        TaskBoard b = new TaskBoard(2, T0);
        b.onEvent(event("a", Phase.SUCCEEDED, 1));
        assertThat(b.ended(T0.plusSeconds(2))).isFalse();
        b.onEvent(event("b", Phase.SUCCEEDED, 1));
        assertThat(b.ended(T0.plusSeconds(2))).isTrue();
    }

    @Test
    void endsAtOnceWhenEveryTaskEndedWithAFailure() {
        TaskBoard b = new TaskBoard(2, T0);
        b.onEvent(event("a", Phase.SUCCEEDED, 1));
        b.onEvent(event("b", Phase.FAILED, 1));
        assertThat(b.ended(T0.plusSeconds(1))).isTrue();
    }

    @Test
    void afterAFailureWithNothingRunningItWaitsTheSettleTimeForRetries() {
        TaskBoard b = new TaskBoard(3, T0);
        b.onEvent(event("a", Phase.FAILED, 1));
        Instant quietSince = T0.plusSeconds(1);
        assertThat(b.ended(quietSince.plus(TaskBoard.SETTLE).minusMillis(1))).as("a retry may still come").isFalse();
        assertThat(b.ended(quietSince.plus(TaskBoard.SETTLE))).isTrue();
    }

    @Test
    void aRetryThatRunsKeepsItGoing() {
        TaskBoard b = new TaskBoard(1, T0);
        b.onEvent(event("a", Phase.FAILED, 1));
        b.onEvent(event("a-retry", Phase.RUNNING, 5));
        assertThat(b.ended(T0.plusSeconds(60))).isFalse();
        b.onEvent(event("a-retry", Phase.SUCCEEDED, 6));
        assertThat(b.ended(T0.plusSeconds(6))).isTrue();
        assertThat(b.progress()).isEqualTo("1/1 succeeded, 0 running, 1 failed");
    }

    @Test
    void aLateEventDoesNotReviveAnEndedTask() {
        TaskBoard b = new TaskBoard(1, T0);
        b.onEvent(event("a", Phase.SUCCEEDED, 2));
        b.onEvent(event("a", Phase.RUNNING, 3));
        assertThat(b.progress()).isEqualTo("1/1 succeeded, 0 running, 0 failed");
    }

    @Test
    void theTableShowsTimesSinceTheSubmitCallAndDashesForUnseenPhases() {
        TaskBoard b = new TaskBoard(2, T0);
        b.onEvent(event("t1", Phase.CREATED, 0.25));
        b.onEvent(event("t1", Phase.SCHEDULED, 0.5));
        b.onEvent(event("t1", Phase.RUNNING, 1.0));
        b.onEvent(event("t1", Phase.FAILED, 3.125));
        b.onEvent(event("t2", Phase.SUCCEEDED, 2));
        assertThat(b.table(T0)).containsExactly(
                "task  node    created  scheduled    running       done  phase      detail",
                "t1    n1      0.250 s    0.500 s    1.000 s    3.125 s  failed     exit 3",
                "t2    n1            -          -          -    2.000 s  succeeded");
    }

    @Test
    void nodesAreShownByNameWhereTheClusterGivesOne() {
        TaskBoard b = new TaskBoard(1, T0);
        b.onEvent(event("t1", Phase.SUCCEEDED, 1));
        assertThat(b.table(T0, Map.of("n1", "co-gpu")).get(1)).startsWith("t1    co-gpu");
    }
}
