package org.computeops.results;

import org.computeops.orchestrators.spi.Phase;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GpuPlacementTest {

    private static TaskRecord gpuTask(String id, String node, int gpus, long startMs, Long endMs) {
        Map<Phase, PhaseTimes> phases = new EnumMap<>(Phase.class);
        phases.put(Phase.SCHEDULED, new PhaseTimes(MeasurementsTest.T0.plusMillis(startMs), MeasurementsTest.T0.plusMillis(startMs + 3)));
        if (endMs != null) phases.put(Phase.SUCCEEDED, new PhaseTimes(MeasurementsTest.T0.plusMillis(endMs), null));
        return new TaskRecord("swarm", "gpu", "d", "w", id, node, false, gpus, MeasurementsTest.T0, MeasurementsTest.T0, phases, null);
    }

    private static double value(List<Metric> metrics, String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow().value();
    }

    @Test
    void sequentialUseOfTwoGpusIsNeitherMisplacedNorOvercommitted() {
        List<TaskRecord> tasks = List.of(
                gpuTask("a", "gpu-node", 1, 0, 1000L), gpuTask("b", "gpu-node", 1, 0, 1000L),
                gpuTask("surplus", "gpu-node", 1, 1000, 2000L), // starts when a and b release
                gpuTask("two", "gpu-node", 2, 2000, 3000L));
        List<Metric> m = GpuPlacement.metrics(tasks, Map.of("gpu-node", 2, "cpu-node", 0));
        assertThat(value(m, GpuPlacement.MISPLACED)).isZero();
        assertThat(value(m, GpuPlacement.OVERCOMMIT)).isZero();
        assertThat(value(m, GpuPlacement.PEAK_IN_USE)).isEqualTo(2);
        assertThat(m.get(0).n()).isEqualTo(4);
    }

    @Test
    void aThirdConcurrentTaskOnATwoGpuNodeIsOvercommitAndAGpuTaskOnACpuNodeIsMisplaced() {
        List<TaskRecord> tasks = List.of(
                gpuTask("a", "gpu-node", 1, 0, null), gpuTask("b", "gpu-node", 1, 10, null),
                gpuTask("c", "gpu-node", 1, 20, 30L), gpuTask("d", "cpu-node", 1, 0, 5L),
                gpuTask("split", "one-gpu-node", 2, 0, 5L));
        List<Metric> m = GpuPlacement.metrics(tasks, Map.of("gpu-node", 2, "cpu-node", 0, "one-gpu-node", 1));
        assertThat(value(m, GpuPlacement.MISPLACED)).isEqualTo(2);
        assertThat(value(m, GpuPlacement.OVERCOMMIT)).isEqualTo(3); // c, d and split each exceed their node
        assertThat(GpuPlacement.tasksPerNode(tasks)).containsEntry("gpu-node", 3.0);
    }

    @Test
    void holdsWithoutLengthAreErrorsNotPasses() {
        List<TaskRecord> tasks = List.of(gpuTask("instant", "gpu-node", 1, 100, 100L), gpuTask("ok", "gpu-node", 1, 0, 50L));
        Metric overcommit = GpuPlacement.metrics(tasks, Map.of("gpu-node", 1)).get(1);
        assertThat(overcommit.value()).isZero();
        assertThat(overcommit.n()).isEqualTo(1);
        assertThat(overcommit.errors()).isEqualTo(1);
    }
}
