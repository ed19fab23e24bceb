package org.computeops.submit;

import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.TaskEvent;
import org.computeops.orchestrators.spi.TaskEventListener;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the CLI knows of a job's tasks, from the adapter's events: counts for the progress line,
 * whether the job has ended, and the per-task table. A retry of a failed task (an orchestrator's
 * own, testbed.batch.maxRetries) arrives as another task and is counted as one.
 */
final class TaskBoard implements TaskEventListener {

    /** After a failure, how long nothing may run or change before the job counts as ended (a Kubernetes Job that hit its backoff limit starts no more pods). */
    static final Duration SETTLE = Duration.ofSeconds(15);

    private final int tasks;
    private final Map<String, Task> byId = new LinkedHashMap<>();
    private Instant lastChange;

    TaskBoard(int tasks, Instant start) {
        this.tasks = tasks;
        this.lastChange = start;
    }

    static final class Task {
        final String id;
        String node;
        Phase phase;
        String detail;
        final Map<Phase, Instant> seen = new EnumMap<>(Phase.class);

        Task(String id) {
            this.id = id;
        }
    }

    @Override
    public synchronized void onEvent(TaskEvent e) {
        Task t = byId.computeIfAbsent(e.taskId(), Task::new);
        if (e.node() != null) t.node = e.node();
        t.seen.putIfAbsent(e.phase(), e.observedAt());
        // an event for a task that has already ended (late, reordered) must not revive it
        if (t.phase == null || !t.phase.terminal()) t.phase = e.phase();
        if (e.detail() != null && !e.detail().isBlank()) t.detail = e.detail();
        lastChange = e.observedAt();
    }

    synchronized int succeeded() {
        return count(Phase.SUCCEEDED);
    }

    synchronized int failed() {
        return count(Phase.FAILED) + count(Phase.LOST);
    }

    synchronized int running() {
        return count(Phase.STARTED) + count(Phase.RUNNING);
    }

    private int count(Phase phase) {
        return (int) byId.values().stream().filter(t -> t.phase == phase).count();
    }

    private long active() {
        return byId.values().stream().filter(t -> !t.phase.terminal()).count();
    }

    /** Every task succeeded, or each has ended, or (after a failure) nothing is left running for {@link #SETTLE}. */
    synchronized boolean ended(Instant now) {
        if (succeeded() >= tasks) return true;
        if (failed() == 0 || active() > 0) return false;
        return succeeded() + failed() >= tasks || !now.isBefore(lastChange.plus(SETTLE));
    }

    synchronized String progress() {
        return succeeded() + "/" + tasks + " succeeded, " + running() + " running, " + failed() + " failed";
    }

    /** One row per task: node and phase times relative to {@code start} (the submit call, client clock). */
    synchronized List<String> table(Instant start) {
        return table(start, Map.of());
    }

    /** The same, each node shown by its name where {@code nodeNames} has one (Swarm's tasks name a node by its id). */
    synchronized List<String> table(Instant start, Map<String, String> nodeNames) {
        List<Task> sorted = new ArrayList<>(byId.values());
        sorted.sort(Comparator.comparing((Task t) -> t.id.length()).thenComparing(t -> t.id));
        int idWidth = Math.max(4, sorted.stream().mapToInt(t -> t.id.length()).max().orElse(4));
        java.util.function.Function<Task, String> node = t -> t.node == null ? "-" : nodeNames.getOrDefault(t.node, t.node);
        int nodeWidth = Math.max(4, sorted.stream().mapToInt(t -> node.apply(t).length()).max().orElse(4));
        String format = "%-" + idWidth + "s  %-" + nodeWidth + "s  %9s  %9s  %9s  %9s  %-9s  %s";
        List<String> rows = new ArrayList<>();
        rows.add(String.format(Locale.ROOT, format, "task", "node", "created", "scheduled", "running", "done", "phase", "detail").stripTrailing());
        for (Task t : sorted) {
            Instant done = t.phase.terminal() ? t.seen.get(t.phase) : null;
            String detail = t.phase == Phase.SUCCEEDED || t.detail == null ? "" : t.detail;
            rows.add(String.format(Locale.ROOT, format, t.id, node.apply(t), since(start, t.seen.get(Phase.CREATED)),
                    since(start, t.seen.get(Phase.SCHEDULED)), since(start, t.seen.get(Phase.RUNNING)), since(start, done),
                    t.phase.name().toLowerCase(Locale.ROOT), detail.length() > 80 ? detail.substring(0, 77) + "..." : detail).stripTrailing());
        }
        return rows;
    }

    /** Seconds with millisecond digits, "-" for a phase not observed (never invented). */
    static String since(Instant start, Instant at) {
        if (at == null) return "-";
        return String.format(Locale.ROOT, "%.3f s", Duration.between(start, at).toNanos() / 1e9);
    }

    synchronized int seenTasks() {
        return byId.size();
    }
}
