package org.computeops.orchestrators.swarm;

import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.model.TaskStatus;
import org.computeops.orchestrators.spi.ObservationGap;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.ServerStamp;
import org.computeops.orchestrators.spi.TaskEvent;
import org.computeops.orchestrators.spi.TaskEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Turns Swarm task states into task events. Swarm keeps only a task's latest status and its
 * event stream has no task events, so the task list is polled: a state that lasts less than one
 * poll interval is not seen, and its phase is then not reported rather than invented, with one
 * exception: a missed {@code assigned} is bounded by the worker's {@code accepted..starting} timestamp.
 * Failed polls are an observation gap (recorded in {@code gaps}, logged once when it starts and
 * once when it ends, not every poll); the poller keeps trying: the harness's health watch decides
 * when an outage ends the scenario.
 */
final class SwarmTaskPoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SwarmTaskPoller.class);

    private final String deploymentId;
    private final Supplier<List<Task>> tasks;
    private final TaskEventListener listener;
    private final Map<String, Phase> lastPhase = new HashMap<>();
    private final ScheduledExecutorService executor;
    private final List<ObservationGap> gaps;
    private volatile Instant failingSince;
    private volatile String firstFailure;
    private volatile int failedPolls;
    /** When the poll in flight started (null between polls): a poll that never returns is a gap too. */
    private volatile Instant pollStartedAt;

    SwarmTaskPoller(String deploymentId, Supplier<List<Task>> tasks, TaskEventListener listener, long pollMillis) {
        this(deploymentId, tasks, listener, pollMillis, new java.util.concurrent.CopyOnWriteArrayList<>());
    }

    SwarmTaskPoller(String deploymentId, Supplier<List<Task>> tasks, TaskEventListener listener, long pollMillis,
                    List<ObservationGap> gaps) {
        this.deploymentId = deploymentId;
        this.tasks = tasks;
        this.listener = listener;
        this.gaps = gaps;
        if (pollMillis <= 0) {
            this.executor = null; // driven by its caller's poll() (the harness probe's replay)
            return;
        }
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "swarm-tasks-" + deploymentId.substring(0, Math.min(12, deploymentId.length())));
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::pollSafely, 0, pollMillis, TimeUnit.MILLISECONDS);
    }

    private void pollSafely() {
        try {
            pollStartedAt = Instant.now();
            poll();
            pollStartedAt = null;
            if (failingSince != null) {
                Instant now = Instant.now();
                gaps.add(new ObservationGap(failingSince, now, failedPolls + " failed task polls of " + deploymentId + ": " + firstFailure));
                LOG.warn("polling tasks of {} works again after {} failed polls over {} ms", deploymentId, failedPolls,
                        java.time.Duration.between(failingSince, now).toMillis());
                failingSince = null;
            }
        } catch (RuntimeException e) {
            Instant started = pollStartedAt;
            pollStartedAt = null;
            if (failingSince == null) {
                failingSince = started != null ? started : Instant.now();
                firstFailure = e.getMessage() != null ? e.getMessage() : e.toString();
                failedPolls = 0;
                LOG.warn("polling tasks of {} failed (logged again when it works): {}", deploymentId, e.getMessage());
            }
            failedPolls++;
        }
    }

    void poll() {
        List<Task> current = tasks.get();
        Instant observedAt = Instant.now();
        for (Task task : current) {
            TaskStatus status = task.getStatus();
            if (status == null || status.getState() == null) continue;
            Phase phase = phaseOf(status.getState());
            Phase previous = lastPhase.get(task.getId());
            if (previous == null) {
                emit(task, Phase.CREATED, observedAt, parse(task.getCreatedAt()), ServerStamp.SUB_SECOND, "created");
            }
            if (phase == Phase.STARTED && (previous == null || previous.compareTo(Phase.SCHEDULED) < 0)) {
                // An idle worker accepts a task within a millisecond of its assignment, faster than
                // any poll: the accepting state's timestamp is then the closest upper bound of it.
                emit(task, Phase.SCHEDULED, observedAt, parse(status.getTimestamp()), ServerStamp.BOUND,
                        "assigned not seen; upper bound from " + status.getState().getValue());
            }
            if (phase != Phase.CREATED && (previous == null || phase.compareTo(previous) > 0)) {
                String detail = status.getState().getValue()
                        + (status.getErr() != null && !status.getErr().isBlank() ? ": " + status.getErr() : "");
                emit(task, phase, observedAt, parse(status.getTimestamp()), ServerStamp.SUB_SECOND, detail);
            }
            if (previous == null || phase.compareTo(previous) > 0) lastPhase.put(task.getId(), phase);
        }
    }

    private void emit(Task task, Phase phase, Instant observedAt, Instant serverTime, ServerStamp stamp, String detail) {
        String node = task.getNodeId() == null || task.getNodeId().isEmpty() ? null : task.getNodeId();
        listener.onEvent(new TaskEvent(deploymentId, task.getId(), node, phase, observedAt, serverTime, detail, stamp));
    }

    static Phase phaseOf(TaskState state) {
        return switch (state) {
            case NEW, ALLOCATED, PENDING -> Phase.CREATED;
            case ASSIGNED -> Phase.SCHEDULED;
            case ACCEPTED, PREPARING, READY, STARTING -> Phase.STARTED;
            case RUNNING -> Phase.RUNNING;
            case COMPLETE -> Phase.SUCCEEDED;
            case FAILED, REJECTED -> Phase.FAILED;
            case SHUTDOWN, REMOVE, ORPHANED -> Phase.LOST;
        };
    }

    private static Instant parse(String timestamp) {
        if (timestamp == null || timestamp.isBlank() || timestamp.startsWith("0001-")) return null;
        return Instant.parse(timestamp);
    }

    @Override
    public void close() {
        Instant now = Instant.now();
        Instant since = failingSince;
        Instant inFlight = pollStartedAt;
        if (since != null) {
            gaps.add(new ObservationGap(since, now, failedPolls + " failed task polls of " + deploymentId
                    + " (until observation stopped): " + firstFailure));
        } else if (inFlight != null && java.time.Duration.between(inFlight, now).toMillis() > 1000) {
            gaps.add(new ObservationGap(inFlight, now, "a task poll of " + deploymentId + " without an answer until observation stopped"));
        }
        if (executor == null) return;
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
