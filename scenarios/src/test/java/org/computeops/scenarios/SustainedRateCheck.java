package org.computeops.scenarios;

import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.orchestrators.spi.SchedulerCounters;
import org.computeops.results.measurements.SustainedRate;
import org.computeops.results.model.Phase;
import org.computeops.results.model.TaskRecord;
import org.computeops.scenarios.harness.CpuWindow;
import org.computeops.scenarios.harness.OrchestratorExtension;
import org.computeops.scenarios.harness.OrchestratorSession;
import org.computeops.scenarios.harness.ScenarioExecution;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Submissions at a fixed rate, one step per rate ({@code scenario.rate.rates}, tasks/s) for
 * {@code scenario.rate.seconds} each (or until {@code scenario.rate.tasks} tasks of the step were
 * submitted): every {@code scenario.rate.tickMillis} one batch job with the tasks due by then. Per
 * step: created-to-scheduled quantiles, the offered and the scheduling rate, and whether the control
 * plane kept up ({@link SustainedRate} defines the criterion). On simulated nodes by default
 * (control plane only). Where the orchestrator exposes its scheduler's counters they are read
 * before and after each step: its count and ours disagreeing (SchedulerCounters#disagreement) fails the scenario.
 * Named *Check, not *Scenario, so that compare and test (-Dit.test=*Scenario) do not run it:
 * {@code infra/testbed scale} runs it (a
 * sustained run needs a large cluster to mean anything).
 */
@ExtendWith(OrchestratorExtension.class)
class SustainedRateCheck {

    @Test
    @DisplayName("Sustained rate: tasks submitted at fixed rates, created-to-scheduled and scheduling rate per rate")
    void sustainedRate(OrchestratorSession session) {
        session.execute("sustained-rate", EnumSet.of(Capability.BATCH), scenario -> {
            List<Integer> rates = scenario.parameters().positiveInts("scenario.rate.rates", List.of(50, 100, 200));
            int seconds = scenario.parameters().positiveInt("scenario.rate.seconds", 20);
            int maxTasks = scenario.parameters().intAtLeast("scenario.rate.tasks", 0, 0);
            int tickMillis = scenario.parameters().positiveInt("scenario.rate.tickMillis", 500);
            int expectedNodes = scenario.parameters().intAtLeast("scenario.simulated.nodes", 0, 0);
            Placement placement = scenario.parameters().enumValue("scenario.rate.placement", Placement.SIMULATED_NODES);
            String image = scenario.parameters().string("scenario.batch.image", Images.BATCH);
            Duration timeout = scenario.parameters().seconds("scenario.timeout.s", 900);
            scenario.parameter("scheduler counters", session.orchestrator().schedulerCounters()
                    .map(SchedulerCounters::source).orElse("none: " + session.orchestrator().whyNoSchedulerCounters()));

            List<String> crossCheckFailures = new ArrayList<>();
            String firstNotKeptUp = null;
            for (int rate : rates) {
                // declared as its step starts: a step never run (an earlier one failed) has no figures, not zeros
                scenario.measure(new SustainedRate(rate));
                checkTier(scenario, placement, expectedNodes);
                int stepTasks = maxTasks > 0 ? Math.min(maxTasks, rate * seconds) : rate * seconds;
                Optional<SchedulerCounters> before = session.orchestrator().schedulerCounters();
                CpuWindow cpu = CpuWindow.start(session.orchestrator().harnessProbe());
                List<Deployment> step = submitAtRate(scenario, rate, stepTasks, tickMillis, image, placement);
                String prefix = SustainedRate.workloadPrefix(rate);
                scenario.awaitQuietly("rate " + rate + " step", timeout,
                        () -> stepTasks(scenario, prefix).stream().filter(t -> t.reached(Phase.SUCCEEDED)).count() >= stepTasks,
                        () -> progress(scenario, prefix, stepTasks));
                Optional<SchedulerCounters> after = session.orchestrator().schedulerCounters();
                // which side was busy: the control plane saturated, or this harness
                scenario.parameter("rate " + rate + ": CPU, control plane / harness", cpu.stop().text());
                long ours = stepTasks(scenario, prefix).stream().filter(t -> t.reached(Phase.SCHEDULED)).count();
                if (before.isPresent() && after.isPresent()) {
                    scenario.parameter("rate " + rate + ": scheduler's count / ours", after.get().scheduledSince(before.get()) + " / " + ours);
                    after.get().disagreement(before.get(), ours).ifPresent(d -> crossCheckFailures.add("rate " + rate + ": " + d));
                }
                step.forEach(scenario::retire);
                checkTier(scenario, placement, expectedNodes);
                SustainedRate m = new SustainedRate(rate);
                double offered = scenario.figureNow(m, m.figure("offered_per_s")).value();
                boolean keptUp = scenario.figureNow(m, m.figure("keeping_up")).value() == 1.0;
                if (offered < 0.9 * rate) {
                    // the harness, not the control plane, limited this step: higher rates would say nothing
                    throw new AssertionError("the harness offered only " + offered + " tasks/s of the " + rate
                            + " tasks/s asked (rate_" + rate + "_offered_per_s): the submit path limits this rate");
                }
                if (!keptUp && firstNotKeptUp == null) firstNotKeptUp = Integer.toString(rate);
            }
            scenario.parameter("first rate not kept up", firstNotKeptUp == null ? "none of " + rates : firstNotKeptUp + " tasks/s");
            assertThat(crossCheckFailures).as("scheduler's own counters against ours").isEmpty();
        });
    }

    /**
     * Submits stepTasks tasks at rate tasks/s: at each tick (on a fixed schedule) one job with the
     * tasks due by the end of that tick, handed to a pool so that a slow call (a create the manager is
     * slow to answer, a validation that reads the node list afresh) does not hold back the next tick.
     */
    private static List<Deployment> submitAtRate(ScenarioExecution scenario, int rate, int stepTasks, int tickMillis,
                                                 String image, Placement placement) {
        List<Future<Deployment>> calls = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "rate-" + rate + "-submit");
            t.setDaemon(true);
            return t;
        });
        try {
            Instant start = Instant.now();
            int submitted = 0;
            for (int tick = 0; submitted < stepTasks; tick++) {
                Duration wait = Duration.between(Instant.now(), start.plusMillis((long) tick * tickMillis));
                if (!wait.isNegative()) scenario.pause(wait);
                int due = (int) Math.min(stepTasks, (long) rate * (tick + 1) * tickMillis / 1000);
                int n = due - submitted;
                if (n <= 0) continue;
                String name = SustainedRate.workloadPrefix(rate) + tick;
                calls.add(pool.submit(() -> scenario.submit(new BatchJob(name, image, List.of("sh", "-c", "true"), n, n, Resources.NONE, placement))));
                submitted = due;
            }
            List<Deployment> step = new ArrayList<>();
            for (Future<Deployment> call : calls) {
                try {
                    step.add(call.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while submitting at " + rate + " tasks/s", e);
                }
            }
            return step;
        } finally {
            pool.shutdown();
        }
    }

    private static List<TaskRecord> stepTasks(ScenarioExecution scenario, String prefix) {
        return scenario.tasks().stream().filter(t -> t.workload() != null && t.workload().startsWith(prefix)).toList();
    }

    private static String progress(ScenarioExecution scenario, String prefix, int stepTasks) {
        List<TaskRecord> tasks = stepTasks(scenario, prefix);
        return String.format("%d/%d succeeded, %d scheduled, %d seen", tasks.stream().filter(t -> t.reached(Phase.SUCCEEDED)).count(),
                stepTasks, tasks.stream().filter(t -> t.reached(Phase.SCHEDULED)).count(), tasks.size());
    }

    /** A simulated tier smaller than asked (a simulator died) breaks the run: no figure from a half-sized cluster. */
    private static void checkTier(ScenarioExecution scenario, Placement placement, int expectedNodes) {
        if (placement != Placement.SIMULATED_NODES || expectedNodes == 0) return;
        long ready = scenario.session().orchestrator().describe().nodes().stream().filter(NodeInfo::simulated).filter(NodeInfo::ready).count();
        if (ready < expectedNodes) {
            throw new IllegalStateException("the simulated tier is broken: " + ready + " of " + expectedNodes
                    + " simulated nodes ready (scenario.simulated.nodes); a simulator process may have died");
        }
    }
}
