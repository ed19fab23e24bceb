package org.computeops.scenarios;

import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.orchestrators.spi.SchedulerCounters;
import org.computeops.results.model.Phase;
import org.computeops.results.model.TaskRecord;
import org.computeops.scenarios.harness.OrchestratorExtension;
import org.computeops.scenarios.harness.OrchestratorSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adapter's reading of the scheduler's own counters against what the harness observed, live:
 * a burst of short tasks on the simulated tier, the scheduler's counters read just before the
 * submit and just after the last task completed. Over that one interval the scheduler's count of
 * pods it placed and the harness's count of tasks seen scheduled must agree (SchedulerCounters#disagreement:
 * within 10 %), and so do the two throughputs (the same count over the same interval). Besides, the scheduler's own
 * SLI latency quantiles (from its histogram's difference) and ours (created to scheduled) are
 * recorded side by side. Run by hand (-Dit.test=SchedulerCountersCheck; every scenario also records the
 * scheduler's count beside ours through the harness, see ScenarioExecution;
 * not in the *Scenario/*IT pattern: it needs simulated nodes and a scheduler metrics endpoint).
 */
@ExtendWith(OrchestratorExtension.class)
class SchedulerCountersCheck {

    @Test
    @DisplayName("Scheduler cross-check: the scheduler's own count of placed tasks against ours, over the same interval")
    void schedulerAgreesWithUs(OrchestratorSession session) {
        session.execute("scheduler-cross-check", EnumSet.of(Capability.BATCH, Capability.SIMULATED_NODES), scenario -> {
            int tasks = scenario.parameters().positiveInt("scenario.throughput.tasks", 1000);
            var orchestrator = session.orchestrator();
            SchedulerCounters before = orchestrator.schedulerCounters().orElseThrow(
                    () -> new AssertionError("no scheduler counters: " + orchestrator.whyNoSchedulerCounters()));
            Deployment job = scenario.submit(new BatchJob("burst", scenario.parameters().string("scenario.batch.image", Images.BATCH),
                    List.of("sh", "-c", "true"), tasks, tasks, Resources.NONE, Placement.SIMULATED_NODES));
            scenario.awaitCompletion(job, scenario.parameters().seconds("scenario.timeout.s", 900));
            SchedulerCounters after = orchestrator.schedulerCounters().orElseThrow();

            List<TaskRecord> scheduled = scenario.tasks().stream().filter(t -> t.reached(Phase.SCHEDULED)).toList();
            long theirs = after.scheduled() - before.scheduled();
            double seconds = Duration.between(before.at(), after.at()).toMillis() / 1000.0;
            scenario.parameter("scheduler counters", after.source());
            scenario.parameter("interval", before.at() + " .. " + after.at() + String.format(" (%.1f s)", seconds));
            scenario.parameter("scheduled (ours)", scheduled.size());
            scenario.parameter("scheduled (scheduler's scheduler_schedule_attempts_total{result=\"scheduled\"})", theirs);
            scenario.parameter("throughput over the interval (ours / scheduler's)", String.format("%.1f / %.1f tasks/s",
                    scheduled.size() / seconds, theirs / seconds));
            // ours: first to last scheduling by the server's clock, as the throughput figures count it
            Instant first = scheduled.stream().map(t -> t.at(Phase.SCHEDULED).serverTime()).filter(java.util.Objects::nonNull).min(Instant::compareTo).orElse(null);
            Instant last = scheduled.stream().map(t -> t.at(Phase.SCHEDULED).serverTime()).filter(java.util.Objects::nonNull).max(Instant::compareTo).orElse(null);
            if (first != null && last != null && last.isAfter(first)) {
                scenario.parameter("scheduling throughput, first to last scheduled (ours)", String.format("%.1f tasks/s over %.2f s",
                        (scheduled.size() - 1) / (Duration.between(first, last).toNanos() / 1e9), Duration.between(first, last).toNanos() / 1e9));
            }
            for (double q : new double[] {0.5, 0.99}) {
                scenario.parameter(String.format("scheduler's own latency p%.0f (s)", q * 100), String.format("%.4f", after.latencyQuantileSince(before, q)));
                scenario.parameter(String.format("created to scheduled p%.0f, ours (s; the creation stamp is whole-second)", q * 100), String.format("%.4f", ours(q, scheduled)));
            }
            scenario.parameter("scheduler's latency observations", after.latencyObservationsSince(before)
                    + (after.latencyHistogram() == null ? "" : " (" + after.latencyHistogram().metric() + ": " + after.latencyHistogram().times() + ")"));

            assertThat(scheduled).as("tasks seen scheduled").hasSize(tasks);
            assertThat(after.placements()).as("the scheduler's counter counts placements (%s)", after.source()).isTrue();
            assertThat(after.disagreement(before, scheduled.size())).as("the scheduler's own count against ours over %s .. %s",
                    before.at(), after.at()).isEmpty();
        });
    }

    private static double ours(double q, List<TaskRecord> scheduled) {
        List<Double> d = new ArrayList<>();
        for (TaskRecord t : scheduled) {
            var c = t.at(Phase.CREATED);
            var s = t.at(Phase.SCHEDULED);
            if (c != null && s != null && c.serverTime() != null && s.serverTime() != null) {
                d.add(Duration.between(c.serverTime(), s.serverTime()).toNanos() / 1e9);
            }
        }
        if (d.isEmpty()) return Double.NaN;
        d.sort(Double::compareTo);
        return d.get(Math.min(d.size() - 1, (int) Math.ceil(q * d.size()) - 1));
    }
}
