package org.computeops.scenarios;

import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.results.measurements.GpuPlacement;
import org.computeops.results.measurements.Latency;
import org.computeops.results.model.Phase;
import org.computeops.results.model.TaskRecord;
import org.computeops.scenarios.harness.OrchestratorExtension;
import org.computeops.scenarios.harness.OrchestratorSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GPU and CPU tasks on a cluster where only some nodes advertise GPUs: GPU tasks must land only
 * where enough GPUs are free (the measurement's threshold: misplaced and overcommitted must be 0),
 * more GPU tasks than GPUs must wait (not fail) and start as GPUs free up, and a task asking for
 * 2 GPUs must not be split across nodes.
 */
@ExtendWith(OrchestratorExtension.class)
class GpuPlacementScenario {

    @Test
    @DisplayName("GPU placement: only on GPU nodes, never overcommitted, surplus waits")
    void gpuPlacement(OrchestratorSession session) {
        session.execute("gpu-placement", EnumSet.of(Capability.BATCH, Capability.GPU), scenario -> {
            Placement where = scenario.parameters().enumValue("scenario.gpu.placement", Placement.REAL_NODES);
            // only the GPUs of the tier the tasks may use: a real-node figure never counts a simulated node's GPUs
            Map<String, Integer> gpusByNode = new HashMap<>();
            session.cluster().nodes().stream().filter(NodeInfo::ready).filter(where::admits).forEach(n -> gpusByNode.put(n.name(), n.gpus()));
            int totalGpus = gpusByNode.values().stream().mapToInt(Integer::intValue).sum();
            int largestGpuNode = gpusByNode.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            int surplus = scenario.parameters().intAtLeast("scenario.gpu.surplusTasks", 2, 0);
            int cpuTasks = scenario.parameters().positiveInt("scenario.gpu.cpuTasks", 6);
            int seconds = scenario.parameters().positiveInt("scenario.gpu.taskSeconds", 5);
            String image = scenario.parameters().string("scenario.batch.image", Images.BATCH);
            scenario.parameter("cluster GPUs", totalGpus);
            scenario.parameter("largest GPU node", largestGpuNode);

            GpuPlacement placement = new GpuPlacement(gpusByNode);
            scenario.measure(placement);
            scenario.measure(new Latency(Phase.RUNNING, Latency.Tasks.GPU));
            scenario.measure(new Latency(Phase.RUNNING, Latency.Tasks.CPU));

            List<String> sleep = List.of("sh", "-c", "sleep " + seconds);
            int oneGpuTasks = totalGpus + surplus;
            Deployment oneGpu = scenario.submit(new BatchJob("gpu1", image, sleep, oneGpuTasks, oneGpuTasks, Resources.gpus(1), where));
            Deployment twoGpu = largestGpuNode >= 2
                    ? scenario.submit(new BatchJob("gpu2", image, sleep, 1, 1, Resources.gpus(2), where)) : null;
            Deployment cpu = scenario.submit(new BatchJob("cpu", image, sleep, cpuTasks, cpuTasks, Resources.NONE, where));

            var timeout = scenario.parameters().seconds("scenario.timeout.s", 900);
            scenario.awaitCompletion(oneGpu, timeout);
            if (twoGpu != null) scenario.awaitCompletion(twoGpu, timeout);
            scenario.awaitCompletion(cpu, timeout);

            List<TaskRecord> tasks = scenario.tasks();
            assertThat(scenario.figureNow(placement, GpuPlacement.OVERCOMMIT).errorRate())
                    .as("share of GPU tasks whose hold could not be checked for overcommit")
                    .isLessThanOrEqualTo(scenario.parameters().fraction("testbed.maxErrorRate", 0.10));
            assertThat(tasks).filteredOn(t -> t.gpus() > 0 && t.reached(Phase.FAILED)).as("GPU tasks that failed instead of waiting").isEmpty();
            assertThat(tasks).filteredOn(t -> t.gpus() == 2)
                    .allSatisfy(t -> assertThat(gpusByNode.get(t.node())).as("node of the 2-GPU task").isGreaterThanOrEqualTo(2));
            if (surplus > 0) {
                assertThat(scenario.figureNow(placement, GpuPlacement.PEAK_IN_USE).value()).as("GPUs held at once on one node")
                        .isLessThanOrEqualTo(largestGpuNode);
            }
        });
    }
}
