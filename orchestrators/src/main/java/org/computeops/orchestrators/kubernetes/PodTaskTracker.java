package org.computeops.orchestrators.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.ServerStamp;
import org.computeops.orchestrators.spi.TaskEvent;
import org.computeops.orchestrators.spi.TaskEventListener;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns what a pod watch and the scheduler's {@code Scheduled} events say into task events, one
 * task per pod. Two clocks per event: {@code observedAt} is when this client received the pod
 * change (the earlier of the lean watch's receipt of that pod version and the informer's hand-over);
 * {@code serverTime} is the server's own timestamp of it:
 * <ul>
 *   <li>CREATED: pod {@code creationTimestamp} (seconds)</li>
 *   <li>SCHEDULED: the scheduler's {@code Scheduled} event {@code eventTime} (microseconds, the only
 *       sub-second stamp), else its {@code firstTimestamp}, else the pod's {@code PodScheduled}
 *       condition (seconds)</li>
 *   <li>STARTED: pod {@code status.startTime}, the kubelet taking the pod (seconds)</li>
 *   <li>RUNNING: the latest container {@code running.startedAt} (seconds)</li>
 *   <li>SUCCEEDED, FAILED: the latest container {@code terminated.finishedAt} (seconds)</li>
 *   <li>LOST: none (the pod was deleted, or disrupted, before it finished)</li>
 * </ul>
 * The {@code Scheduled} event may arrive after the pod watch already showed the binding (and
 * even the start): a task's events are then held, in order, until it arrives or
 * {@code holdFor} passes, so SCHEDULED carries the finer clock whenever the server has it.
 * A second-resolution time that falls before the previous phase's server time is raised to it
 * (see {@link #emit}). A phase the watch did not show is left out, never invented. Thread-safe.
 */
final class PodTaskTracker {

    private final String deploymentId;
    private final TaskEventListener listener;
    private final Duration holdFor;
    private final ReceiptClock receipts;
    private final Map<String, TaskState> tasks = new HashMap<>();
    /** Scheduled-event server times by pod name; may arrive before the pod is seen. */
    private final Map<String, Stamped> scheduledAt = new HashMap<>();

    /** A server time and how fine it is. */
    record Stamped(Instant time, ServerStamp stamp) {
    }

    private static final class TaskState {
        Phase last;
        String node;
        Instant holdUntil;
        Instant podScheduledCondition;
        /** The pod version that first showed the binding. */
        String boundVersion;
        /** Server time of the last released phase: later phases never report an earlier one. */
        Instant lastServerTime;
        final Deque<TaskEvent> held = new ArrayDeque<>();
    }

    /** A second, earlier receipt of the same pod version (the lean watch of {@link PodReceipts}). */
    interface ReceiptClock {
        /** The earliest time this client received that version of the pod, given the informer's receipt. */
        Instant received(String pod, String resourceVersion, Instant informerReceipt);

        ReceiptClock INFORMER_ONLY = (pod, version, informerReceipt) -> informerReceipt;
    }

    PodTaskTracker(String deploymentId, TaskEventListener listener, Duration holdFor) {
        this(deploymentId, listener, holdFor, ReceiptClock.INFORMER_ONLY);
    }

    PodTaskTracker(String deploymentId, TaskEventListener listener, Duration holdFor, ReceiptClock receipts) {
        this.deploymentId = deploymentId;
        this.listener = Objects.requireNonNull(listener);
        this.holdFor = holdFor;
        this.receipts = Objects.requireNonNull(receipts);
    }

    /** A pod was added or changed, as the informer handed it over at {@code handedOver}. */
    void onPod(Pod pod, Instant handedOver) {
        List<TaskEvent> out = new ArrayList<>();
        synchronized (this) {
            String name = pod.getMetadata().getName();
            Instant observedAt = receipts.received(name, pod.getMetadata().getResourceVersion(), handedOver);
            TaskState task = tasks.computeIfAbsent(name, n -> new TaskState());
            if (task.last != null && task.last.terminal()) return;
            String node = pod.getSpec() == null ? null : blankToNull(pod.getSpec().getNodeName());
            if (node != null) task.node = node;
            task.podScheduledCondition = conditionTime(pod, "PodScheduled");
            for (Phase phase : phasesShown(pod)) {
                if (task.last != null && phase.compareTo(task.last) <= 0) continue;
                if (phase == Phase.SCHEDULED) task.boundVersion = pod.getMetadata().getResourceVersion();
                queue(task, name, phase, observedAt, serverTime(pod, phase), detail(pod, phase));
            }
            release(task, name, observedAt, false, out);
        }
        out.forEach(listener::onEvent);
    }

    /** A pod was deleted: a task that had not finished is lost. */
    void onPodDeleted(Pod pod, Instant handedOver) {
        List<TaskEvent> out = new ArrayList<>();
        synchronized (this) {
            String name = pod.getMetadata().getName();
            Instant observedAt = receipts.received(name, pod.getMetadata().getResourceVersion(), handedOver);
            TaskState task = tasks.computeIfAbsent(name, n -> new TaskState());
            if (task.last != null && task.last.terminal()) return;
            // The final state may show completion that the watch had not delivered yet.
            onPodLocked(task, name, pod, observedAt);
            if (task.last == null || !task.last.terminal()) {
                queue(task, name, Phase.LOST, observedAt, null, "pod deleted before it finished");
            }
            release(task, name, observedAt, true, out);
        }
        out.forEach(listener::onEvent);
    }

    private void onPodLocked(TaskState task, String name, Pod pod, Instant observedAt) {
        for (Phase phase : phasesShown(pod)) {
            if (phase == Phase.LOST) continue;
            if (task.last != null && phase.compareTo(task.last) <= 0) continue;
            if (phase == Phase.SCHEDULED) task.boundVersion = pod.getMetadata().getResourceVersion();
            queue(task, name, phase, observedAt, serverTime(pod, phase), detail(pod, phase));
        }
    }

    /** A {@code Scheduled} event of the scheduler. */
    void onScheduledEvent(Event event, Instant observedAt) {
        if (event.getInvolvedObject() == null || !"Pod".equals(event.getInvolvedObject().getKind())) return;
        Stamped server = scheduledEventTime(event);
        if (server == null) return;
        List<TaskEvent> out = new ArrayList<>();
        synchronized (this) {
            String pod = event.getInvolvedObject().getName();
            scheduledAt.putIfAbsent(pod, server);
            TaskState task = tasks.get(pod);
            if (task != null) release(task, pod, observedAt, false, out);
        }
        out.forEach(listener::onEvent);
    }

    /** Releases tasks held past their deadline (called periodically). */
    void flushDue(Instant now) {
        List<TaskEvent> out = new ArrayList<>();
        synchronized (this) {
            tasks.forEach((name, task) -> release(task, name, now, false, out));
        }
        out.forEach(listener::onEvent);
    }

    /** Releases everything still held (closing). */
    void flushAll(Instant now) {
        List<TaskEvent> out = new ArrayList<>();
        synchronized (this) {
            tasks.forEach((name, task) -> release(task, name, now, true, out));
        }
        out.forEach(listener::onEvent);
    }

    private void queue(TaskState task, String pod, Phase phase, Instant observedAt, Instant serverTime, String detail) {
        String node = phase == Phase.CREATED ? null : task.node;
        // every pod and container time is truncated to the second
        task.held.addLast(new TaskEvent(deploymentId, pod, node, phase, observedAt, serverTime, detail, ServerStamp.WHOLE_SECOND));
        task.last = phase;
        if (phase == Phase.SCHEDULED && task.holdUntil == null) task.holdUntil = observedAt.plus(holdFor);
    }

    /** Moves a task's events to {@code out} unless its SCHEDULED event is still waiting for the server time. */
    private void release(TaskState task, String pod, Instant now, boolean force, List<TaskEvent> out) {
        while (!task.held.isEmpty()) {
            TaskEvent next = task.held.peekFirst();
            if (next.phase() == Phase.SCHEDULED && next.serverTime() == null) {
                Stamped server = scheduledAt.get(pod);
                boolean due = force || (task.holdUntil != null && !now.isBefore(task.holdUntil));
                if (server == null && !due) return;
                if (server == null && task.podScheduledCondition != null) {
                    server = new Stamped(task.podScheduledCondition, ServerStamp.WHOLE_SECOND);
                }
                task.held.pollFirst();
                // asked on release, not on queueing: the lean watch may have parsed the line later
                // than the informer's handler ran, with an earlier receive stamp
                next = next.withObservedAt(receipts.received(pod, task.boundVersion, next.observedAt()));
                out.add(emit(task, server == null ? next : next.withServerTime(server.time(), server.stamp())));
                continue;
            }
            out.add(emit(task, task.held.pollFirst()));
        }
    }

    /**
     * Kubernetes stamps pod and container times to the second (truncated). Such a time can lie
     * before the previous phase's finer one (a container "started" in the second its pod was
     * bound); it is then raised to that phase's time, the earliest the server allows it to be.
     */
    private static TaskEvent emit(TaskState task, TaskEvent e) {
        Instant server = e.serverTime();
        if (server != null && e.phase() != Phase.CREATED && task.lastServerTime != null
                && server.isBefore(task.lastServerTime)) {
            server = task.lastServerTime;
            e = e.withServerTime(server, e.stamp());
        }
        if (server != null) task.lastServerTime = server;
        return e;
    }

    // --- reading pods ------------------------------------------------------------------------

    /** The phases a pod's current state shows, in order (earlier ones included). */
    static List<Phase> phasesShown(Pod pod) {
        List<Phase> phases = new ArrayList<>();
        phases.add(Phase.CREATED);
        String podPhase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        boolean bound = pod.getSpec() != null && blankToNull(pod.getSpec().getNodeName()) != null;
        boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;
        if (bound) phases.add(Phase.SCHEDULED);
        if (!bound) {
            if (deleting) phases.add(Phase.LOST);
            return phases;
        }
        if ("Pending".equals(podPhase) || podPhase == null) {
            if (pod.getStatus() != null && pod.getStatus().getStartTime() != null) phases.add(Phase.STARTED);
        } else if ("Running".equals(podPhase)) {
            phases.add(Phase.RUNNING);
        } else if ("Succeeded".equals(podPhase)) {
            phases.add(Phase.SUCCEEDED);
        } else if ("Failed".equals(podPhase)) {
            phases.add(disrupted(pod) ? Phase.LOST : Phase.FAILED);
        }
        // Being deleted (evicted from a failed node, scaled down, removed): lost from now on.
        if (deleting && !phases.get(phases.size() - 1).terminal()) phases.add(Phase.LOST);
        return phases;
    }

    /** A pod that failed because of its node or an eviction, not because of its own code. */
    static boolean disrupted(Pod pod) {
        if (pod.getStatus() == null) return false;
        // Deleted (scale-down, removal, eviction by the node lifecycle controller): the kubelet
        // reports the killed container as Failed, but the task was taken away, it did not fail.
        if (pod.getMetadata().getDeletionTimestamp() != null) return true;
        String reason = pod.getStatus().getReason();
        if ("Evicted".equals(reason) || "NodeLost".equals(reason) || "Terminated".equals(reason)) return true;
        PodCondition c = condition(pod, "DisruptionTarget");
        return c != null && "True".equals(c.getStatus());
    }

    static Instant serverTime(Pod pod, Phase phase) {
        return switch (phase) {
            case CREATED -> parse(pod.getMetadata().getCreationTimestamp());
            case SCHEDULED -> null; // from the Scheduled event, filled in on release
            case STARTED -> parse(pod.getStatus() == null ? null : pod.getStatus().getStartTime());
            case RUNNING -> latest(pod, false);
            case SUCCEEDED, FAILED -> latest(pod, true);
            case LOST -> null;
        };
    }

    private static Instant latest(Pod pod, boolean finished) {
        Instant latest = null;
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) return null;
        for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
            if (cs.getState() == null) continue;
            Instant t = null;
            if (finished) {
                ContainerStateTerminated term = cs.getState().getTerminated();
                if (term != null) t = parse(term.getFinishedAt());
            } else {
                ContainerStateRunning running = cs.getState().getRunning();
                if (running != null) t = parse(running.getStartedAt());
            }
            if (t != null && (latest == null || t.isAfter(latest))) latest = t;
        }
        return latest;
    }

    private static String detail(Pod pod, Phase phase) {
        return switch (phase) {
            case CREATED -> "pod created";
            case SCHEDULED -> "bound to " + pod.getSpec().getNodeName();
            case STARTED -> "kubelet started the pod";
            case RUNNING -> "running";
            case SUCCEEDED -> "succeeded";
            case FAILED -> failureDetail(pod);
            case LOST -> pod.getMetadata().getDeletionTimestamp() != null ? "removed: " + deletionReason(pod) : failureDetail(pod);
        };
    }

    private static String failureDetail(Pod pod) {
        StringBuilder sb = new StringBuilder(pod.getStatus().getPhase() == null ? "failed" : pod.getStatus().getPhase());
        if (pod.getStatus().getReason() != null) sb.append(": ").append(pod.getStatus().getReason());
        if (pod.getStatus().getMessage() != null) sb.append(" (").append(pod.getStatus().getMessage()).append(')');
        if (pod.getStatus().getContainerStatuses() != null) {
            for (ContainerStatus cs : pod.getStatus().getContainerStatuses()) {
                ContainerStateTerminated term = cs.getState() == null ? null : cs.getState().getTerminated();
                if (term != null && term.getExitCode() != null && term.getExitCode() != 0) {
                    sb.append("; exit code ").append(term.getExitCode());
                    if (term.getReason() != null) sb.append(" ").append(term.getReason());
                }
            }
        }
        return sb.toString();
    }

    private static String deletionReason(Pod pod) {
        PodCondition c = condition(pod, "DisruptionTarget");
        if (c != null && "True".equals(c.getStatus())) {
            return c.getReason() + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")");
        }
        return "pod deleted (scaled down or removed)";
    }

    static Stamped scheduledEventTime(Event event) {
        if (event.getEventTime() != null) {
            Instant t = parse(event.getEventTime().getTime());
            if (t != null) return new Stamped(t, ServerStamp.SUB_SECOND);
        }
        Instant first = parse(event.getFirstTimestamp());
        return first == null ? null : new Stamped(first, ServerStamp.WHOLE_SECOND);
    }

    private static PodCondition condition(Pod pod, String type) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) return null;
        for (PodCondition c : pod.getStatus().getConditions()) {
            if (type.equals(c.getType())) return c;
        }
        return null;
    }

    private static Instant conditionTime(Pod pod, String type) {
        PodCondition c = condition(pod, type);
        return c == null || !"True".equals(c.getStatus()) ? null : parse(c.getLastTransitionTime());
    }

    static Instant parse(String timestamp) {
        if (timestamp == null || timestamp.isBlank()) return null;
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
