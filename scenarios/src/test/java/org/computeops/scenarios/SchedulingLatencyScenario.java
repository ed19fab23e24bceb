package org.computeops.scenarios;

import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.scenarios.harness.Testbed;
import org.computeops.scenarios.harness.TestbedExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * N batch tasks submitted at once (parallelism = N): how long from submit until each task is
 * bound to a node, and until it runs.
 */
@ExtendWith(TestbedExtension.class)
class SchedulingLatencyScenario {

    @Test
    @DisplayName("Scheduling latency: submit to scheduled and to running, per task")
    void schedulingLatency(Testbed testbed) {
        testbed.run("scheduling-latency", EnumSet.of(Capability.BATCH), run -> {
            int tasks = run.parameters().positiveInt("scenario.latency.tasks", 100);
            String image = run.parameters().string("scenario.batch.image", Images.BATCH);
            int seconds = run.parameters().positiveInt("scenario.latency.taskSeconds", 2);
            Placement placement = Placement.valueOf(run.parameters().string("scenario.latency.placement", "ANY"));
            run.latencies(Phase.SCHEDULED, Phase.RUNNING);

            Deployment job = run.submit(new BatchJob("latency", image, List.of("sh", "-c", "sleep " + seconds),
                    tasks, tasks, Resources.NONE, placement));
            run.awaitCompletion(job, run.parameters().seconds("scenario.timeout.s", 900));

            assertThat(run.tasks()).filteredOn(t -> t.reached(Phase.SUCCEEDED)).hasSize(tasks);
        });
    }
}
