package org.computeops.orchestrators.swarm;

import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import com.github.dockerjava.api.model.TaskStatus;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.TaskEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** How polled Swarm task states become task events (the engine part is covered by the live scenarios). */
class SwarmTaskPollerTest {

    private static Task task(String id, TaskState state, String timestamp, String node) {
        return new Task().withId(id).withNodeId(node).withCreatedAt("2026-11-25T10:00:00.000000001Z")
                .withStatus(new TaskStatus().withState(state).withTimestamp(timestamp));
    }

    @Test
    void eachPhaseOnceInOrderWithServerTimestampsAndMissedPhasesLeftOut() {
        List<List<Task>> polls = new ArrayList<>(List.of(
                List.of(task("a", TaskState.PENDING, "2026-11-25T10:00:00.1Z", "")),
                List.of(task("a", TaskState.ASSIGNED, "2026-11-25T10:00:00.2Z", "n1")),
                List.of(task("a", TaskState.ASSIGNED, "2026-11-25T10:00:00.2Z", "n1"),
                        task("b", TaskState.RUNNING, "2026-11-25T10:00:00.5Z", "n2"),
                        task("c", TaskState.ACCEPTED, "2026-11-25T10:00:00.3Z", "n2")),
                List.of(task("a", TaskState.COMPLETE, "2026-11-25T10:00:01.123456789Z", "n1"),
                        task("b", TaskState.FAILED, "2026-11-25T10:00:00.9Z", "n2"))));
        List<TaskEvent> events = new CopyOnWriteArrayList<>();
        SwarmTaskDiff diff = new SwarmTaskDiff("svc", events::add);
        for (List<Task> poll : polls) diff.apply(poll, Instant.now());
        assertThat(events).filteredOn(e -> e.taskId().equals("a")).extracting(TaskEvent::phase)
                .containsExactly(Phase.CREATED, Phase.SCHEDULED, Phase.SUCCEEDED);
        TaskEvent scheduled = events.stream().filter(e -> e.taskId().equals("a") && e.phase() == Phase.SCHEDULED).findFirst().orElseThrow();
        assertThat(scheduled.serverTime()).isEqualTo(Instant.parse("2026-11-25T10:00:00.2Z"));
        assertThat(scheduled.node()).isEqualTo("n1");
        TaskEvent done = events.stream().filter(e -> e.phase() == Phase.SUCCEEDED).findFirst().orElseThrow();
        assertThat(done.serverTime()).isEqualTo(Instant.parse("2026-11-25T10:00:01.123456789Z"));
        // b was first seen running: no SCHEDULED is invented for it
        assertThat(events).filteredOn(e -> e.taskId().equals("b")).extracting(TaskEvent::phase)
                .containsExactly(Phase.CREATED, Phase.RUNNING, Phase.FAILED);
        // c was first seen accepted: SCHEDULED is bounded by the accepted timestamp, and says so
        TaskEvent bounded = events.stream().filter(e -> e.taskId().equals("c") && e.phase() == Phase.SCHEDULED).findFirst().orElseThrow();
        assertThat(bounded.serverTime()).isEqualTo(Instant.parse("2026-11-25T10:00:00.3Z"));
        assertThat(bounded.detail()).contains("upper bound");
        assertThat(events).filteredOn(e -> e.taskId().equals("c")).extracting(TaskEvent::phase)
                .containsExactly(Phase.CREATED, Phase.SCHEDULED, Phase.STARTED);
        assertThat(events).filteredOn(e -> e.phase() == Phase.CREATED)
                .allSatisfy(e -> assertThat(e.serverTime()).isEqualTo(Instant.parse("2026-11-25T10:00:00.000000001Z")));
    }

    @Test
    void onePollListsEveryWatchedServiceAndEachGetsOnlyItsTasks() throws Exception {
        List<List<String>> asked = new CopyOnWriteArrayList<>();
        List<TaskEvent> a = new CopyOnWriteArrayList<>();
        List<TaskEvent> b = new CopyOnWriteArrayList<>();
        List<org.computeops.orchestrators.spi.ObservationGap> gaps = new CopyOnWriteArrayList<>();
        try (SwarmTaskPoller poller = new SwarmTaskPoller(ids -> {
            asked.add(List.copyOf(ids));
            return List.of(task("a1", TaskState.RUNNING, "2026-11-25T10:00:00.5Z", "n1").withServiceId("A"),
                    task("b1", TaskState.PENDING, "2026-11-25T10:00:00.5Z", "").withServiceId("B"),
                    task("c1", TaskState.PENDING, "2026-11-25T10:00:00.5Z", "").withServiceId("C"));
        }, 3_600_000, gaps)) {
            AutoCloseable subA = poller.subscribe("A", a::add);
            AutoCloseable subB = poller.subscribe("B", b::add);
            poller.poll();
            assertThat(asked.get(asked.size() - 1)).containsExactlyInAnyOrder("A", "B");
            assertThat(a).extracting(TaskEvent::taskId).containsOnly("a1");
            assertThat(a).extracting(TaskEvent::phase).containsExactly(Phase.CREATED, Phase.RUNNING);
            assertThat(b).extracting(TaskEvent::taskId).containsOnly("b1");
            subB.close();
            int before = b.size();
            poller.poll();
            assertThat(asked.get(asked.size() - 1)).containsExactly("A");
            assertThat(b).as("nothing after unsubscribing").hasSize(before);
            subA.close();
            int polls = asked.size();
            poller.poll();
            assertThat(asked).as("no call while nothing is watched").hasSize(polls);
        }
        assertThat(gaps).isEmpty();
    }

    @Test
    void oneFailureSeenByManyUnsubscribesIsOneRunOfAdjoiningGaps() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<org.computeops.orchestrators.spi.ObservationGap> gaps = new CopyOnWriteArrayList<>();
        try (SwarmTaskPoller poller = new SwarmTaskPoller(ids -> {
            if (failing.get()) throw new IllegalStateException("connection refused");
            return List.of();
        }, 3_600_000, gaps)) {
            AutoCloseable a = poller.subscribe("A", e -> { });
            AutoCloseable b = poller.subscribe("B", e -> { });
            AutoCloseable c = poller.subscribe("C", e -> { });
            poller.pollSafely();
            Thread.sleep(5);
            a.close();  // its scenario sees the gap so far
            Thread.sleep(5);
            poller.pollSafely();
            b.close();
            Thread.sleep(5);
            failing.set(false);
            poller.pollSafely();  // works again: the rest of the failure
            c.close();  // nothing open: no gap
        }
        assertThat(gaps).hasSize(3).allSatisfy(g -> assertThat(g.why()).contains("connection refused"));
        for (int i = 1; i < gaps.size(); i++) {
            assertThat(gaps.get(i).from()).as("gap %d starts where the one before ended", i).isEqualTo(gaps.get(i - 1).to());
        }
    }

    @Test
    void aServiceRemovedWhileWatchedIsLeftOutWithoutAGap() throws Exception {
        List<List<String>> asked = new CopyOnWriteArrayList<>();
        List<TaskEvent> a = new CopyOnWriteArrayList<>();
        List<org.computeops.orchestrators.spi.ObservationGap> gaps = new CopyOnWriteArrayList<>();
        try (SwarmTaskPoller poller = new SwarmTaskPoller(ids -> {
            asked.add(List.copyOf(ids));
            if (ids.contains("gone1")) {
                throw new com.github.dockerjava.api.exception.NotFoundException("Status 404: {\"message\":\"service gone1 not found\"}");
            }
            return List.of(task("a1", TaskState.RUNNING, "2026-11-25T10:00:00.5Z", "n1").withServiceId("A"));
        }, 3_600_000, gaps)) {
            poller.subscribe("A", a::add);
            poller.subscribe("gone1", e -> { });
            poller.poll();
            assertThat(a).extracting(TaskEvent::phase).containsExactly(Phase.CREATED, Phase.RUNNING);
            assertThat(asked.get(asked.size() - 1)).containsExactly("A");
            int calls = asked.size();
            poller.poll();
            assertThat(asked).as("the vanished service is not asked for again").hasSize(calls + 1);
        }
        assertThat(gaps).isEmpty();
        assertThat(SwarmTaskPoller.goneService(new RuntimeException("connection refused"))).isNull();
    }

    @Test
    void everySwarmStateMapsToAPhase() {
        for (TaskState s : TaskState.values()) assertThat(SwarmTaskDiff.phaseOf(s)).isNotNull();
        assertThat(SwarmTaskDiff.phaseOf(TaskState.REJECTED)).isEqualTo(Phase.FAILED);
        assertThat(SwarmTaskDiff.phaseOf(TaskState.ORPHANED)).isEqualTo(Phase.LOST);
    }
}
