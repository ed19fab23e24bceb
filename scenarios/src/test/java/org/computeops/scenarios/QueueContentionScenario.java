package org.computeops.scenarios;

import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Priority;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.results.measurements.QueueWait;
import org.computeops.results.model.Phase;
import org.computeops.scenarios.harness.OrchestratorExtension;
import org.computeops.scenarios.harness.OrchestratorSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A queue under contention: more one-GPU tasks than GPUs in two priority classes. The low class is
 * submitted first and fills every GPU with tasks left waiting; then the high class. Per class, the
 * wait from submit to running, and how many high tasks overtook low ones submitted earlier (a
 * scheduler that honours priority starts every high task before the waiting low ones).
 */
@ExtendWith(OrchestratorExtension.class)
class QueueContentionScenario {

    @Test
    @DisplayName("Queue under contention: two priority classes wait for the GPUs; does the high class overtake?")
    void queueContention(OrchestratorSession session) {
        session.execute("queue-contention", EnumSet.of(Capability.BATCH, Capability.GPU, Capability.PRIORITY_CLASSES), scenario -> {
            Placement where = scenario.parameters().enumValue("scenario.queue.placement", Placement.REAL_NODES);
            // only the GPUs of the tier the tasks may use: a real-node figure never counts a simulated node's GPUs
            int gpus = session.cluster().nodes().stream().filter(NodeInfo::ready).filter(where::admits).mapToInt(NodeInfo::gpus).sum();
            int perClass = scenario.parameters().positiveInt("scenario.queue.tasksPerClass", 2 * gpus);
            int seconds = scenario.parameters().positiveInt("scenario.queue.taskSeconds", 5);
            String image = scenario.parameters().string("scenario.batch.image", Images.BATCH);
            Duration timeout = scenario.parameters().seconds("scenario.timeout.s", 900);
            scenario.parameter("cluster GPUs", gpus);
            scenario.parameter("classes", "low (submitted first), high (submitted once the low tasks hold every GPU)");
            scenario.measure(new QueueWait("low", "high"));

            List<String> sleep = List.of("sh", "-c", "sleep " + seconds);
            Deployment low = scenario.submit(new BatchJob("low", image, sleep, perClass, perClass, Resources.gpus(1), where, Priority.LOW));
            // The low class holds the GPUs (the rest of it waits) before the high class arrives.
            int holding = Math.min(gpus, perClass);
            scenario.awaitQuietly("low", timeout, () -> scenario.tasks().stream()
                    .filter(t -> t.workload().equals("low") && t.reached(Phase.RUNNING)).count() >= holding, () -> "low tasks holding the GPUs");
            Deployment high = scenario.submit(new BatchJob("high", image, sleep, perClass, perClass, Resources.gpus(1), where, Priority.HIGH));
            scenario.awaitCompletion(low, timeout);
            scenario.awaitCompletion(high, timeout);

            assertThat(scenario.tasks()).filteredOn(t -> t.reached(Phase.SUCCEEDED)).hasSize(2 * perClass);
        });
    }
}
