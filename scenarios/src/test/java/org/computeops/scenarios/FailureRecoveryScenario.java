package org.computeops.scenarios;

import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Faults;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.orchestrators.spi.Service;
import org.computeops.results.measurements.Recovery;
import org.computeops.results.model.Phase;
import org.computeops.results.model.TaskRecord;
import org.computeops.scenarios.harness.OrchestratorExtension;
import org.computeops.scenarios.harness.OrchestratorSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service of R replicas and a batch of jobs run while one worker node is stopped hard:
 * how long until R replicas run again on healthy nodes ({@code recovery_s}), until the
 * orchestrator gives the node's tasks up ({@code detection_s}) and its batch tasks start again
 * elsewhere ({@code batch_recovery_s}), and how many batch tasks never complete
 * ({@code tasks_lost}); each next to the timeouts that decide them. Where the orchestrator has no
 * services (Slurm) the batch part runs alone on the node running most of it, and the report says
 * why the service part did not run. In the real tier (the default placement) the stopped node is a
 * real one: its agent, runtime and containers killed at once. The failure-detection variant the
 * testbed runs with ({@code testbed.failureDetection}: each orchestrator's shipped defaults, or
 * tuned to one budget on all) names the scenario, so the two variants' figures never mix.
 */
@ExtendWith(OrchestratorExtension.class)
class FailureRecoveryScenario {

    @Test
    @DisplayName("Failure recovery: a worker node dies under a service and a batch")
    void failureRecovery(OrchestratorSession session) {
        String detection = detectionVariant(session.parameters().string("testbed.failureDetection", ""));
        session.execute("failure-recovery-" + detection + "-detection", EnumSet.of(Capability.BATCH, Capability.NODE_FAILURE), scenario -> {
            int batchTasks = scenario.parameters().positiveInt("scenario.recovery.batchTasks", 6);
            int batchSeconds = scenario.parameters().positiveInt("scenario.recovery.batchTaskSeconds", 10);
            Duration timeout = scenario.parameters().seconds("scenario.recovery.timeout.s", 900);
            Duration batchWait = scenario.parameters().seconds("scenario.recovery.batchWait.s", 120);
            Duration settle = scenario.parameters().seconds("scenario.recovery.settle.s", 20);
            boolean promisesBatch = session.orchestrator().capabilities().contains(Capability.BATCH_SURVIVES_NODE_LOSS);
            Placement where = scenario.parameters().enumValue("scenario.recovery.placement", Placement.REAL_NODES);
            Faults faults = session.orchestrator().faults();
            scenario.variant("detection", detection);
            // Without services (a batch system) the batch part runs alone and the service part says why not.
            boolean withService = session.orchestrator().capabilities().contains(Capability.SERVICE);
            int replicas = withService ? scenario.parameters().positiveInt("scenario.recovery.replicas", 6) : 0;
            if (!withService) {
                scenario.parameter("service part", "not run: " + session.orchestrator().whyLacking(Capability.SERVICE)
                        .orElse("the orchestrator has no services") + "; recovery_s is not measured, batch_recovery_s is");
            }

            Deployment service = null;
            if (withService) {
                service = scenario.submit(new Service("web", scenario.parameters().string("scenario.service.image", Images.SERVICE),
                        List.of(), replicas, 8080, Resources.NONE, where));
                scenario.awaitRunning(service, replicas, null, timeout);
            }
            // Read once the service runs: some settings are only visible on its tasks (admitted tolerations).
            faults.failureDetectionSettings().forEach(scenario::parameter);
            Deployment batch = scenario.submit(new BatchJob("work", scenario.parameters().string("scenario.batch.image", Images.BATCH),
                    List.of("sh", "-c", "sleep " + batchSeconds), batchTasks, batchTasks, Resources.NONE, where));
            // Simulated nodes finish batch tasks at once, so "started running" is the condition, not "runs now".
            scenario.awaitQuietly("work", timeout, () -> scenario.tasks().stream()
                    .filter(t -> t.workload().equals("work") && t.reached(Phase.RUNNING)).count() >= batchTasks, () -> "batch tasks started");

            // The stoppable node running the most replicas (batch-only: the most batch tasks), of the
            // placement's tier: they run nowhere else.
            Map<String, Long> perNode = scenario.running(withService ? service : batch, null).stream()
                    .collect(Collectors.groupingBy(TaskRecord::node, Collectors.counting()));
            String what = withService ? "replicas" : "batch tasks";
            NodeInfo victim = session.cluster().nodes().stream()
                    .filter(faults::canStop).filter(n -> perNode.containsKey(n.name()))
                    .max(Comparator.comparing(n -> perNode.get(n.name())))
                    .orElseThrow(() -> new AssertionError("no stoppable node runs " + what + ": " + perNode));
            long victimBatch = scenario.running(batch, null).stream().filter(t -> victim.name().equals(t.node())).count();
            scenario.parameter("stopped node", victim.name() + " (" + (victim.simulated() ? "simulated" : "real") + ", "
                    + perNode.get(victim.name()) + " " + what + ")");

            // Declared before the fault: written with the figures even when the scenario fails part-way.
            Instant faultAt = Instant.now();
            scenario.parameter("fault at", faultAt);
            scenario.measure(withService
                    ? new Recovery(service.workload().name(), batch.workload().name(), victim.name(), faultAt, replicas, batchTasks)
                    : Recovery.batchOnly(batch.workload().name(), victim.name(), faultAt, batchTasks));
            scenario.stoppingNode(victim.id());
            faults.stopNode(victim.id());
            boolean recovered = false;
            try {
                if (withService) {
                    Deployment web = service;
                    recovered = scenario.awaitQuietly("web", timeout, () -> scenario.running(web, victim.name()).size() >= replicas,
                            () -> scenario.running(web, victim.name()).size() + "/" + replicas + " running off " + victim.name());
                } else {
                    // The stopped node's batch tasks started again elsewhere (requeued, rescheduled).
                    recovered = scenario.awaitQuietly("work", timeout, () -> restartedElsewhere(scenario.tasks(), victim.name(), faultAt) >= victimBatch,
                            () -> restartedElsewhere(scenario.tasks(), victim.name(), faultAt) + "/" + victimBatch
                                    + " batch tasks of " + victim.name() + " started again elsewhere");
                }
                // Where the orchestrator does not promise the batch, its lost tasks would hold the wait to
                // its end: it ends once the batch has settled (see batchSettled), as no replacement comes.
                if (!promisesBatch) scenario.parameter("batch wait ends", "when all " + batchTasks + " completed, or after "
                        + settle.toSeconds() + " s without a change of the batch once nothing off " + victim.name()
                        + " runs or waits (scenario.recovery.settle.s), or after " + batchWait.toSeconds() + " s");
                scenario.awaitQuietly("work", batchWait, () -> scenario.tasks().stream().filter(t -> t.workload().equals("work")
                        && t.reached(Phase.SUCCEEDED)).count() >= batchTasks
                        || (!promisesBatch && batchSettled(scenario.tasks(), "work", victim.name(), settle, Instant.now())),
                        () -> "batch tasks completing after the fault");
            } finally {
                faults.restoreNode(victim.id());
            }
            if (withService) {
                assertThat(recovered).as("all %d replicas running again off %s", replicas, victim.name()).isTrue();
            } else {
                assertThat(recovered).as("the %d batch tasks of %s started again elsewhere", victimBatch, victim.name()).isTrue();
            }
            // A batch's lost tasks are held against an orchestrator only where it promises to finish the batch.
            long succeeded = scenario.tasks().stream().filter(t -> t.workload().equals("work") && t.reached(Phase.SUCCEEDED)).count();
            if (session.orchestrator().capabilities().contains(Capability.BATCH_SURVIVES_NODE_LOSS)) {
                assertThat(succeeded).as("completions of the batch, which %s promises to finish after a node is lost", session.orchestrator().name())
                        .isEqualTo(batchTasks);
            } else {
                scenario.parameter("batch after a node loss", session.orchestrator().name() + " does not promise to finish it: "
                        + (batchTasks - succeeded) + " of " + batchTasks + " tasks not completed, reported as tasks_lost");
            }
        });
    }

    /**
     * The failure-detection variant, from what the local testbed's up wrote: {@code default} (each
     * orchestrator's shipped timings) or {@code tuned} (infra's {@code short}: one budget on all);
     * {@code site} on a cluster that does not say (its own settings, whatever they are).
     */
    static String detectionVariant(String failureDetection) {
        return switch (failureDetection.trim()) {
            case "default" -> "default";
            case "short", "tuned" -> "tuned";
            case "" -> "site";
            default -> throw new IllegalArgumentException("testbed.failureDetection must be 'default' or 'short' (tuned), was '"
                    + failureDetection + "'");
        };
    }

    /**
     * The batch has settled: every task of {@code workload} off the stopped node has ended (none runs
     * or waits for a node) and none of its tasks changed for {@code quiet}. A replacement the
     * orchestrator makes for a lost task shows as a new task and unsettles it.
     */
    static boolean batchSettled(List<TaskRecord> tasks, String workload, String victim, Duration quiet, Instant now) {
        List<TaskRecord> batch = tasks.stream().filter(t -> t.workload().equals(workload)).toList();
        boolean offVictimEnded = batch.stream().filter(t -> !victim.equals(t.node()))
                .allMatch(TaskRecord::ended);
        Instant lastChange = batch.stream().flatMap(t -> t.phases().values().stream())
                .map(p -> p.observedAt()).filter(java.util.Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
        return !batch.isEmpty() && offVictimEnded && lastChange != null && !lastChange.plus(quiet).isAfter(now);
    }

    /** Batch tasks seen starting off the stopped node after the fault. */
    private static long restartedElsewhere(List<TaskRecord> tasks, String victim, Instant faultAt) {
        return tasks.stream().filter(t -> t.workload().equals("work") && !victim.equals(t.node()) && t.reached(Phase.RUNNING))
                .filter(t -> t.at(Phase.RUNNING).observedAt() != null && t.at(Phase.RUNNING).observedAt().isAfter(faultAt)).count();
    }

}
