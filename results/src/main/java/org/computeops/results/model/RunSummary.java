package org.computeops.results.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code summary.json}: one run, possibly several orchestrators compared on the same scenarios. */
public record RunSummary(String runId, Instant startedAt, Instant updatedAt, List<OrchestratorResults> orchestrators) {

    public RunSummary {
        orchestrators = List.copyOf(orchestrators);
    }

    public Optional<OrchestratorResults> orchestrator(String name) {
        return orchestrators.stream().filter(o -> o.name().equals(name)).findFirst();
    }

    public RunSummary with(OrchestratorResults cluster, ScenarioResult result) {
        List<OrchestratorResults> merged = new ArrayList<>();
        boolean found = false;
        for (OrchestratorResults o : orchestrators) {
            if (o.name().equals(cluster.name())) {
                merged.add(new OrchestratorResults(cluster.name(), cluster.version(), cluster.endpoint(),
                        cluster.nodeCount(), cluster.nodes(), o.scenarios()).with(result));
                found = true;
            } else {
                merged.add(o);
            }
        }
        if (!found) merged.add(cluster.with(result));
        return new RunSummary(runId, startedAt, Instant.now(), merged);
    }
}
