package org.computeops.orchestrators.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.TaskEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.computeops.orchestrators.slurm.SlurmJobsTest.json;

/** Job records shaped as slurmrestd v0.0.38 gives them (fields the tracker reads). */
class SlurmJobTrackerTest {

    private static final Instant T0 = Instant.parse("2026-11-29T04:00:00.123Z");

    private final SlurmJobTracker tracker = new SlurmJobTracker("13", j -> j.path("array_job_id").asLong() == 13);

    static String job(long jobId, long arrayJobId, Integer index, String pending, String state, String node, int restart,
                      long submit, long start, long end) {
        return "{\"job_id\":" + jobId + ",\"array_job_id\":" + arrayJobId + ",\"array_task_id\":" + index
                + ",\"array_task_string\":\"" + pending + "\",\"job_state\":\"" + state + "\",\"batch_host\":\"" + node
                + "\",\"nodes\":\"" + node + "\",\"restart_cnt\":" + restart + ",\"submit_time\":" + submit + ",\"start_time\":"
                + start + ",\"end_time\":" + end + ",\"exit_code\":0,\"state_reason\":\"None\"}";
    }

    private List<TaskEvent> poll(Instant at, String... jobs) throws Exception {
        return tracker.update(json("[" + String.join(",", jobs) + "]"), at);
    }

    @Test
    void pendingArrayElementsAreTasksBeforeSlurmSplitsThemOff() throws Exception {
        List<TaskEvent> events = poll(T0, job(13, 13, null, "0-2", "PENDING", "", 0, 100, 0, 0));
        assertThat(events).extracting(TaskEvent::taskId).containsExactly("13_0", "13_1", "13_2");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.phase()).isEqualTo(Phase.CREATED);
            assertThat(e.serverTime()).isEqualTo(Instant.ofEpochSecond(100));
            assertThat(e.observedAt()).isEqualTo(T0);
            assertThat(e.node()).isNull();
        });
    }

    @Test
    void runningGivesScheduledAndRunningOnceThenTheEnd() throws Exception {
        poll(T0, job(13, 13, null, "0-1", "PENDING", "", 0, 100, 0, 0));
        Instant t1 = T0.plusMillis(500);
        List<TaskEvent> running = poll(t1, job(14, 13, 0, "", "RUNNING", "co-sl1", 0, 100, 101, 0),
                job(13, 13, null, "1", "PENDING", "", 0, 100, 0, 0));
        assertThat(running).extracting(TaskEvent::taskId, TaskEvent::phase)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("13_0", Phase.SCHEDULED), org.assertj.core.groups.Tuple.tuple("13_0", Phase.RUNNING));
        assertThat(running).allSatisfy(e -> {
            assertThat(e.node()).isEqualTo("co-sl1");
            assertThat(e.serverTime()).isEqualTo(Instant.ofEpochSecond(101));
            assertThat(e.observedAt()).isEqualTo(t1);
        });
        // the same state again says nothing new
        assertThat(poll(t1.plusMillis(100), job(14, 13, 0, "", "RUNNING", "co-sl1", 0, 100, 101, 0))).isEmpty();
        List<TaskEvent> done = poll(t1.plusMillis(200), job(14, 13, 0, "", "COMPLETED", "co-sl1", 0, 100, 101, 103));
        assertThat(done).singleElement().satisfies(e -> {
            assertThat(e.phase()).isEqualTo(Phase.SUCCEEDED);
            assertThat(e.serverTime()).isEqualTo(Instant.ofEpochSecond(103));
            assertThat(e.detail()).contains("COMPLETED").contains("exit code 0");
        });
        assertThat(poll(t1.plusMillis(300), job(14, 13, 0, "", "COMPLETED", "co-sl1", 0, 100, 101, 103))).isEmpty();
    }

    @Test
    void aJobThatRanBetweenTwoPollsHasNoInventedStart() throws Exception {
        List<TaskEvent> events = poll(T0, job(13, 13, 0, "", "COMPLETED", "co-sl2", 0, 100, 100, 100));
        assertThat(events).extracting(TaskEvent::phase).containsExactly(Phase.CREATED, Phase.SUCCEEDED);
        assertThat(events.get(1).detail()).contains("ran between two polls");
    }

    @Test
    void completingWaitsForTheFinalState() throws Exception {
        poll(T0, job(14, 13, 0, "", "RUNNING", "co-sl1", 0, 100, 101, 0));
        assertThat(poll(T0.plusMillis(100), job(14, 13, 0, "", "COMPLETING", "co-sl1", 0, 100, 101, 102))).isEmpty();
        assertThat(poll(T0.plusMillis(200), job(14, 13, 0, "", "FAILED", "co-sl1", 0, 100, 101, 102)))
                .extracting(TaskEvent::phase).containsExactly(Phase.FAILED);
    }

    @Test
    void aRequeuedJobLosesItsFirstIncarnationAndStartsAsANewTask() throws Exception {
        poll(T0, job(14, 13, 0, "", "RUNNING", "co-sl2", 0, 100, 101, 0));
        List<TaskEvent> requeued = poll(T0.plusSeconds(30), job(14, 13, 0, "", "PENDING", "", 1, 130, 0, 0));
        assertThat(requeued).extracting(TaskEvent::taskId, TaskEvent::phase).containsExactly(
                org.assertj.core.groups.Tuple.tuple("13_0", Phase.LOST), org.assertj.core.groups.Tuple.tuple("13_0.r1", Phase.CREATED));
        assertThat(requeued.get(0).node()).as("the node the lost incarnation ran on").isEqualTo("co-sl2");
        assertThat(requeued.get(0).detail()).contains("requeued").contains("restart 1");
        List<TaskEvent> rerun = poll(T0.plusSeconds(31), job(14, 13, 0, "", "RUNNING", "co-sl1", 1, 130, 131, 0));
        assertThat(rerun).extracting(TaskEvent::taskId).containsOnly("13_0.r1");
        assertThat(rerun).extracting(TaskEvent::node).containsOnly("co-sl1");
    }

    @Test
    void cancelledPendingElementsAreLost() throws Exception {
        poll(T0, job(13, 13, null, "2-3", "PENDING", "", 0, 100, 0, 0));
        assertThat(poll(T0.plusSeconds(1), job(13, 13, null, "2-3", "CANCELLED", "", 0, 100, 101, 101)))
                .extracting(TaskEvent::taskId, TaskEvent::phase).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("13_2", Phase.LOST), org.assertj.core.groups.Tuple.tuple("13_3", Phase.LOST));
    }

    @Test
    void otherDeploymentsJobsAreIgnoredAndPlainJobsUseTheirJobId() throws Exception {
        assertThat(poll(T0, job(20, 20, 0, "", "RUNNING", "co-sl1", 0, 1, 2, 0))).isEmpty();
        SlurmJobTracker plain = new SlurmJobTracker("30+1", j -> j.path("job_id").asLong() == 30 || j.path("job_id").asLong() == 31);
        List<TaskEvent> events = plain.update(json("[" + job(30, 0, null, "", "PENDING", "", 0, 1, 0, 0) + ","
                + job(31, 0, null, "", "PENDING", "", 0, 1, 0, 0) + "]"), T0);
        assertThat(events).extracting(TaskEvent::taskId).containsExactly("30", "31");
        assertThat(plain.known()).isEqualTo(2);
    }

    @Test
    void theWaitStatusIsReadAsExitCodeOrSignal() {
        assertThat(SlurmJobTracker.exitStatus(768)).isEqualTo(", exit code 3");
        assertThat(SlurmJobTracker.exitStatus(9)).isEqualTo(", killed by signal 9");
        assertThat(SlurmJobTracker.exitStatus(0)).isEqualTo(", exit code 0");
    }
}
