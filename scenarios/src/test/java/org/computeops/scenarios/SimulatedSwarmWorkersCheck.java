package org.computeops.scenarios;

import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.results.model.Phase;
import org.computeops.scenarios.harness.OrchestratorExtension;
import org.computeops.scenarios.harness.OrchestratorSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Simulated SwarmKit workers (infra/swarm/sim) joined to the real Swarm manager take tasks through
 * the real dispatcher: a batch placed on simulated nodes completes there and only there. Run by
 * infra/testbed test after `infra/swarm/sim.sh up 10` (not by the *Scenario/*IT pattern: it needs them).
 */
@ExtendWith(OrchestratorExtension.class)
class SimulatedSwarmWorkersCheck {

    @Test
    @DisplayName("Simulated Swarm workers: joined, ready, and run a batch through the real dispatcher")
    void simulatedWorkersRunABatch(OrchestratorSession session) {
        session.execute("simulated-swarm-workers", EnumSet.of(Capability.BATCH, Capability.SIMULATED_NODES), scenario -> {
            int expected = scenario.parameters().positiveInt("scenario.simulated.nodes", 10);
            List<NodeInfo> simulated = session.orchestrator().describe().nodes().stream().filter(NodeInfo::simulated).toList();
            assertThat(simulated).as("simulated workers on the manager").hasSizeGreaterThanOrEqualTo(expected)
                    .allSatisfy(n -> assertThat(n.ready()).as("%s ready", n.name()).isTrue());
            Set<String> simulatedNames = simulated.stream().map(NodeInfo::name).collect(Collectors.toSet());
            int tasks = 2 * expected;
            Deployment job = scenario.submit(new BatchJob("sim", scenario.parameters().string("scenario.batch.image", Images.BATCH),
                    List.of("sh", "-c", "true"), tasks, tasks, Resources.NONE, Placement.SIMULATED_NODES));
            scenario.awaitCompletion(job, scenario.parameters().seconds("scenario.timeout.s", 300));
            assertThat(scenario.tasks()).filteredOn(t -> t.reached(Phase.SUCCEEDED)).hasSize(tasks)
                    .allSatisfy(t -> assertThat(simulatedNames).as("node of task %s", t.taskId()).contains(t.node()));
        });
    }
}
