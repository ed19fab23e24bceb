package org.computeops.scenarios;

import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.results.measurements.Latency;
import org.computeops.results.measurements.Throughput;
import org.computeops.results.model.Phase;
import org.computeops.scenarios.harness.OrchestratorExtension;
import org.computeops.scenarios.harness.OrchestratorSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A burst of M short tasks: how many complete per second, overall and in the busiest second. */
@ExtendWith(OrchestratorExtension.class)
class BatchThroughputScenario {

    @Test
    @DisplayName("Batch throughput: a burst of short tasks, completed per second")
    void batchThroughput(OrchestratorSession session) {
        session.execute("batch-throughput", EnumSet.of(Capability.BATCH), scenario -> {
            scenario.expectOnePlacementPerTask();
            int tasks = scenario.parameters().positiveInt("scenario.throughput.tasks", 50);
            int parallelism = scenario.parameters().positiveInt("scenario.throughput.parallelism", tasks);
            String image = scenario.parameters().string("scenario.batch.image", Images.BATCH);
            Placement placement = scenario.parameters().enumValue("scenario.throughput.placement", Placement.REAL_NODES);
            scenario.measure(new Throughput(Phase.SUCCEEDED));
            scenario.measure(new Latency(Phase.SUCCEEDED));

            Deployment job = scenario.submit(new BatchJob("burst", image, List.of("sh", "-c", "true"),
                    tasks, parallelism, Resources.NONE, placement));
            scenario.awaitCompletion(job, scenario.parameters().seconds("scenario.timeout.s", 900));

            assertThat(scenario.tasks()).filteredOn(t -> t.reached(Phase.SUCCEEDED)).hasSize(tasks);
        });
    }
}
