package org.computeops.results.measurements;

import org.computeops.results.model.Clock;
import org.computeops.results.model.Figure;
import org.computeops.results.model.Phase;
import org.computeops.results.model.TaskRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One step of a sustained-rate run: tasks submitted at {@code rate} tasks/s for a fixed time, in
 * workloads named {@code rate-RATE-...}. Figures (named {@code rate_RATE_...}), control plane only
 * where the tasks ran on simulated nodes:
 * <ul>
 * <li>{@code _created_to_scheduled_ms}: per task, nearest-rank quantiles (both ends on the
 * orchestrator's clock where it stamps both finer than a second, else on this client's);</li>
 * <li>{@code _offered_per_s}: tasks of every submit call but the last / (last call issued - first
 * issued), client clock: the rate the harness really offered;</li>
 * <li>{@code _scheduled_per_s}: tasks reaching SCHEDULED / (last SCHEDULED - first submit issued),
 * SCHEDULED on the same clock as the latency's end;</li>
 * <li>{@code _early_p50_ms} / {@code _late_p50_ms}: median created-to-scheduled of the first and
 * the last quarter of the tasks in submit order (submit issued, then task id);</li>
 * <li>{@code _keeping_up}: 1 when the control plane kept up with what was offered, else 0. The
 * criterion for "latency grows without bound": a task never placed (neither SCHEDULED nor a later
 * phase but LOST seen), scheduled_per_s below 90 % of offered_per_s, or
 * late_p50 above 2 x early_p50 + 1,000 ms (the queue grew during the step).</li>
 * </ul>
 */
public record SustainedRate(int rate, Clock clock) implements Measurement, ClockBound {

    /** Phases that show a task was placed: SCHEDULED, or a later one where the observer missed SCHEDULED. */
    private static final Set<Phase> PLACED = EnumSet.of(Phase.SCHEDULED, Phase.STARTED, Phase.RUNNING, Phase.SUCCEEDED, Phase.FAILED);

    /** Clock bound by the harness. */
    public SustainedRate(int rate) {
        this(rate, null);
    }

    public static SustainedRate fromInputs(Map<String, String> inputs) {
        Inputs in = new Inputs("SustainedRate", inputs);
        return new SustainedRate(in.integer("rate"), in.enumValue("clock", Clock.class));
    }

    /** The workload name prefix of this step's tasks. */
    public static String workloadPrefix(int rate) {
        return "rate-" + rate + "-";
    }

    public String figure(String suffix) {
        return "rate_" + rate + "_" + suffix;
    }

    @Override
    public SustainedRate onClocks(Set<Phase> subSecondServerPhases) {
        boolean both = subSecondServerPhases.contains(Phase.CREATED) && subSecondServerPhases.contains(Phase.SCHEDULED);
        return new SustainedRate(rate, both ? Clock.SERVER : Clock.CLIENT);
    }

    @Override
    public Map<String, String> inputs() {
        if (clock == null) throw new IllegalStateException("the clock of the sustained-rate step is not bound (ScenarioExecution.measure binds it)");
        return Inputs.of("rate", Integer.toString(rate), "clock", clock.name());
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        inputs();
        String prefix = workloadPrefix(rate);
        List<TaskRecord> tasks = evidence.tasks(t -> t.workload() != null && t.workload().startsWith(prefix)).stream()
                .sorted(Comparator.comparing(TaskRecord::submitStartedAt, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(TaskRecord::taskId))
                .toList();
        String label = clock.label() + "→" + clock.label();
        List<Double> all = new ArrayList<>();
        long errors = 0;
        for (TaskRecord t : tasks) {
            Double ms = Latency.latencyMs(t, Phase.CREATED, clock, Phase.SCHEDULED, clock);
            if (ms == null) errors++;
            else all.add(ms);
        }
        List<Figure> figures = new ArrayList<>();
        figures.add(Quantiles.latency(figure("created_to_scheduled_ms"), all, errors, label,
                "CREATED -> SCHEDULED at an offered " + rate + " tasks/s; nearest-rank quantiles"));

        Instant firstIssued = tasks.stream().map(TaskRecord::submitStartedAt).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
        Instant lastIssued = tasks.stream().map(TaskRecord::submitStartedAt).filter(Objects::nonNull).max(Instant::compareTo).orElse(null);
        long issued = tasks.stream().filter(t -> t.submitStartedAt() != null).count();
        // the rate of issue: tasks of every submit call but the last over the span of the calls
        long beforeLast = tasks.stream().filter(t -> t.submitStartedAt() != null && t.submitStartedAt().isBefore(lastIssued)).count();
        double offered = perSecond(beforeLast, firstIssued, lastIssued);
        figures.add(Figure.value(figure("offered_per_s"), "tasks/s", beforeLast, offered, "client", tasks.size() - issued,
                "tasks of every submit call but the last / (last submit issued - first submit issued), nominal " + rate + " tasks/s"));

        List<Instant> scheduled = tasks.stream().map(t -> clock.read(t.at(Phase.SCHEDULED))).filter(Objects::nonNull).sorted().toList();
        double throughput = scheduled.isEmpty() ? 0 : perSecond(scheduled.size(), firstIssued, scheduled.get(scheduled.size() - 1));
        figures.add(Figure.value(figure("scheduled_per_s"), "tasks/s", scheduled.size(), throughput, "client→" + clock.label(),
                tasks.size() - scheduled.size(), "tasks reaching SCHEDULED / (last SCHEDULED - first submit issued)"));

        int quarter = tasks.size() / 4;
        Double early = quarter == 0 ? null : median(tasks.subList(0, quarter));
        Double late = quarter == 0 ? null : median(tasks.subList(tasks.size() - quarter, tasks.size()));
        figures.add(Figure.value(figure("early_p50_ms"), "ms", quarter, early, label, 0, "median created-to-scheduled, first quarter in submit order"));
        figures.add(Figure.value(figure("late_p50_ms"), "ms", quarter, late, label, 0, "median created-to-scheduled, last quarter in submit order"));
        // placed: SCHEDULED seen, or a later phase where the observer missed the short SCHEDULED state
        // (Swarm under load: a poll sees RUNNING first); a missed look is not a backlog of the control plane
        long placed = tasks.stream().filter(t -> PLACED.stream().anyMatch(t::reached)).count();
        boolean keptUp = !tasks.isEmpty() && placed == tasks.size() && throughput >= 0.9 * offered
                && (early == null || late == null || late <= 2 * early + 1000);
        figures.add(Figure.value(figure("keeping_up"), "1=yes", tasks.size(), keptUp ? 1.0 : 0.0, label, 0,
                "kept up: every task placed (SCHEDULED or a later phase seen), scheduled_per_s >= 0.9 x offered_per_s and late_p50 <= 2 x early_p50 + 1000 ms"));
        return figures;
    }

    private Double median(List<TaskRecord> part) {
        List<Double> v = part.stream().map(t -> Latency.latencyMs(t, Phase.CREATED, clock, Phase.SCHEDULED, clock)).filter(Objects::nonNull).toList();
        return v.isEmpty() ? null : Quantiles.round(Quantiles.nearestRank(Quantiles.sorted(v), 50));
    }

    private static double perSecond(long count, Instant from, Instant to) {
        if (from == null || to == null || count == 0) return 0;
        double seconds = Duration.between(from, to).toNanos() / 1e9;
        return seconds > 0 ? Quantiles.round(count / seconds) : 0;
    }
}
