package org.computeops.scenarios;

import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Faults;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.orchestrators.spi.Service;
import org.computeops.results.Recovery;
import org.computeops.results.TaskRecord;
import org.computeops.scenarios.harness.Testbed;
import org.computeops.scenarios.harness.TestbedExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service of R replicas and a batch of jobs run while one worker node is stopped hard:
 * how long until R replicas run again on healthy nodes ({@code recovery_s}), and how many batch
 * tasks never complete ({@code tasks_lost}); each next to the timeouts that decide them.
 */
@ExtendWith(TestbedExtension.class)
class FailureRecoveryScenario {

    @Test
    @DisplayName("Failure recovery: a worker node dies under a service and a batch")
    void failureRecovery(Testbed testbed) {
        testbed.run("failure-recovery", EnumSet.of(Capability.SERVICE, Capability.BATCH, Capability.NODE_FAILURE), run -> {
            int replicas = run.parameters().positiveInt("scenario.recovery.replicas", 6);
            int batchTasks = run.parameters().positiveInt("scenario.recovery.batchTasks", 6);
            int batchSeconds = run.parameters().positiveInt("scenario.recovery.batchTaskSeconds", 20);
            Duration timeout = run.parameters().seconds("scenario.recovery.timeout.s", 600);
            Duration batchWait = run.parameters().seconds("scenario.recovery.batchWait.s", 120);
            Faults faults = testbed.orchestrator().faults();

            AtomicReference<Instant> faultAt = new AtomicReference<>();
            AtomicReference<String> victimName = new AtomicReference<>();
            // Written with the figures even when the run fails part-way: what was measured stays.
            run.figures(tasks -> faultAt.get() == null ? List.of()
                    : Recovery.metrics(tasks, "web", "work", victimName.get(), faultAt.get(), replicas, batchTasks));

            Deployment service = run.submit(new Service("web", run.parameters().string("scenario.service.image", Images.SERVICE),
                    List.of(), replicas, 8080, Resources.NONE, Placement.ANY));
            run.awaitRunning(service, replicas, null, timeout);
            // Read once the service runs: some settings are only visible on its tasks (admitted tolerations).
            faults.failureDetectionSettings().forEach(run::parameter);
            Deployment batch = run.submit(new BatchJob("work", run.parameters().string("scenario.batch.image", Images.BATCH),
                    List.of("sh", "-c", "sleep " + batchSeconds), batchTasks, batchTasks, Resources.NONE, Placement.ANY));
            // Simulated nodes finish batch tasks at once, so "started running" is the condition, not "runs now".
            run.awaitQuietly("work", timeout, () -> run.tasks().stream()
                    .filter(t -> t.workload().equals("work") && t.reached(Phase.RUNNING)).count() >= batchTasks, () -> "batch tasks started");

            // The stoppable node running the most replicas.
            Map<String, Long> replicasPerNode = run.running(service, null).stream()
                    .collect(Collectors.groupingBy(TaskRecord::node, Collectors.counting()));
            NodeInfo victim = testbed.cluster().nodes().stream()
                    .filter(faults::canStop).filter(n -> replicasPerNode.containsKey(n.name()))
                    .max(Comparator.comparing(n -> replicasPerNode.get(n.name())))
                    .orElseThrow(() -> new AssertionError("no stoppable node runs a replica: " + replicasPerNode));
            run.parameter("stopped node", victim.name() + " (" + replicasPerNode.get(victim.name()) + " replicas)");
            run.parameter(Recovery.FAULT_NODE, victim.name());
            run.parameter(Recovery.SERVICE, service.workload().name());
            run.parameter(Recovery.BATCH, batch.workload().name());

            victimName.set(victim.name());
            faultAt.set(Instant.now());
            run.parameter(Recovery.FAULT_AT, faultAt.get());
            faults.stopNode(victim.id());
            boolean recovered = false;
            try {
                recovered = run.awaitQuietly("web", timeout, () -> run.running(service, victim.name()).size() >= replicas,
                        () -> run.running(service, victim.name()).size() + "/" + replicas + " running off " + victim.name());
                run.awaitQuietly("work", batchWait, () -> run.tasks().stream().filter(t -> t.workload().equals("work")
                        && t.reached(Phase.SUCCEEDED)).count() >= batchTasks, () -> "batch tasks completing after the fault");
            } finally {
                faults.restoreNode(victim.id());
            }
            assertThat(recovered).as("all %d replicas running again off %s", replicas, victim.name()).isTrue();
        });
    }

}
