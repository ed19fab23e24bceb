package org.computeops.results.model;

import java.util.ArrayList;
import java.util.List;

/** What one orchestrator looked like during the run, and its scenarios. */
public record OrchestratorResults(String name, String version, String endpoint, int nodeCount, List<Node> nodes,
                                  List<ScenarioResult> scenarios) {

    public OrchestratorResults {
        nodes = List.copyOf(nodes);
        scenarios = List.copyOf(scenarios);
    }

    public OrchestratorResults with(ScenarioResult result) {
        List<ScenarioResult> merged = new ArrayList<>(scenarios);
        merged.removeIf(s -> s.scenario().equals(result.scenario()));
        merged.add(result);
        return new OrchestratorResults(name, version, endpoint, nodeCount, nodes, merged);
    }
}
