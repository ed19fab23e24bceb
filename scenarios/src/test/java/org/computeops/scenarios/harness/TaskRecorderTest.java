package org.computeops.scenarios.harness;

import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.orchestrators.spi.TaskEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** When a batch that is short of its completions counts as stopped: every task ended, nothing arriving. */
class TaskRecorderTest {

    private final Deployment job = new Deployment("d1", "r1", new BatchJob("burst", "img", List.of("true"), 3, 3, Resources.NONE,
            Placement.ANY), Instant.now(), Instant.now());

    private void event(TaskRecorder recorder, String task, Phase phase) {
        recorder.onEvent(new TaskEvent("d1", task, null, phase, Instant.now(), null, null));
    }

    @Test
    void endedAndQuietOnlyWhenEveryTaskEndedAndNothingCameForTheQuietTime() {
        TaskRecorder recorder = new TaskRecorder("swarm", "latency", 1, job, n -> null);
        Duration quiet = Duration.ofSeconds(120);
        assertThat(recorder.endedAndQuiet(quiet, Instant.now().plusSeconds(600))).as("no task seen yet").isFalse();
        event(recorder, "a", Phase.RUNNING);
        event(recorder, "a", Phase.SUCCEEDED);
        event(recorder, "b", Phase.RUNNING);
        assertThat(recorder.endedAndQuiet(quiet, Instant.now().plusSeconds(600))).as("b still runs").isFalse();
        event(recorder, "b", Phase.LOST);
        assertThat(recorder.endedAndQuiet(quiet, Instant.now().plusSeconds(60))).as("within the quiet time").isFalse();
        assertThat(recorder.endedAndQuiet(quiet, Instant.now().plusSeconds(121))).isTrue();
        event(recorder, "c", Phase.CREATED);
        assertThat(recorder.endedAndQuiet(quiet, Instant.now().plusSeconds(600))).as("a replacement waits").isFalse();
    }
}
