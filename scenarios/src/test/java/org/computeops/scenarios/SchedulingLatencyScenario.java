package org.computeops.scenarios;

// tag::example[]
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.results.measurements.Latency;
import org.computeops.results.model.Phase;
import org.computeops.scenarios.harness.OrchestratorExtension;
import org.computeops.scenarios.harness.OrchestratorSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * N tasks submitted at once: per task, each stage from the submit call to created, scheduled and
 * running, and end to end.
 */
@ExtendWith(OrchestratorExtension.class)
class SchedulingLatencyScenario {

    @Test
    @DisplayName("Scheduling latency: submit to created, created to scheduled, scheduled to running, per task")
    void schedulingLatency(OrchestratorSession session) {
        session.execute("scheduling-latency", EnumSet.of(Capability.BATCH), scenario -> {
            scenario.expectOnePlacementPerTask();
            int tasks = scenario.parameters().positiveInt("scenario.latency.tasks", 50);
            String image = scenario.parameters().string("scenario.batch.image", Images.BATCH);
            int seconds = scenario.parameters().positiveInt("scenario.latency.taskSeconds", 5);
            Placement placement = scenario.parameters().enumValue("scenario.latency.placement", Placement.REAL_NODES);
            // figures computed from the task rows when the scenario ends, also when it fails
            scenario.measure(new Latency(Phase.CREATED));
            scenario.measure(Latency.stage(Phase.CREATED, Phase.SCHEDULED));
            scenario.measure(Latency.stage(Phase.SCHEDULED, Phase.RUNNING));
            scenario.measure(new Latency(Phase.RUNNING));

            Deployment job = scenario.submit(new BatchJob("latency", image, List.of("sh", "-c", "sleep " + seconds),
                    tasks, tasks, Resources.NONE, placement));
            scenario.awaitCompletion(job, scenario.parameters().seconds("scenario.timeout.s", 900));

            assertThat(scenario.tasks()).filteredOn(t -> t.reached(Phase.SUCCEEDED)).hasSize(tasks);
        });
    }
}
// end::example[]
