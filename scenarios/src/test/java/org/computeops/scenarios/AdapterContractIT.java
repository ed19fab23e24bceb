package org.computeops.scenarios;

import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.ClusterInfo;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Orchestrator;
import org.computeops.orchestrators.spi.Orchestrators;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.orchestrators.spi.Service;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.computeops.scenarios.harness.OrchestratorExtension;
import org.computeops.scenarios.harness.OrchestratorSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** What every adapter must do on a live testbed, whatever the orchestrator: clear errors, run ids, cleanup. */
@ExtendWith(OrchestratorExtension.class)
class AdapterContractIT {

    @Test
    void describesItsNodes(OrchestratorSession session) {
        ClusterInfo cluster = session.orchestrator().describe();
        assertThat(cluster.version()).isNotBlank();
        assertThat(cluster.nodes()).isNotEmpty().allSatisfy(n -> assertThat(n.cpuMillis()).isPositive());
        assertThat(cluster.readyNodes()).isPositive();
    }

    @Test
    void unknownImageIsRefusedBeforeAnythingIsCreated(OrchestratorSession session) {
        BatchJob job = new BatchJob("noimage", "computeops/does-not-exist:0", List.of("true"), 1, 1, Resources.NONE, Placement.ANY);
        assertThatThrownBy(() -> session.orchestrator().submit(job))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("computeops/does-not-exist:0").hasMessageContaining("noimage");
    }

    @Test
    void moreGpusPerTaskThanAnyNodeHasIsRefused(OrchestratorSession session) {
        int largest = session.orchestrator().describe().nodes().stream().mapToInt(NodeInfo::gpus).max().orElse(0);
        BatchJob job = new BatchJob("toomanygpus", Images.BATCH, List.of("true"), 1, 1, Resources.gpus(largest + 1), Placement.ANY);
        assertThatThrownBy(() -> session.orchestrator().submit(job))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("toomanygpus").hasMessageContaining("GPU");
    }

    @Test
    void leftoversOfACrashedRunAreRemovedAndOwnObjectsAreNot(OrchestratorSession session) throws InterruptedException {
        if (!session.orchestrator().capabilities().contains(Capability.SERVICE)) {
            // batch-only (Slurm): a service is refused in one line; BatchLeftoversIT checks leftovers with a batch job
            assertThatThrownBy(() -> session.orchestrator().submit(
                    new Service("orphan", Images.SERVICE, List.of(), 1, 8080, Resources.NONE, Placement.REAL_NODES)))
                    .isInstanceOf(AdapterException.class).hasMessageContaining("service");
            return;
        }
        Map<String, String> settings = session.parameters().testbedSettings();
        // A run that "crashes": it creates a service and never closes (nor renews its lease, where there is one).
        Orchestrator crashed = Orchestrators.open(session.orchestrator().name(), new AdapterSettings("crashed-" + session.runId(),
                LeftoverSettings.crashed(settings)));
        crashed.submit(new Service("orphan", Images.SERVICE, List.of(), 1, 8080, Resources.NONE, Placement.REAL_NODES));
        try (Orchestrator next = Orchestrators.open(session.orchestrator().name(), new AdapterSettings("next-" + session.runId(),
                LeftoverSettings.next(settings)))) {
            var own = next.submit(new Service("mine", Images.SERVICE, List.of(), 0, 8080, Resources.NONE, Placement.REAL_NODES));
            LeftoverSettings.awaitCrashedLeaseExpiry();
            assertThat(next.removeLeftovers()).isGreaterThanOrEqualTo(1);
            // the crashed run's objects are gone: removing them again finds nothing of another run
            await().untilAsserted(() -> assertThat(next.removeLeftovers()).isZero());
            next.remove(own);
        }
    }

    @Test
    void badParameterNamesTheParameter() {
        assertThatThrownBy(() -> new BatchJob("x", Images.BATCH, List.of(), 0, 1, Resources.NONE, Placement.ANY))
                .hasMessageContaining("completions must be > 0");
    }
}
