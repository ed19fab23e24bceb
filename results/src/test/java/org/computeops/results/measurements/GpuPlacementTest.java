package org.computeops.results.measurements;

import org.computeops.results.model.Figure;
import org.computeops.results.model.Phase;
import org.computeops.results.model.PhaseTimes;
import org.computeops.results.model.TaskRecord;
import org.junit.jupiter.api.Test;

import static org.computeops.results.Fixtures.T0;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GpuPlacementTest {

    private static TaskRecord gpuTask(String id, String node, int gpus, long startMs, Long endMs) {
        Map<Phase, PhaseTimes> phases = new EnumMap<>(Phase.class);
        phases.put(Phase.SCHEDULED, new PhaseTimes(T0.plusMillis(startMs), T0.plusMillis(startMs + 3)));
        if (endMs != null) phases.put(Phase.SUCCEEDED, new PhaseTimes(T0.plusMillis(endMs), null));
        return new TaskRecord("swarm", "gpu", "d", "w", id, node, false, gpus, T0, T0, phases, null);
    }

    private static double value(List<Figure> figures, String name) {
        return figures.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow().value();
    }

    @Test
    void sequentialUseOfTwoGpusIsNeitherMisplacedNorOvercommitted() {
        List<TaskRecord> tasks = List.of(
                gpuTask("a", "gpu-node", 1, 0, 1000L), gpuTask("b", "gpu-node", 1, 0, 1000L),
                gpuTask("surplus", "gpu-node", 1, 1000, 2000L), // starts when a and b release
                gpuTask("two", "gpu-node", 2, 2000, 3000L));
        List<Figure> m = GpuPlacement.figures(tasks, Map.of("gpu-node", 2, "cpu-node", 0));
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
        List<Figure> m = GpuPlacement.figures(tasks, Map.of("gpu-node", 2, "cpu-node", 0, "one-gpu-node", 1));
        assertThat(value(m, GpuPlacement.MISPLACED)).isEqualTo(2);
        assertThat(value(m, GpuPlacement.OVERCOMMIT)).isEqualTo(3); // c, d and split each exceed their node
        assertThat(GpuPlacement.tasksPerNode(tasks)).containsEntry("gpu-node", 3.0);
        GpuPlacement measurement = new GpuPlacement(Map.of("gpu-node", 2, "cpu-node", 0, "one-gpu-node", 1));
        assertThat(measurement.violations(m)).containsExactly("gpu_misplaced = 2 of 5 GPU tasks (must be 0)",
                "gpu_overcommit = 3 of 5 GPU tasks (must be 0)");
        assertThat(MeasurementKinds.rebuild("GpuPlacement", measurement.inputs())).isEqualTo(measurement);
    }

    @Test
    void holdsWithoutLengthAreErrorsNotPasses() {
        List<TaskRecord> tasks = List.of(gpuTask("instant", "gpu-node", 1, 100, 100L), gpuTask("ok", "gpu-node", 1, 0, 50L));
        Figure overcommit = GpuPlacement.figures(tasks, Map.of("gpu-node", 1)).get(1);
        assertThat(overcommit.value()).isZero();
        assertThat(overcommit.n()).isEqualTo(1);
        assertThat(overcommit.errors()).isEqualTo(1);
    }
}
