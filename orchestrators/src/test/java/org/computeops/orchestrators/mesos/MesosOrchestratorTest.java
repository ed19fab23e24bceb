package org.computeops.orchestrators.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.ClusterInfo;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Labels;
import org.computeops.orchestrators.spi.Orchestrators;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.orchestrators.spi.Service;
import org.computeops.orchestrators.spi.TaskEvent;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The adapter against {@link FakeMesosMaster}, a protocol-level test double (no Mesos runs here):
 * each test plays one documented sequence of the v1 scheduler API.
 */
class MesosOrchestratorTest {

    static final String RUN = "run-t1";
    static final Duration WAIT = Duration.ofSeconds(5);

    FakeMesosMaster master;
    MesosOrchestrator mesos;
    final List<TaskEvent> events = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws Exception {
        master = new FakeMesosMaster();
        master.agent("agent-1", "node-a", 4, 4096, 0);
        master.agent("agent-2", "node-gpu", 8, 8192, 2);
    }

    @AfterEach
    void stop() {
        if (mesos != null) mesos.close();
        master.close();
    }

    static Map<String, String> props(String url, String... kv) {
        Map<String, String> p = new HashMap<>();
        p.put("testbed.mesos.master", url);
        p.put("testbed.mesos.backoffMinMillis", "20");
        p.put("testbed.mesos.backoffMaxMillis", "200");
        p.put("testbed.mesos.subscribeTimeoutMillis", "10000");
        p.put("testbed.mesos.callTimeoutMillis", "3000");
        p.put("testbed.mesos.connectTimeoutMillis", "1000");
        for (int i = 0; i < kv.length; i += 2) p.put(kv[i], kv[i + 1]);
        return p;
    }

    MesosOrchestrator open(String... kv) {
        mesos = (MesosOrchestrator) new MesosOrchestratorProvider().open(new AdapterSettings(RUN, props(master.url(), kv)));
        return mesos;
    }

    Deployment submitWithEvents(org.computeops.orchestrators.spi.Workload w) {
        Deployment d = mesos.submit(w);
        mesos.events(d, events::add);
        return d;
    }

    List<TaskEvent> eventsOf(String taskId) {
        synchronized (events) {
            return events.stream().filter(e -> e.taskId().equals(taskId)).toList();
        }
    }

    List<Phase> phasesOf(String taskId) {
        return eventsOf(taskId).stream().map(TaskEvent::phase).toList();
    }

    long count(Phase phase) {
        synchronized (events) {
            return events.stream().filter(e -> e.phase() == phase).count();
        }
    }

    static BatchJob job(int n, int parallel, Resources r) {
        return new BatchJob("crunch", "busybox:stable", List.of("sh", "-c", "echo hi"), n, parallel, r, Placement.ANY);
    }

    static Service service(int replicas, Resources r) {
        return new Service("web", "computeops/web:1", List.of(), replicas, 8080, r, Placement.REAL_NODES);
    }

    static List<JsonNode> taskInfos(FakeMesosMaster.Received accept) {
        List<JsonNode> out = new ArrayList<>();
        accept.body().path("accept").path("operations").forEach(op -> op.path("launch").path("task_infos").forEach(out::add));
        return out;
    }

    static double resource(JsonNode task, String name) {
        return StreamSupport.stream(task.path("resources").spliterator(), false)
                .filter(r -> r.path("name").asText().equals(name)).mapToDouble(r -> r.path("scalar").path("value").asDouble()).sum();
    }

    @AfterEach
    void noProtocolViolations() {
        assertThat(master.violations).as("calls the test double found off the documented protocol").isEmpty();
    }

    // ---- SUBSCRIBE ----

    @Test
    void subscribesWithTheDocumentedFrameworkInfoAndNoStreamId() {
        open("testbed.mesos.role", "physics", "testbed.mesos.user", "alice");
        FakeMesosMaster.Received sub = master.calls("SUBSCRIBE").get(0);
        JsonNode info = sub.body().path("subscribe").path("framework_info");
        assertThat(sub.streamIdHeader()).isNull();
        assertThat(sub.body().has("framework_id")).as("no framework_id on a first SUBSCRIBE").isFalse();
        assertThat(info.path("user").asText()).isEqualTo("alice");
        assertThat(info.path("name").asText()).isEqualTo("computeops-testbed");
        assertThat(info.path("roles")).extracting(JsonNode::asText).containsExactly("physics");
        assertThat(info.path("capabilities")).extracting(c -> c.path("type").asText())
                .contains("GPU_RESOURCES", "PARTITION_AWARE", "MULTI_ROLE");
        assertThat(info.path("failover_timeout").asDouble()).isEqualTo(60.0);
        assertThat(info.path("checkpoint").asBoolean()).isTrue();
        assertThat(info.path("labels").path("labels")).anySatisfy(l -> {
            assertThat(l.path("key").asText()).isEqualTo(Labels.RUN_ID);
            assertThat(l.path("value").asText()).isEqualTo(RUN);
        });
        assertThat(mesos.frameworkId()).isEqualTo(master.frameworkId);
        assertThat(mesos.client().streamId()).isEqualTo(master.currentStreamId());
    }

    @Test
    void providerIsRegisteredAsMesos() {
        assertThat(Orchestrators.providers()).containsKey("mesos");
        assertThat(new MesosOrchestratorProvider().name()).isEqualTo("mesos");
    }

    // ---- offers, LAUNCH, ACKNOWLEDGE ----

    @Test
    void batchJobIsLaunchedOnAMatchingOfferAndEveryUpdateWithUuidIsAcknowledged() {
        open();
        master.autoFinal = "TASK_FINISHED";
        Deployment d = submitWithEvents(job(3, 3, new Resources(1000, 128, 0)));
        master.awaitCall("REVIVE");
        String offer = master.offer("agent-1", "node-a", 4, 4096, 0, "*");

        FakeMesosMaster.Received accept = master.awaitCall("ACCEPT");
        assertThat(accept.streamIdHeader()).isEqualTo(master.currentStreamId());
        assertThat(accept.body().path("accept").path("offer_ids").get(0).path("value").asText()).isEqualTo(offer);
        assertThat(accept.body().path("accept").path("operations").get(0).path("type").asText()).isEqualTo("LAUNCH");
        assertThat(accept.body().path("accept").path("filters").path("refuse_seconds").asDouble()).isEqualTo(5.0);
        List<JsonNode> tasks = taskInfos(accept);
        assertThat(tasks).hasSize(3);
        for (JsonNode t : tasks) {
            assertThat(t.path("task_id").path("value").asText()).startsWith(RUN + ".crunch.");
            assertThat(t.path("agent_id").path("value").asText()).isEqualTo("agent-1");
            assertThat(resource(t, "cpus")).isEqualTo(1.0);
            assertThat(resource(t, "mem")).isEqualTo(128.0);
            assertThat(resource(t, "gpus")).isZero();
            assertThat(t.path("resources").get(0).path("allocation_info").path("role").asText()).isEqualTo("*");
            assertThat(t.path("container").path("type").asText()).isEqualTo("MESOS");
            assertThat(t.path("container").path("mesos").path("image").path("type").asText()).isEqualTo("DOCKER");
            assertThat(t.path("container").path("mesos").path("image").path("docker").path("name").asText()).isEqualTo("busybox:stable");
            assertThat(t.path("command").path("shell").asBoolean(true)).isFalse();
            assertThat(t.path("command").path("value").asText()).isEqualTo("sh");
            assertThat(t.path("command").path("arguments")).extracting(JsonNode::asText).containsExactly("sh", "-c", "echo hi");
            assertThat(t.path("labels").path("labels")).anySatisfy(l -> assertThat(l.path("value").asText()).isEqualTo(RUN));
        }

        await().atMost(WAIT).until(() -> count(Phase.SUCCEEDED) == 3);
        await().atMost(WAIT).until(() -> master.uuidsAcknowledged.size() == master.uuidsSent.size());
        assertThat(master.uuidsSent).hasSize(9);
        for (FakeMesosMaster.Received ack : master.calls("ACKNOWLEDGE")) {
            assertThat(ack.streamIdHeader()).isEqualTo(master.currentStreamId());
            assertThat(ack.body().path("acknowledge").path("agent_id").path("value").asText()).isEqualTo("agent-1");
        }
        String first = tasks.get(0).path("task_id").path("value").asText();
        assertThat(phasesOf(first)).containsExactly(Phase.CREATED, Phase.SCHEDULED, Phase.STARTED, Phase.RUNNING, Phase.SUCCEEDED);
        TaskEvent running = eventsOf(first).get(3);
        assertThat(running.node()).isEqualTo("node-a");
        assertThat(running.serverTime()).as("TaskStatus.timestamp is the server clock").isNotNull()
                .isBefore(Instant.parse("2026-01-01T00:00:00Z")).isAfter(Instant.parse("2025-11-01T00:00:00Z"));
        // The framework is the scheduler: SCHEDULED is stamped when its ACCEPT is issued, before the master receives it.
        TaskEvent scheduled = eventsOf(first).get(1);
        assertThat(scheduled.serverTime()).as("SCHEDULED is the framework's ACCEPT issue time").isNotNull()
                .isBeforeOrEqualTo(master.calls("ACCEPT").get(0).at()).isBeforeOrEqualTo(scheduled.observedAt());
        assertThat(d.runId()).isEqualTo(RUN);
    }

    @Test
    void masterGeneratedUpdatesWithoutUuidAreNotAcknowledged() {
        open();
        master.autoRun = false;
        submitWithEvents(job(1, 1, new Resources(500, 64, 0)));
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        String task = taskInfos(master.awaitCall("ACCEPT")).get(0).path("task_id").path("value").asText();
        master.update(task, "agent-1", "TASK_RUNNING", "SOURCE_MASTER", "REASON_RECONCILIATION", false);
        await().atMost(WAIT).until(() -> phasesOf(task).contains(Phase.RUNNING));
        assertThat(master.calls("ACKNOWLEDGE")).isEmpty();
    }

    @Test
    void offerTooSmallIsDeclinedWithFiltersAndThePendingReasonNamesTheShortResource() {
        open();
        Deployment d = submitWithEvents(job(1, 1, new Resources(1000, 256, 1)));
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        FakeMesosMaster.Received decline = master.awaitCall("DECLINE");
        assertThat(decline.body().path("decline").path("filters").path("refuse_seconds").asDouble()).isEqualTo(5.0);
        assertThat(decline.body().path("decline").path("offer_ids").get(0).path("value").asText()).isEqualTo("offer-1");
        assertThat(mesos.pendingReason(d)).get().asString().contains("gpus: need 1, offered 0").contains("node-a");
        assertThat(master.calls("ACCEPT")).isEmpty();
    }

    @Test
    void offersWithNothingPendingAreDeclinedForLonger() {
        open();
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        FakeMesosMaster.Received decline = master.awaitCall("DECLINE");
        assertThat(decline.body().path("decline").path("filters").path("refuse_seconds").asDouble()).isEqualTo(30.0);
    }

    @Test
    void gpusAreMatchedAsWholeDevicesAndSeveralTasksShareOneOffer() {
        open();
        submitWithEvents(job(3, 3, new Resources(1000, 512, 1)));
        master.offer("agent-2", "node-gpu", 8, 8192, 2.5, "*"); // 2.5 counts as 2 whole GPUs
        List<JsonNode> tasks = taskInfos(master.awaitCall("ACCEPT"));
        assertThat(tasks).hasSize(2);
        assertThat(tasks).allSatisfy(t -> assertThat(resource(t, "gpus")).isEqualTo(1.0));
        master.offer("agent-2", "node-gpu", 6, 7168, 1, "*");
        await().atMost(WAIT).until(() -> master.calls("ACCEPT").size() == 2);
        assertThat(taskInfos(master.calls("ACCEPT").get(1))).hasSize(1);
    }

    @Test
    void gpuAgentsCanBeKeptForGpuTasks() {
        open("testbed.mesos.gpuAgentsOnlyForGpuTasks", "true");
        submitWithEvents(job(1, 1, new Resources(500, 64, 0)));
        master.offer("agent-2", "node-gpu", 8, 8192, 2, "*");
        master.awaitCall("DECLINE");
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        assertThat(taskInfos(master.awaitCall("ACCEPT")).get(0).path("agent_id").path("value").asText()).isEqualTo("agent-1");
    }

    @Test
    void zeroResourceWorkloadsGetTheConfiguredMinimum() {
        open();
        submitWithEvents(job(1, 1, Resources.NONE));
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        JsonNode t = taskInfos(master.awaitCall("ACCEPT")).get(0);
        assertThat(resource(t, "cpus")).isEqualTo(0.1);
        assertThat(resource(t, "mem")).isEqualTo(32.0);
    }

    @Test
    void emptyCommandRunsTheImageEntrypoint() {
        open();
        submitWithEvents(service(1, new Resources(100, 32, 0)));
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        JsonNode cmd = taskInfos(master.awaitCall("ACCEPT")).get(0).path("command");
        assertThat(cmd.path("shell").asBoolean(true)).isFalse();
        assertThat(cmd.has("value")).isFalse();
        assertThat(cmd.has("arguments")).isFalse();
    }

    @Test
    void batchParallelismLimitsConcurrentTasks() {
        open();
        master.autoRun = false;
        submitWithEvents(job(3, 1, new Resources(500, 64, 0)));
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        List<JsonNode> first = taskInfos(master.awaitCall("ACCEPT"));
        assertThat(first).hasSize(1);
        String t0 = first.get(0).path("task_id").path("value").asText();
        master.offer("agent-1", "node-a", 3, 4000, 0, "*");
        master.awaitCall("DECLINE");
        master.update(t0, "agent-1", "TASK_FINISHED", "SOURCE_EXECUTOR", null, true);
        await().atMost(WAIT).until(() -> phasesOf(t0).contains(Phase.SUCCEEDED));
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        await().atMost(WAIT).until(() -> master.calls("ACCEPT").size() == 2);
        assertThat(taskInfos(master.calls("ACCEPT").get(1))).hasSize(1);
    }

    // ---- relaunch ----

    @Test
    void failedBatchTaskIsRelaunchedUpToTheLimit() {
        open("testbed.batch.maxRetries", "2");
        master.autoFinal = "TASK_FAILED";
        submitWithEvents(job(1, 1, new Resources(500, 64, 0)));
        for (int attempt = 0; attempt < 3; attempt++) {
            master.offer("agent-1", "node-a", 4, 4096, 0, "*");
            int n = attempt + 1;
            await().atMost(WAIT).until(() -> master.calls("ACCEPT").size() == n);
            String id = taskInfos(master.calls("ACCEPT").get(attempt)).get(0).path("task_id").path("value").asText();
            assertThat(id).isEqualTo(RUN + ".crunch.0." + attempt);
            await().atMost(WAIT).until(() -> phasesOf(id).contains(Phase.FAILED));
        }
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        await().atMost(WAIT).until(() -> master.calls("DECLINE").size() == 1);
        assertThat(master.calls("ACCEPT")).hasSize(3);
        assertThat(master.calls("DECLINE").get(0).body().path("decline").path("filters").path("refuse_seconds").asDouble()).isEqualTo(30.0);
        assertThat(count(Phase.FAILED)).isEqualTo(3);
    }

    @Test
    void serviceIsKeptAtReplicasAfterAgentLostWithTaskUnreachable() {
        open();
        Deployment d = submitWithEvents(service(2, new Resources(1000, 256, 0)));
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        List<JsonNode> launched = taskInfos(master.awaitCall("ACCEPT"));
        assertThat(launched).hasSize(2);
        await().atMost(WAIT).until(() -> count(Phase.RUNNING) == 2);

        // Agent partitioned: outstanding offer rescinded, FAILURE, master-generated TASK_UNREACHABLE (no uuid), in no fixed order.
        String stale = master.offer("agent-1", "node-a", 2, 3000, 0, "*");
        master.awaitCall("DECLINE");
        master.rescind(stale);
        master.failure("agent-1");
        for (JsonNode t : launched) {
            master.update(t.path("task_id").path("value").asText(), "agent-1", "TASK_UNREACHABLE", "SOURCE_MASTER", "REASON_AGENT_REMOVED", false);
        }
        await().atMost(WAIT).until(() -> count(Phase.LOST) == 2);
        await().atMost(WAIT).until(() -> master.calls("REVIVE").size() >= 2);
        master.offer("agent-2", "node-gpu", 8, 8192, 2, "*");
        await().atMost(WAIT).until(() -> master.calls("ACCEPT").size() == 2);
        List<JsonNode> replacements = taskInfos(master.calls("ACCEPT").get(1));
        assertThat(replacements).hasSize(2).allSatisfy(t -> {
            assertThat(t.path("agent_id").path("value").asText()).isEqualTo("agent-2");
            assertThat(t.path("task_id").path("value").asText()).endsWith(".1");
        });
        await().atMost(WAIT).until(() -> count(Phase.RUNNING) == 4);
        assertThat(mesos.rescinds()).isEqualTo(1);
        assertThat(mesos.failures()).isEqualTo(1);

        // The partitioned agent comes back with the old task running: the framework owns it and kills it.
        String old = launched.get(0).path("task_id").path("value").asText();
        master.update(old, "agent-1", "TASK_RUNNING", "SOURCE_MASTER", "REASON_AGENT_REREGISTERED", false);
        FakeMesosMaster.Received kill = master.awaitCall("KILL", b -> b.path("kill").path("task_id").path("value").asText().equals(old), WAIT);
        assertThat(kill.body().path("kill").path("agent_id").path("value").asText()).isEqualTo("agent-1");
        assertThat(phasesOf(old)).containsExactly(Phase.CREATED, Phase.SCHEDULED, Phase.STARTED, Phase.RUNNING, Phase.LOST);
        assertThat(mesos.pendingReason(d)).isEmpty();
    }

    @Test
    void serviceTaskGoneOrFailedIsReplaced() {
        open();
        submitWithEvents(service(1, new Resources(500, 64, 0)));
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        String t0 = taskInfos(master.awaitCall("ACCEPT")).get(0).path("task_id").path("value").asText();
        await().atMost(WAIT).until(() -> phasesOf(t0).contains(Phase.RUNNING));
        master.update(t0, "agent-1", "TASK_GONE", "SOURCE_MASTER", "REASON_AGENT_REMOVED_BY_OPERATOR", false);
        master.offer("agent-2", "node-gpu", 4, 4096, 0, "*");
        await().atMost(WAIT).until(() -> master.calls("ACCEPT").size() == 2);
        String t1 = taskInfos(master.calls("ACCEPT").get(1)).get(0).path("task_id").path("value").asText();
        await().atMost(WAIT).until(() -> phasesOf(t1).contains(Phase.RUNNING));
        master.update(t1, "agent-2", "TASK_FAILED", "SOURCE_EXECUTOR", "REASON_COMMAND_EXECUTOR_FAILED", true);
        master.offer("agent-2", "node-gpu", 4, 4096, 0, "*");
        await().atMost(WAIT).until(() -> master.calls("ACCEPT").size() == 3);
        assertThat(phasesOf(t0)).last().isEqualTo(Phase.LOST);
        assertThat(phasesOf(t1)).last().isEqualTo(Phase.FAILED);
    }

    @Test
    void launchOnARescindedOfferIsDroppedAndRelaunched() {
        open();
        master.dropOnAccept = true;
        submitWithEvents(job(1, 1, new Resources(500, 64, 0)));
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        String t0 = taskInfos(master.awaitCall("ACCEPT")).get(0).path("task_id").path("value").asText();
        await().atMost(WAIT).until(() -> phasesOf(t0).contains(Phase.LOST));
        assertThat(eventsOf(t0).get(eventsOf(t0).size() - 1).detail()).contains("TASK_DROPPED", "REASON_INVALID_OFFERS");
        await().atMost(WAIT).until(() -> mesos.rescinds() == 1);
        master.dropOnAccept = false;
        master.offer("agent-2", "node-gpu", 4, 4096, 0, "*");
        await().atMost(WAIT).until(() -> master.calls("ACCEPT").size() == 2);
        assertThat(taskInfos(master.calls("ACCEPT").get(1)).get(0).path("task_id").path("value").asText()).isEqualTo(RUN + ".crunch.0.1");
    }

    // ---- KILL, scale, remove, TEARDOWN ----

    @Test
    void scaleUpLaunchesAndScaleDownKillsTheNewestTasks() {
        open();
        Deployment d = submitWithEvents(service(2, new Resources(500, 64, 0)));
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        master.awaitCall("ACCEPT");
        await().atMost(WAIT).until(() -> count(Phase.RUNNING) == 2);
        mesos.scale(d, 3);
        master.offer("agent-1", "node-a", 3, 3000, 0, "*");
        await().atMost(WAIT).until(() -> master.calls("ACCEPT").size() == 2);
        await().atMost(WAIT).until(() -> count(Phase.RUNNING) == 3);
        mesos.scale(d, 1);
        await().atMost(WAIT).until(() -> master.calls("KILL").size() == 2);
        assertThat(master.calls("KILL")).extracting(c -> c.body().path("kill").path("task_id").path("value").asText())
                .containsExactlyInAnyOrder(RUN + ".web.2.0", RUN + ".web.1.0");
        await().atMost(WAIT).until(() -> count(Phase.LOST) == 2);
        assertThat(phasesOf(RUN + ".web.0.0")).last().isEqualTo(Phase.RUNNING);
        assertThat(master.calls("ACCEPT")).hasSize(2); // killed tasks are not replaced
        assertThatThrownBy(() -> mesos.scale(mesos.submit(job(1, 1, Resources.NONE)), 2)).hasMessageContaining("only services");
    }

    @Test
    void scaleDownDropsPendingSlotsFirst() {
        open();
        Deployment d = submitWithEvents(service(3, new Resources(500, 64, 0)));
        mesos.scale(d, 1);
        assertThat(count(Phase.LOST)).isEqualTo(2);
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        assertThat(taskInfos(master.awaitCall("ACCEPT"))).hasSize(1);
        assertThat(master.calls("KILL")).isEmpty();
    }

    @Test
    void removeKillsEveryTaskAndCloseTearsDown() {
        open();
        Deployment d = submitWithEvents(service(2, new Resources(500, 64, 0)));
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        await().atMost(WAIT).until(() -> count(Phase.RUNNING) == 2);
        mesos.remove(d);
        await().atMost(WAIT).until(() -> master.calls("KILL").size() == 2);
        for (FakeMesosMaster.Received k : master.calls("KILL")) {
            assertThat(k.body().path("kill").path("agent_id").path("value").asText()).isEqualTo("agent-1");
            assertThat(k.streamIdHeader()).isEqualTo(master.currentStreamId());
        }
        await().atMost(WAIT).until(() -> count(Phase.LOST) == 2);
        assertThat(master.calls("ACCEPT")).hasSize(1);
        mesos.remove(d); // idempotent
        assertThatThrownBy(() -> mesos.scale(d, 3)).hasMessageContaining("was removed");
        mesos.close();
        FakeMesosMaster.Received teardown = master.awaitCall("TEARDOWN");
        assertThat(teardown.body().path("framework_id").path("value").asText()).isEqualTo(master.frameworkId);
        mesos = null;
    }

    // ---- stream loss, heartbeats, RECONCILE, redirect ----

    @Test
    void droppedStreamIsResubscribedWithTheFrameworkIdAndReconciled() {
        open();
        submitWithEvents(service(1, new Resources(500, 64, 0)));
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        String t0 = taskInfos(master.awaitCall("ACCEPT")).get(0).path("task_id").path("value").asText();
        await().atMost(WAIT).until(() -> phasesOf(t0).contains(Phase.RUNNING));
        String firstStream = master.currentStreamId();

        master.dropStream();
        await().atMost(WAIT).until(() -> master.calls("SUBSCRIBE").size() == 2);
        JsonNode resub = master.calls("SUBSCRIBE").get(1).body();
        assertThat(resub.path("framework_id").path("value").asText()).isEqualTo(master.frameworkId);
        assertThat(resub.path("subscribe").path("framework_info").path("id").path("value").asText()).isEqualTo(master.frameworkId);
        FakeMesosMaster.Received reconcile = master.awaitCall("RECONCILE");
        await().atMost(WAIT).until(() -> master.calls("RECONCILE").size() == 2);
        assertThat(master.calls("RECONCILE").get(1).body().path("reconcile").path("tasks")).as("then implicit").isEmpty();
        assertThat(reconcile.streamIdHeader()).isNotEqualTo(firstStream).isEqualTo(master.currentStreamId());
        assertThat(reconcile.body().path("reconcile").path("tasks").get(0).path("task_id").path("value").asText()).isEqualTo(t0);
        assertThat(reconcile.body().path("reconcile").path("tasks").get(0).path("agent_id").path("value").asText()).isEqualTo("agent-1");
        await().atMost(WAIT).until(() -> mesos.client().subscriptions() == 2);
        assertThat(phasesOf(t0)).containsExactly(Phase.CREATED, Phase.SCHEDULED, Phase.STARTED, Phase.RUNNING);
    }

    @Test
    void resubscriptionBacksOffExponentiallyWhileTheMasterIsUnavailable() {
        open("testbed.mesos.backoffMinMillis", "40", "testbed.mesos.backoffMaxMillis", "160");
        master.unavailableSubscribes = 4;
        master.dropStream();
        await().atMost(WAIT).until(() -> master.calls("SUBSCRIBE").size() == 6);
        await().atMost(WAIT).until(() -> mesos.client().subscriptions() == 2);
        List<FakeMesosMaster.Received> subs = master.calls("SUBSCRIBE");
        long[] gapsMs = new long[4];
        for (int i = 0; i < 4; i++) gapsMs[i] = (subs.get(i + 2).nanos() - subs.get(i + 1).nanos()) / 1_000_000;
        // 40 ms before the first retry, then 80, 160, capped at 160; scheduling noise only adds
        assertThat(gapsMs[0]).isGreaterThanOrEqualTo(80);
        assertThat(gapsMs[1]).isGreaterThanOrEqualTo(160);
        assertThat(gapsMs[2]).isGreaterThanOrEqualTo(160);
        assertThat(gapsMs[3]).isGreaterThanOrEqualTo(160).isLessThan(1000);
    }

    @Test
    void eventsTheFrameworkDoesNotUseAreIgnored() {
        open();
        master.send(FakeMesosMaster.J.objectNode().put("type", "MESSAGE"));
        master.send(FakeMesosMaster.J.objectNode().put("type", "INVERSE_OFFERS"));
        master.send(FakeMesosMaster.J.objectNode().put("type", "UPDATE_OPERATION_STATUS"));
        master.send(FakeMesosMaster.J.objectNode().put("type", "SOMETHING_NEWER"));
        submitWithEvents(job(1, 1, new Resources(500, 64, 0)));
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        await().atMost(WAIT).until(() -> count(Phase.RUNNING) == 1);
        assertThat(mesos.client().subscriptions()).isEqualTo(1);
    }

    @Test
    void streamCutInsideARecordIsResubscribed() {
        open();
        master.dropStreamMidRecord();
        await().atMost(WAIT).until(() -> master.calls("SUBSCRIBE").size() == 2);
        await().atMost(WAIT).until(() -> mesos.client().subscriptions() == 2);
    }

    @Test
    void missedHeartbeatsMakeTheSchedulerResubscribe() {
        master.heartbeatSeconds = 0.1;
        master.sendHeartbeats = true;
        open("testbed.mesos.missedHeartbeats", "5");
        sleepMillis(1200); // heartbeats flowing: no resubscription
        assertThat(master.calls("SUBSCRIBE")).hasSize(1);
        master.sendHeartbeats = false;
        await().atMost(WAIT).until(() -> master.calls("SUBSCRIBE").size() == 2);
        assertThat(mesos.client().heartbeatIntervalSeconds()).isEqualTo(0.1);
    }

    @Test
    void strayTaskReportedByReconciliationIsKilled() {
        open();
        master.taskState.put("run-old.web.0.0", new String[]{"TASK_RUNNING", "agent-1"});
        master.dropStream();
        // no task of ours yet: only the implicit reconciliation (empty list), which reports the stray task
        FakeMesosMaster.Received reconcile = master.awaitCall("RECONCILE");
        assertThat(reconcile.body().path("reconcile").path("tasks")).isEmpty();
        FakeMesosMaster.Received kill = master.awaitCall("KILL", b -> true, WAIT);
        assertThat(kill.body().path("kill").path("task_id").path("value").asText()).isEqualTo("run-old.web.0.0");
    }

    @Test
    void followsA307ToTheLeadingMaster() throws Exception {
        try (FakeMesosMaster standby = new FakeMesosMaster()) {
            standby.redirectLocation = "//127.0.0.1:" + master.port() + "/api/v1/scheduler"; // what Mesos sends: protocol-relative
            mesos = (MesosOrchestrator) new MesosOrchestratorProvider().open(new AdapterSettings(RUN, props(standby.url())));
            assertThat(standby.calls).hasSize(1);
            assertThat(master.calls("SUBSCRIBE")).hasSize(1);
            assertThat(mesos.client().leader().port()).isEqualTo(master.port());
            submitWithEvents(job(1, 1, new Resources(500, 64, 0)));
            master.awaitCall("REVIVE");
            assertThat(standby.calls).hasSize(1);
            assertThat(mesos.describe().endpoint()).contains(":" + master.port());
        }
    }

    // ---- faults mid-scenario (issue 12, item 7): each one leaves an observation gap ----

    /** Subscribed a second time, and the gap closed: that happens when SUBSCRIBED arrives, a moment after the counter moved. */
    private void awaitResubscribed(java.time.Instant since) {
        await().atMost(WAIT).until(() -> mesos.client().subscriptions() == 2
                && mesos.observationGaps(since).stream().allMatch(g -> g.to() != null));
    }

    @Test
    void droppedStreamIsRecordedAsAnObservationGapUntilResubscribed() {
        java.time.Instant before = java.time.Instant.now();
        open();
        assertThat(mesos.observationGaps(before)).isEmpty();
        master.unavailableSubscribes = 2; // the gap lasts over two refused resubscriptions
        java.time.Instant dropped = java.time.Instant.now();
        master.dropStream();
        awaitResubscribed(before);
        java.time.Instant resubscribed = java.time.Instant.now();
        List<org.computeops.orchestrators.spi.ObservationGap> gaps = mesos.observationGaps(before);
        assertThat(gaps).hasSize(1);
        assertThat(gaps.get(0).from()).isBetween(dropped, resubscribed);
        assertThat(gaps.get(0).to()).isNotNull().isBetween(gaps.get(0).from(), resubscribed);
        assertThat(gaps.get(0).why()).contains("subscription lost").contains("resubscribed after");
        // asked about a later stretch only, the closed gap is not in it
        assertThat(mesos.observationGaps(resubscribed.plusSeconds(1))).isEmpty();
    }

    @Test
    void observationGapIsOpenWhileTheMasterRefusesResubscription() {
        java.time.Instant before = java.time.Instant.now();
        open("testbed.mesos.backoffMinMillis", "50", "testbed.mesos.backoffMaxMillis", "50");
        master.unavailableSubscribes = 1_000;
        master.dropStream();
        await().atMost(WAIT).until(() -> master.calls("SUBSCRIBE").size() >= 3);
        List<org.computeops.orchestrators.spi.ObservationGap> open = mesos.observationGaps(java.time.Instant.now());
        assertThat(open).hasSize(1);
        assertThat(open.get(0).to()).as("still open").isNull();
        assertThat(open.get(0).why()).contains("not resubscribed yet");
        master.unavailableSubscribes = 0;
        awaitResubscribed(before);
        assertThat(mesos.observationGaps(before)).singleElement().satisfies(g -> assertThat(g.to()).isNotNull());
    }

    @Test
    void missedHeartbeatsAreAGapFromTheLastEventUntilResubscribed() {
        master.heartbeatSeconds = 0.1;
        master.sendHeartbeats = true;
        java.time.Instant before = java.time.Instant.now();
        open("testbed.mesos.missedHeartbeats", "5");
        sleepMillis(600);
        assertThat(mesos.observationGaps(before)).as("heartbeats flowing").isEmpty();
        java.time.Instant silent = java.time.Instant.now();
        master.sendHeartbeats = false;
        awaitResubscribed(before);
        org.computeops.orchestrators.spi.ObservationGap gap = mesos.observationGaps(before).get(0);
        assertThat(mesos.observationGaps(before)).hasSize(1);
        // from the last heartbeat seen (at most one interval before they stopped), not from when the silence was noticed
        assertThat(gap.from()).isBetween(silent.minusMillis(250), silent.plusMillis(250));
        assertThat(java.time.Duration.between(gap.from(), gap.to()).toMillis()).as("5 heartbeats of 100 ms").isGreaterThanOrEqualTo(500);
        assertThat(gap.why()).contains("no event from the Mesos master").contains("5 heartbeats of 0.1 s");
    }

    @Test
    void streamDroppedByALeaderChangeFollowsThe307AndResubscribesAtTheNewLeader() throws Exception {
        java.time.Instant before = java.time.Instant.now();
        open();
        submitWithEvents(service(1, new Resources(500, 64, 0)));
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        String t0 = taskInfos(master.awaitCall("ACCEPT")).get(0).path("task_id").path("value").asText();
        await().atMost(WAIT).until(() -> phasesOf(t0).contains(Phase.RUNNING));
        try (FakeMesosMaster next = new FakeMesosMaster()) {
            next.agent("agent-1", "node-a", 4, 4096, 0);
            next.frameworkId = master.frameworkId;
            next.taskState.put(t0, new String[]{"TASK_RUNNING", "agent-1"});
            // the old leader steps down: it drops the stream and sends everything to the new one
            master.redirectLocation = "//127.0.0.1:" + next.port() + "/api/v1/scheduler";
            master.dropStream();
            awaitResubscribed(before);
            assertThat(mesos.client().leader().port()).isEqualTo(next.port());
            JsonNode resub = next.calls("SUBSCRIBE").get(0).body();
            assertThat(resub.path("framework_id").path("value").asText()).as("the same framework, failed over").isEqualTo(master.frameworkId);
            FakeMesosMaster.Received reconcile = next.awaitCall("RECONCILE");
            assertThat(reconcile.streamIdHeader()).isEqualTo(next.currentStreamId());
            assertThat(reconcile.body().path("reconcile").path("tasks").get(0).path("task_id").path("value").asText()).isEqualTo(t0);
            assertThat(mesos.observationGaps(before)).singleElement()
                    .satisfies(g -> assertThat(g.to()).isNotNull())
                    .satisfies(g -> assertThat(g.why()).contains("subscription lost"));
            assertThat(phasesOf(t0)).as("no task event lost or repeated").containsExactly(Phase.CREATED, Phase.SCHEDULED, Phase.STARTED, Phase.RUNNING);
            assertThat(next.violations).isEmpty();
            mesos.close();
            mesos = null;
        }
        master.redirectLocation = null;
    }

    @Test
    void redirectTargetsInEveryDocumentedForm() throws Exception {
        okhttp3.HttpUrl from = okhttp3.HttpUrl.get("http://m1:5050/api/v1/scheduler");
        assertThat(MesosSchedulerClient.redirectTarget(from, "//m2:5050/api/v1/scheduler").toString()).isEqualTo("http://m2:5050/api/v1/scheduler");
        assertThat(MesosSchedulerClient.redirectTarget(from, "m3:5050").toString()).isEqualTo("http://m3:5050/api/v1/scheduler");
        assertThat(MesosSchedulerClient.redirectTarget(from, "//m4:5050").toString()).isEqualTo("http://m4:5050/api/v1/scheduler");
        assertThat(MesosSchedulerClient.redirectTarget(from, "https://m5:5050/api/v1/scheduler").toString()).isEqualTo("https://m5:5050/api/v1/scheduler");
        assertThatThrownBy(() -> MesosSchedulerClient.redirectTarget(from, null)).hasMessageContaining("without a Location");
    }

    @Test
    void callRedirectedMidRunMovesToTheNewLeader() throws Exception {
        open();
        try (FakeMesosMaster other = new FakeMesosMaster()) {
            // The new leader only accepts calls on its own stream; here we only check where the call goes.
            master.redirectLocation = "//127.0.0.1:" + other.port() + "/api/v1/scheduler";
            assertThatThrownBy(() -> mesos.client().call(MesosCalls.revive(mesos.frameworkId()))).hasMessageContaining("403");
            assertThat(other.calls("REVIVE")).hasSize(1);
            assertThat(mesos.client().leader().port()).isEqualTo(other.port());
            other.violations.clear();
            master.redirectLocation = null;
        }
        mesos.client().close();
        mesos = null;
    }

    @Test
    void refusedAcceptKeepsTheStreamAndIsThePendingReason() {
        open();
        master.acceptStatus = 400;
        Deployment d = submitWithEvents(job(1, 1, new Resources(500, 64, 0)));
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        master.awaitCall("ACCEPT");
        await().atMost(WAIT).untilAsserted(() -> assertThat(mesos.pendingReason(d)).get().asString()
                .contains("ACCEPT refused").contains("400").contains("invalid resources"));
        assertThat(mesos.client().subscriptions()).isEqualTo(1);
        assertThat(count(Phase.SCHEDULED)).isZero();
        master.acceptStatus = 202;
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        await().atMost(WAIT).until(() -> count(Phase.RUNNING) == 1);
        assertThat(master.calls("ACCEPT")).hasSize(2);
        assertThat(taskInfos(master.calls("ACCEPT").get(1)).get(0).path("task_id").path("value").asText()).isEqualTo(RUN + ".crunch.0.0");
    }

    // ---- ERROR ----

    @Test
    void errorEventStopsTheFrameworkWithTheMastersMessage() {
        open();
        master.error("Framework is not authorized to receive offers for role 'physics'");
        await().atMost(WAIT).untilAsserted(() -> assertThatThrownBy(() -> mesos.submit(job(1, 1, Resources.NONE)))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("ERROR").hasMessageContaining("not authorized to receive offers for role 'physics'"));
        sleepMillis(300);
        assertThat(master.calls("SUBSCRIBE")).as("no resubscription after ERROR").hasSize(1);
    }

    // ---- describe, capabilities, validate, leftovers ----

    @Test
    void describeUsesTheOperatorApi() {
        open();
        ClusterInfo info = mesos.describe();
        assertThat(info.orchestrator()).isEqualTo("mesos");
        assertThat(info.version()).isEqualTo("Mesos 1.11.0");
        assertThat(info.nodes()).hasSize(2);
        assertThat(info.nodes().get(1).gpus()).isEqualTo(2);
        assertThat(info.nodes().get(1).cpuMillis()).isEqualTo(8000);
        assertThat(info.nodes().get(1).memoryMiB()).isEqualTo(8192);
        assertThat(info.totalGpus()).isEqualTo(2);
        assertThat(mesos.capabilities()).containsExactlyInAnyOrder(Capability.BATCH, Capability.SERVICE, Capability.SCALE, Capability.GPU);
        master.agents.remove(1);
        assertThat(mesos.capabilities()).doesNotContain(Capability.GPU);
    }

    @Test
    void validateRejectsWhatNoAgentCanEverHold() {
        open();
        mesos.validate(job(1, 1, new Resources(1000, 512, 2)));
        assertThatThrownBy(() -> mesos.validate(job(1, 1, new Resources(1000, 512, 3))))
                .hasMessageContaining("3 GPU(s) per task but the largest agent has 2");
        assertThatThrownBy(() -> mesos.validate(job(1, 1, new Resources(16000, 512, 0))))
                .hasMessageContaining("no Mesos agent has cpus 16");
        assertThatThrownBy(() -> mesos.submit(new BatchJob("sim", "x", List.of(), 1, 1, Resources.NONE, Placement.SIMULATED_NODES)))
                .hasMessageContaining("simulated nodes");
        assertThatThrownBy(() -> mesos.validate(new BatchJob("sim", "x", List.of(), 1, 1, Resources.NONE, Placement.SIMULATED_NODES)))
                .hasMessageContaining("simulated nodes");
        assertThatThrownBy(() -> mesos.submit(job(1, 1, new Resources(1000, 512, 3)))).hasMessageContaining("3 GPU(s)");
        master.agents.clear();
        assertThatThrownBy(() -> mesos.validate(job(1, 1, Resources.NONE))).hasMessageContaining("no active agent");
        assertThatThrownBy(() -> mesos.submit(job(1, 1, Resources.NONE))).hasMessageContaining("no active agent");
    }

    @Test
    void removeLeftoversTearsDownFrameworksOfOtherRuns() {
        open();
        master.framework("old-1", "computeops-testbed", "run-old");
        master.framework("mine", "computeops-testbed", RUN);
        master.framework("other", "marathon", "run-old");
        assertThat(mesos.removeLeftovers()).isEqualTo(1);
        assertThat(master.teardownRequests).containsExactly("frameworkId=old-1");
    }

    @Test
    void faultsAreUnsupportedWithAReason() {
        open();
        assertThatThrownBy(() -> mesos.faults().stopNode("agent-1")).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("Mesos");
        assertThat(mesos.faults().failureDetectionSettings()).isEmpty();
    }

    @Test
    void eventsReplayWhatHappenedBeforeTheListenerAndStopWhenClosed() throws Exception {
        open();
        Deployment d = mesos.submit(job(2, 2, new Resources(500, 64, 0)));
        List<TaskEvent> got = java.util.Collections.synchronizedList(new ArrayList<>());
        AutoCloseable handle = mesos.events(d, got::add);
        assertThat(got).hasSize(2).allSatisfy(e -> assertThat(e.phase()).isEqualTo(Phase.CREATED));
        handle.close();
        master.offer("agent-1", "node-a", 4, 4096, 0, "*");
        master.awaitCall("ACCEPT");
        sleepMillis(200);
        assertThat(got).hasSize(2);
        assertThatThrownBy(() -> mesos.events(new Deployment("nope", RUN, d.workload(), Instant.now(), Instant.now()), e -> { }))
                .hasMessageContaining("unknown Mesos deployment");
    }

    static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
