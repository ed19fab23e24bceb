package org.computeops.scenarios;

import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.results.Clock;
import org.computeops.results.Measurements;
import org.computeops.scenarios.harness.Testbed;
import org.computeops.scenarios.harness.TestbedExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A burst of M short tasks: how many complete per second, overall and in the busiest second. */
@ExtendWith(TestbedExtension.class)
class BatchThroughputScenario {

    @Test
    @DisplayName("Batch throughput: a burst of short tasks, completed per second")
    void batchThroughput(Testbed testbed) {
        testbed.run("batch-throughput", EnumSet.of(Capability.BATCH), run -> {
            int tasks = run.parameters().positiveInt("scenario.throughput.tasks", 200);
            int parallelism = run.parameters().positiveInt("scenario.throughput.parallelism", tasks);
            String image = run.parameters().string("scenario.batch.image", Images.BATCH);
            Placement placement = Placement.valueOf(run.parameters().string("scenario.throughput.placement", "ANY"));
            run.figures(records -> Measurements.throughput(records, Phase.SUCCEEDED, Clock.SERVER, Duration.ofSeconds(1)));
            // Kubernetes reports completions in whole seconds: the client clock is the finer reading there.
            run.figures(records -> Measurements.throughput(records, Phase.SUCCEEDED, Clock.CLIENT, Duration.ofSeconds(1)));
            run.latencies(Phase.SUCCEEDED);

            Deployment job = run.submit(new BatchJob("burst", image, List.of("sh", "-c", "true"),
                    tasks, parallelism, Resources.NONE, placement));
            run.awaitCompletion(job, run.parameters().seconds("scenario.timeout.s", 900));

            assertThat(run.tasks()).filteredOn(t -> t.reached(Phase.SUCCEEDED)).hasSize(tasks);
        });
    }
}
