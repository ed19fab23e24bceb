package org.computeops.orchestrators.kubernetes;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.TaskEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Pod watch + Scheduled events to task events, on both clocks, without a server. */
class PodTaskTrackerTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00.200Z");
    private final List<TaskEvent> events = new ArrayList<>();
    private final PodTaskTracker tracker = new PodTaskTracker("job/burst", events::add, Duration.ofSeconds(2));

    private static PodBuilder pod(String name) {
        return new PodBuilder().withNewMetadata().withName(name).withCreationTimestamp("2026-11-25T10:00:00Z").endMetadata()
                .withNewSpec().endSpec().withNewStatus().withPhase("Pending").endStatus();
    }

    private static Pod bound(String name, String phase) {
        return pod(name).editSpec().withNodeName("kwok-cpu-1").endSpec()
                .editStatus().withPhase(phase)
                .addNewCondition().withType("PodScheduled").withStatus("True").withLastTransitionTime("2026-11-25T10:00:00Z").endCondition()
                .endStatus().build();
    }

    private static Pod running(String name, String startedAt) {
        return new PodBuilder(bound(name, "Running")).editStatus().addNewContainerStatus().withName("task")
                .withNewState().withNewRunning().withStartedAt(startedAt).endRunning().endState().endContainerStatus()
                .endStatus().build();
    }

    private static Pod succeeded(String name, String finishedAt) {
        return new PodBuilder(bound(name, "Succeeded")).editStatus().addNewContainerStatus().withName("task")
                .withNewState().withNewTerminated().withExitCode(0).withStartedAt("2026-11-25T10:00:01Z").withFinishedAt(finishedAt)
                .endTerminated().endState().endContainerStatus().endStatus().build();
    }

    private static Event scheduled(String pod, String eventTime) {
        return new EventBuilder().withReason("Scheduled").withNewInvolvedObject().withKind("Pod").withName(pod).endInvolvedObject()
                .withEventTime(new MicroTime(eventTime)).build();
    }

    private List<Phase> phases() {
        return events.stream().map(TaskEvent::phase).toList();
    }

    @Test
    void scheduledCarriesTheSchedulersMicrosecondEventTimeEvenWhenTheEventComesLate() {
        tracker.onPod(pod("p1").build(), T0);
        tracker.onPod(bound("p1", "Pending"), T0.plusMillis(30));
        tracker.onPod(running("p1", "2026-11-25T10:00:01Z"), T0.plusMillis(900));
        // Held: SCHEDULED waits for the Scheduled event, RUNNING waits behind it.
        assertThat(phases()).containsExactly(Phase.CREATED);

        tracker.onScheduledEvent(scheduled("p1", "2026-11-25T10:00:00.215123Z"), T0.plusMillis(950));
        assertThat(phases()).containsExactly(Phase.CREATED, Phase.SCHEDULED, Phase.RUNNING);
        TaskEvent sched = events.get(1);
        assertThat(sched.serverTime()).isEqualTo(Instant.parse("2026-11-25T10:00:00.215123Z"));
        assertThat(sched.observedAt()).as("client clock: when the watch showed the binding").isEqualTo(T0.plusMillis(30));
        assertThat(sched.node()).isEqualTo("kwok-cpu-1");
        assertThat(events.get(0).node()).isNull();
        assertThat(events.get(0).serverTime()).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(events.get(2).serverTime()).isEqualTo(Instant.parse("2026-11-25T10:00:01Z"));
        assertThat(events.get(2).observedAt()).isEqualTo(T0.plusMillis(900));

        tracker.onPod(succeeded("p1", "2026-11-25T10:00:03Z"), T0.plusMillis(3000));
        tracker.onPod(succeeded("p1", "2026-11-25T10:00:03Z"), T0.plusMillis(3100));
        assertThat(phases()).containsExactly(Phase.CREATED, Phase.SCHEDULED, Phase.RUNNING, Phase.SUCCEEDED);
        assertThat(events.get(3).serverTime()).isEqualTo(Instant.parse("2026-11-25T10:00:03Z"));
    }

    @Test
    void eachChangeIsObservedAtTheEarlierOfTheLeanWatchAndTheInformer() {
        // the lean watch received p1's versions 1 and 2 at +10 and +40; the informer handed them over at +250 and +300
        List<TaskEvent> seen = new ArrayList<>();
        PodTaskTracker withLean = new PodTaskTracker("job/burst", seen::add, Duration.ofSeconds(2),
                (pod, version, informer) -> !"p1".equals(pod) ? informer
                        : "1".equals(version) ? T0.plusMillis(10) : "2".equals(version) ? T0.plusMillis(40) : informer);
        withLean.onPod(new PodBuilder(pod("p1").build()).editMetadata().withResourceVersion("1").endMetadata().build(), T0.plusMillis(250));
        withLean.onPod(new PodBuilder(bound("p1", "Pending")).editMetadata().withResourceVersion("2").endMetadata().build(), T0.plusMillis(300));
        withLean.onPod(new PodBuilder(bound("p2", "Pending")).editMetadata().withResourceVersion("3").endMetadata().build(), T0.plusMillis(310));
        withLean.onScheduledEvent(scheduled("p1", "2026-11-25T10:00:00.215123Z"), T0.plusMillis(400));
        withLean.onScheduledEvent(scheduled("p2", "2026-11-25T10:00:00.216000Z"), T0.plusMillis(400));
        assertThat(seen).filteredOn(e -> e.taskId().equals("p1")).extracting(TaskEvent::observedAt)
                .as("CREATED and SCHEDULED of p1 when the lean watch received them")
                .containsExactly(T0.plusMillis(10), T0.plusMillis(40));
        assertThat(seen).filteredOn(e -> e.taskId().equals("p2")).extracting(TaskEvent::observedAt)
                .as("a version the lean watch had not read: the informer's hand-over")
                .containsExactly(T0.plusMillis(310), T0.plusMillis(310));
    }

    @Test
    void anEarlyScheduledEventIsKeptUntilItsPodShowsUp() {
        tracker.onScheduledEvent(scheduled("p2", "2026-11-25T10:00:00.300000Z"), T0);
        tracker.onPod(bound("p2", "Pending"), T0.plusMillis(10));
        assertThat(phases()).containsExactly(Phase.CREATED, Phase.SCHEDULED);
        assertThat(events.get(1).serverTime()).isEqualTo(Instant.parse("2026-11-25T10:00:00.300Z"));
    }

    @Test
    void withoutAScheduledEventThePodScheduledConditionIsUsedAfterTheHold() {
        tracker.onPod(bound("p3", "Pending"), T0);
        tracker.flushDue(T0.plusMillis(1000));
        assertThat(phases()).containsExactly(Phase.CREATED);
        tracker.flushDue(T0.plusMillis(2000));
        assertThat(phases()).containsExactly(Phase.CREATED, Phase.SCHEDULED);
        assertThat(events.get(1).serverTime()).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
    }

    @Test
    void secondResolutionTimesNeverPrecedeThePreviousPhase() {
        tracker.onScheduledEvent(scheduled("p4", "2026-11-25T10:00:00.400000Z"), T0);
        tracker.onPod(running("p4", "2026-11-25T10:00:00Z"), T0.plusMillis(500));
        assertThat(phases()).containsExactly(Phase.CREATED, Phase.SCHEDULED, Phase.RUNNING);
        assertThat(events.get(2).serverTime()).as("truncated startedAt raised to the binding time")
                .isEqualTo(Instant.parse("2026-11-25T10:00:00.400Z"));
    }

    @Test
    void aPodDeletedBeforeFinishingIsLostAndAKilledReplicaIsNotAFailure() {
        tracker.onScheduledEvent(scheduled("p5", "2026-11-25T10:00:00.400000Z"), T0);
        tracker.onPod(running("p5", "2026-11-25T10:00:01Z"), T0);
        Pod killed = new PodBuilder(running("p5", "2026-11-25T10:00:01Z")).editMetadata()
                .withDeletionTimestamp("2026-11-25T10:00:09Z").endMetadata().editStatus().withPhase("Failed").endStatus().build();
        tracker.onPod(killed, T0.plusSeconds(9));
        assertThat(phases()).containsExactly(Phase.CREATED, Phase.SCHEDULED, Phase.RUNNING, Phase.LOST);
        assertThat(events.get(3).detail()).contains("removed");
        tracker.onPodDeleted(killed, T0.plusSeconds(10));
        assertThat(phases()).hasSize(4);

        tracker.onScheduledEvent(scheduled("p6", "2026-11-25T10:00:00.400000Z"), T0);
        tracker.onPod(running("p6", "2026-11-25T10:00:01Z"), T0);
        tracker.onPodDeleted(running("p6", "2026-11-25T10:00:01Z"), T0.plusSeconds(5));
        assertThat(events).filteredOn(e -> e.taskId().equals("p6")).extracting(TaskEvent::phase).last().isEqualTo(Phase.LOST);
    }

    @Test
    void aRunningPodBeingEvictedIsLostAtOnce() {
        tracker.onScheduledEvent(scheduled("p8", "2026-11-25T10:00:00.400000Z"), T0);
        tracker.onPod(running("p8", "2026-11-25T10:00:01Z"), T0);
        Pod evicted = new PodBuilder(running("p8", "2026-11-25T10:00:01Z")).editMetadata()
                .withDeletionTimestamp("2026-11-25T10:00:20Z").endMetadata().editStatus()
                .addNewCondition().withType("DisruptionTarget").withStatus("True").withReason("DeletionByTaintManager").endCondition()
                .endStatus().build();
        tracker.onPod(evicted, T0.plusSeconds(20));
        assertThat(phases()).containsExactly(Phase.CREATED, Phase.SCHEDULED, Phase.RUNNING, Phase.LOST);
        assertThat(events.get(3).observedAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(events.get(3).detail()).contains("DeletionByTaintManager");
    }

    @Test
    void aFailedContainerIsAFailureWithItsExitCode() {
        Pod failed = new PodBuilder(bound("p7", "Failed")).editStatus().addNewContainerStatus().withName("task")
                .withNewState().withNewTerminated().withExitCode(3).withReason("Error").withFinishedAt("2026-11-25T10:00:02Z")
                .endTerminated().endState().endContainerStatus().endStatus().build();
        tracker.onScheduledEvent(scheduled("p7", "2026-11-25T10:00:00.400000Z"), T0);
        tracker.onPod(failed, T0);
        assertThat(phases()).containsExactly(Phase.CREATED, Phase.SCHEDULED, Phase.FAILED);
        assertThat(events.get(2).detail()).contains("exit code 3");
        tracker.onPodDeleted(failed, T0.plusSeconds(1));
        assertThat(phases()).hasSize(3);
    }

    @Test
    void bufferingListenerReplaysInOrderThenStreams() {
        NamespaceWatch.BufferingListener buffer = new NamespaceWatch.BufferingListener();
        TaskEvent a = new TaskEvent("d", "t", null, Phase.CREATED, T0, null, "");
        TaskEvent b = new TaskEvent("d", "t", "n", Phase.SCHEDULED, T0, null, "");
        buffer.onEvent(a);
        List<TaskEvent> got = new ArrayList<>();
        buffer.attach(got::add);
        buffer.onEvent(b);
        assertThat(got).containsExactly(a, b);
        buffer.detach();
        buffer.onEvent(a);
        assertThat(got).hasSize(2);
    }
}
