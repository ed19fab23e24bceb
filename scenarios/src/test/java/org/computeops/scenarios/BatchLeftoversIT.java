package org.computeops.scenarios;

import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Orchestrator;
import org.computeops.orchestrators.spi.Orchestrators;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.TaskEvent;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.computeops.scenarios.harness.OrchestratorSession;
import org.computeops.scenarios.harness.OrchestratorExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The leftovers contract of {@link AdapterContractIT} with a batch job instead of a service, so it
 * also holds for batch-only orchestrators (Slurm): a crashed run's unfinished job is removed by the
 * next run, the next run's own job is not.
 */
@ExtendWith(OrchestratorExtension.class)
class BatchLeftoversIT {

    @Test
    void unfinishedBatchOfACrashedRunIsRemovedAndOwnJobIsNot(OrchestratorSession session) throws Exception {
        Map<String, String> settings = session.parameters().testbedSettings();
        // on real nodes: a simulated (KWOK) node would end the sleep by itself
        List<String> longSleep = List.of("sh", "-c", "sleep 600");
        Orchestrator crashed = Orchestrators.open(session.orchestrator().name(), new AdapterSettings("crashedb-" + session.runId(),
                LeftoverSettings.crashed(settings)));
        crashed.submit(new BatchJob("orphan", Images.BATCH, longSleep, 1, 1, Resources.NONE, Placement.REAL_NODES));
        try (Orchestrator next = Orchestrators.open(session.orchestrator().name(), new AdapterSettings("nextb-" + session.runId(),
                LeftoverSettings.next(settings)))) {
            var own = next.submit(new BatchJob("mine", Images.BATCH, longSleep, 1, 1, Resources.NONE, Placement.REAL_NODES));
            List<TaskEvent> ownEvents = new CopyOnWriteArrayList<>();
            try (AutoCloseable watch = next.events(own, ownEvents::add)) {
                await().atMost(Duration.ofMinutes(2)).until(() -> ownEvents.stream().anyMatch(e -> e.phase() == Phase.RUNNING));
                LeftoverSettings.awaitCrashedLeaseExpiry();
                assertThat(next.removeLeftovers()).isGreaterThanOrEqualTo(1);
                await().untilAsserted(() -> assertThat(next.removeLeftovers()).isZero());
                Thread.sleep(1000); // a few polls: a wrongly cancelled own job would show as ended
                assertThat(ownEvents).as("the next run's own job, after removing leftovers").noneMatch(e -> e.phase().terminal());
            }
            next.remove(own);
        }
    }
}
