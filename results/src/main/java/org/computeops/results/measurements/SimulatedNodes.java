package org.computeops.results.measurements;

import org.computeops.results.model.Figure;
import org.computeops.results.model.TaskRecord;

import java.util.List;
import java.util.Map;

/**
 * {@code tasks_on_simulated_nodes}: tasks bound to nodes that start no container (KWOK, simulated
 * Swarm workers). Every scenario reports it, so a comparison can tell control-plane-only figures
 * from real ones.
 */
public record SimulatedNodes() implements Measurement {

    public static final String FIGURE = "tasks_on_simulated_nodes";

    public static SimulatedNodes fromInputs(Map<String, String> inputs) {
        return new SimulatedNodes();
    }

    @Override
    public Map<String, String> inputs() {
        return Map.of();
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        long simulated = evidence.tasks().stream().filter(TaskRecord::nodeSimulated).count();
        return List.of(Figure.value(FIGURE, "tasks", evidence.tasks().size(), simulated, "-",
                "tasks bound to simulated nodes (no container started): their start-up and run times show the control plane only"));
    }
}
