package org.computeops.results.measurements;

import org.computeops.results.model.Figure;
import org.computeops.results.model.Phase;
import org.computeops.results.model.TaskRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A queue under contention with two priority classes: workload {@code low} submitted first, then
 * workload {@code high}, more tasks than the cluster can run at once. On the client clock:
 * {@code queue_wait_ms[low]} and {@code queue_wait_ms[high]}, per task from its submit call issued
 * to its RUNNING seen; {@code high_overtakes}, high tasks seen running before the last low task
 * (every low task was submitted earlier, so each of them overtook at least one). A scheduler that
 * honours priority lets every high task overtake the low tasks still waiting; a FIFO one none.
 */
public record QueueWait(String low, String high) implements Measurement {

    public static final String OVERTAKES = "high_overtakes";

    public static String waitName(String workload) {
        return "queue_wait_ms[" + workload + "]";
    }

    public static QueueWait fromInputs(Map<String, String> inputs) {
        Inputs in = new Inputs("QueueWait", inputs);
        return new QueueWait(in.string("low"), in.string("high"));
    }

    @Override
    public Map<String, String> inputs() {
        return Inputs.of("low", low, "high", high);
    }

    private static Instant running(TaskRecord t) {
        return t.reached(Phase.RUNNING) ? t.at(Phase.RUNNING).observedAt() : null;
    }

    private static Figure waits(String workload, List<TaskRecord> tasks, String note) {
        List<Double> values = new ArrayList<>();
        long errors = 0;
        for (TaskRecord t : tasks) {
            Instant start = running(t);
            if (start == null || t.submitStartedAt() == null || start.isBefore(t.submitStartedAt())) errors++;
            else values.add(Duration.between(t.submitStartedAt(), start).toNanos() / 1e6);
        }
        return Quantiles.latency(waitName(workload), values, errors, "client", note);
    }

    @Override
    public List<Figure> compute(Evidence evidence) {
        List<TaskRecord> lows = evidence.tasks(t -> t.workload().equals(low));
        List<TaskRecord> highs = evidence.tasks(t -> t.workload().equals(high));
        List<Figure> figures = new ArrayList<>();
        figures.add(waits(low, lows, "low class (submitted first): submit call issued -> running seen, per task"));
        figures.add(waits(high, highs, "high class (submitted after the low one): submit call issued -> running seen, per task"));
        Instant lastLow = lows.stream().map(QueueWait::running).filter(Objects::nonNull).max(Instant::compareTo).orElse(null);
        List<Instant> highStarts = highs.stream().map(QueueWait::running).filter(Objects::nonNull).toList();
        long unread = highs.size() - highStarts.size();
        if (lastLow == null) {
            figures.add(Figure.value(OVERTAKES, "tasks", 0, null, "client", highs.size(), "no low task was seen running"));
        } else {
            figures.add(Figure.value(OVERTAKES, "tasks", highStarts.size(), (double) highStarts.stream().filter(s -> s.isBefore(lastLow)).count(),
                    "client", unread, "high tasks seen running before the last low task, all of which were submitted earlier"
                            + " (priority honoured: every high task that found low ones waiting)"));
        }
        return figures;
    }
}
