package org.computeops.scenarios;

import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.results.GpuPlacement;
import org.computeops.results.Measurements;
import org.computeops.results.Metric;
import org.computeops.results.Recompute;
import org.computeops.results.SvgCharts;
import org.computeops.results.TaskRecord;
import org.computeops.scenarios.harness.Testbed;
import org.computeops.scenarios.harness.TestbedExtension;
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
 * where enough GPUs are free, more GPU tasks than GPUs must wait (not fail, not overcommit) and
 * start as GPUs free up, and a task asking for 2 GPUs must not be split across nodes.
 */
@ExtendWith(TestbedExtension.class)
class GpuPlacementScenario {

    @Test
    @DisplayName("GPU placement: only on GPU nodes, never overcommitted, surplus waits")
    void gpuPlacement(Testbed testbed) {
        testbed.run("gpu-placement", EnumSet.of(Capability.BATCH, Capability.GPU), run -> {
            Map<String, Integer> gpusByNode = new HashMap<>();
            testbed.cluster().nodes().stream().filter(NodeInfo::ready).forEach(n -> gpusByNode.put(n.name(), n.gpus()));
            int totalGpus = gpusByNode.values().stream().mapToInt(Integer::intValue).sum();
            int largestGpuNode = gpusByNode.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            int surplus = run.parameters().intAtLeast("scenario.gpu.surplusTasks", 2, 0);
            int cpuTasks = run.parameters().positiveInt("scenario.gpu.cpuTasks", 6);
            int seconds = run.parameters().positiveInt("scenario.gpu.taskSeconds", 5);
            String image = run.parameters().string("scenario.batch.image", Images.BATCH);
            run.parameter("cluster GPUs", totalGpus);
            run.parameter("largest GPU node", largestGpuNode);

            run.figures(tasks -> GpuPlacement.metrics(tasks, gpusByNode));
            run.latencies(Recompute.GPU_TASKS, t -> t.gpus() > 0, Phase.RUNNING);
            run.latencies(Recompute.CPU_TASKS, t -> t.gpus() == 0, Phase.RUNNING);
            run.charts(tasks -> Map.of("GPU tasks per node", SvgCharts.bars("GPU tasks per node", GpuPlacement.tasksPerNode(tasks), "tasks")));

            List<String> sleep = List.of("sh", "-c", "sleep " + seconds);
            int oneGpuTasks = totalGpus + surplus;
            Deployment oneGpu = run.submit(new BatchJob("gpu1", image, sleep, oneGpuTasks, oneGpuTasks, Resources.gpus(1), Placement.ANY));
            Deployment twoGpu = largestGpuNode >= 2
                    ? run.submit(new BatchJob("gpu2", image, sleep, 1, 1, Resources.gpus(2), Placement.ANY)) : null;
            Deployment cpu = run.submit(new BatchJob("cpu", image, sleep, cpuTasks, cpuTasks, Resources.NONE, Placement.ANY));

            var timeout = run.parameters().seconds("scenario.timeout.s", 900);
            run.awaitCompletion(oneGpu, timeout);
            if (twoGpu != null) run.awaitCompletion(twoGpu, timeout);
            run.awaitCompletion(cpu, timeout);

            List<TaskRecord> tasks = run.tasks();
            List<Metric> placement = GpuPlacement.metrics(tasks, gpusByNode);
            assertThat(placement.get(0).value()).as("gpu_misplaced").isZero();
            assertThat(placement.get(1).value()).as("gpu_overcommit").isZero();
            assertThat(Measurements.errorRate(placement.get(1))).as("share of GPU tasks whose hold could not be checked for overcommit")
                    .isLessThanOrEqualTo(run.parameters().fraction("testbed.maxErrorRate", 0.10));
            assertThat(tasks).filteredOn(t -> t.gpus() > 0 && t.reached(Phase.FAILED)).as("GPU tasks that failed instead of waiting").isEmpty();
            assertThat(tasks).filteredOn(t -> t.gpus() == 2)
                    .allSatisfy(t -> assertThat(gpusByNode.get(t.node())).as("node of the 2-GPU task").isGreaterThanOrEqualTo(2));
            if (surplus > 0) {
                assertThat(placement.get(2).value()).as("GPUs held at once on one node").isLessThanOrEqualTo(largestGpuNode);
            }
        });
    }
}
