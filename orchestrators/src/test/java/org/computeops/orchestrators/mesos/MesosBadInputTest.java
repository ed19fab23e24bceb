package org.computeops.orchestrators.mesos;

import com.sun.net.httpserver.HttpServer;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.orchestrators.spi.TaskEvent;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Masters that are missing, not Mesos, refuse us, or never offer what a workload needs. */
class MesosBadInputTest {

    static MesosOrchestrator open(String url, String... kv) {
        return (MesosOrchestrator) new MesosOrchestratorProvider().open(new AdapterSettings("run-bad", MesosOrchestratorTest.props(url, kv)));
    }

    /** A web server that is not a Mesos master. */
    static HttpServer notMesos(int status, String contentType, String body) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", contentType);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        return server;
    }

    @Test
    void unreachableMasterNamesTheUrlAndTheSetting() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        assertThatThrownBy(() -> open(url))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("unreachable").hasMessageContaining(url).hasMessageContaining("testbed.mesos.master");
    }

    @Test
    void unknownHostIsUnreachable() {
        assertThatThrownBy(() -> open("http://no-such-mesos-master.invalid:5050"))
                .hasMessageContaining("unreachable").hasMessageContaining("no-such-mesos-master.invalid");
    }

    @Test
    void missingMasterSettingSaysWhatToSet() {
        assertThatThrownBy(() -> new MesosOrchestratorProvider().open(new AdapterSettings("run-bad", Map.of())))
                .isInstanceOf(AdapterException.class).hasMessageContaining("testbed.mesos.master is not set");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mesos-master:5050", "http://mesos-master:5050/some/path?x=1"})
    void masterUrlIsNormalised(String raw) {
        assertThat(MesosSettings.parseMaster(raw).toString()).isEqualTo("http://mesos-master:5050/");
    }

    @Test
    void badMasterUrlAndBadNumbersAreRejected() {
        assertThatThrownBy(() -> MesosSettings.parseMaster("http://")).hasMessageContaining("must be a URL");
        assertThatThrownBy(() -> open("http://127.0.0.1:1", "testbed.mesos.offerTimeoutMillis", "-5"))
                .hasMessageContaining("testbed.mesos.offerTimeoutMillis must be a whole number from 1 to 2147483647");
    }

    @Test
    void htmlPageIsNotAMesosMaster() throws IOException {
        HttpServer web = notMesos(200, "text/html", "<html><body>Welcome to nginx!</body></html>");
        try {
            String url = "http://127.0.0.1:" + web.getAddress().getPort();
            assertThatThrownBy(() -> open(url))
                    .isInstanceOf(AdapterException.class)
                    .hasMessageContaining("does not answer like a Mesos master").hasMessageContaining("text/html")
                    .hasMessageContaining("testbed.mesos.master").hasMessageContaining("Welcome to nginx");
        } finally {
            web.stop(0);
        }
    }

    @Test
    void notFoundOnTheSchedulerEndpointIsNotAMesosMaster() throws IOException {
        HttpServer web = notMesos(404, "application/json", "{\"error\":\"no route\"}");
        try {
            assertThatThrownBy(() -> open("http://127.0.0.1:" + web.getAddress().getPort()))
                    .hasMessageContaining("does not answer like a Mesos master").hasMessageContaining("404");
        } finally {
            web.stop(0);
        }
    }

    @Test
    void jsonWithoutRecordIoIsNotAMesosStream() throws IOException {
        HttpServer web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.getResponseHeaders().add("Mesos-Stream-Id", "x");
            byte[] b = "{\"type\":\"SUBSCRIBED\"}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        web.start();
        try {
            assertThatThrownBy(() -> open("http://127.0.0.1:" + web.getAddress().getPort()))
                    .hasMessageContaining("does not stream Mesos events").hasMessageContaining("expected a decimal length");
        } finally {
            web.stop(0);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 1})
    void recordIoFramingOffByOneByteFailsTheSubscription(int offset) throws IOException {
        try (FakeMesosMaster master = new FakeMesosMaster()) {
            master.framingOffset = offset;
            master.sendHeartbeats = true; // a real master keeps writing; +1 waits for the next byte
            assertThatThrownBy(() -> open(master.url()))
                    .isInstanceOf(AdapterException.class).hasMessageContaining("does not stream Mesos events");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64})
    void eventsSplitIntoSmallHttpChunksStillParse(int chunkSize) throws IOException {
        try (FakeMesosMaster master = new FakeMesosMaster()) {
            master.chunkSize = chunkSize;
            master.agent("agent-1", "node-a", 1, 128, 0);
            MesosOrchestrator mesos = open(master.url());
            try {
                List<TaskEvent> events = Collections.synchronizedList(new ArrayList<>());
                Deployment d = mesos.submit(new BatchJob("split", "busybox", List.of("true"), 1, 1, new Resources(100, 32, 0), Placement.ANY));
                mesos.events(d, events::add);
                master.offer("agent-1", "node-a", 1, 128, 0, "*");
                await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(e -> e.phase() == Phase.RUNNING));
                assertThat(master.violations).isEmpty();
            } finally {
                mesos.close();
            }
        }
    }

    @Test
    void severalEventsInOneChunkAreAllHandled() throws IOException {
        try (FakeMesosMaster master = new FakeMesosMaster()) {
            master.autoRun = false;
            master.operatorStatus = 401; // submit goes on without the agent check
            MesosOrchestrator mesos = open(master.url());
            try {
                List<TaskEvent> events = Collections.synchronizedList(new ArrayList<>());
                Deployment d = mesos.submit(new BatchJob("merged", "busybox", List.of("true"), 1, 1, new Resources(100, 32, 0), Placement.ANY));
                mesos.events(d, events::add);
                master.offer("agent-1", "node-a", 1, 128, 0, "*");
                String task = MesosOrchestratorTest.taskInfos(master.awaitCall("ACCEPT")).get(0).path("task_id").path("value").asText();
                var hb = FakeMesosMaster.J.objectNode().put("type", "HEARTBEAT");
                var running = FakeMesosMaster.J.objectNode().put("type", "UPDATE");
                var st = running.putObject("update").putObject("status");
                st.set("task_id", FakeMesosMaster.id(task));
                st.put("state", "TASK_RUNNING").put("timestamp", 1764000000.25);
                var finished = running.deepCopy();
                ((com.fasterxml.jackson.databind.node.ObjectNode) finished.path("update").path("status")).put("state", "TASK_FINISHED");
                master.sendMerged(hb, running, hb, finished);
                await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(e -> e.phase() == Phase.SUCCEEDED));
                TaskEvent run = events.stream().filter(e -> e.phase() == Phase.RUNNING).findFirst().orElseThrow();
                assertThat(run.serverTime()).isEqualTo(java.time.Instant.parse("2025-11-24T16:00:00.250Z"));
                assertThatThrownBy(mesos::describe).hasMessageContaining("operator API").hasMessageContaining("401");
            } finally {
                mesos.close();
            }
        }
    }

    @Test
    void refusedSubscriptionSaysWhy() throws IOException {
        try (FakeMesosMaster master = new FakeMesosMaster()) {
            master.subscribeRefusal = "Framework is not authorized to subscribe with role 'physics'";
            assertThatThrownBy(() -> open(master.url(), "testbed.mesos.role", "physics"))
                    .hasMessageContaining("refused SUBSCRIBE (403)").hasMessageContaining("not authorized")
                    .hasMessageContaining("testbed.mesos.role");
        }
    }

    @Test
    void aJobInAPriorityClassIsRefusedWithTheReasonAndNothingIsQueued() throws IOException {
        try (FakeMesosMaster master = new FakeMesosMaster()) {
            master.agent("agent-gpu", "node-gpu", 8, 8192, 2);
            MesosOrchestrator mesos = open(master.url());
            try {
                assertThat(mesos.capabilities()).doesNotContain(org.computeops.orchestrators.spi.Capability.PRIORITY_CLASSES);
                assertThat(mesos.whyLacking(org.computeops.orchestrators.spi.Capability.PRIORITY_CLASSES)).get().asString()
                        .contains("the framework's own");
                BatchJob high = new BatchJob("urgent", "busybox", List.of("true"), 2, 2, new Resources(100, 32, 1), Placement.ANY,
                        org.computeops.orchestrators.spi.Priority.HIGH);
                assertThatThrownBy(() -> mesos.submit(high)).isInstanceOf(org.computeops.orchestrators.spi.AdapterException.class)
                        .hasMessageContaining("workload 'urgent' asks for priority class HIGH: Mesos has no priority classes");
            } finally {
                mesos.close();
            }
        }
    }

    @Test
    void roleWithoutOffersReportsPendingThenTimesOutCleanly() throws IOException {
        try (FakeMesosMaster master = new FakeMesosMaster()) {
            master.agent("agent-gpu", "node-gpu", 8, 8192, 2); // has GPUs, but nothing for this role
            MesosOrchestrator mesos = open(master.url(), "testbed.mesos.role", "gpu-users", "testbed.mesos.offerTimeoutMillis", "600");
            try {
                List<TaskEvent> events = Collections.synchronizedList(new ArrayList<>());
                Deployment d = mesos.submit(new BatchJob("starved", "busybox", List.of("true"), 2, 2, new Resources(100, 32, 1), Placement.ANY));
                mesos.events(d, events::add);
                assertThat(mesos.pendingReason(d)).get().asString().contains("no offers at all for role 'gpu-users'").contains("testbed.mesos.role");
                await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().filter(e -> e.phase() == Phase.FAILED).count() == 2);
                assertThat(events.stream().filter(e -> e.phase() == Phase.FAILED)).allSatisfy(e ->
                        assertThat(e.detail()).contains("not scheduled within 600 ms").contains("no offers at all for role 'gpu-users'"));
                assertThat(mesos.pendingReason(d)).isEmpty();
            } finally {
                mesos.close();
            }
        }
    }

    @Test
    void offersThatNeverFitTimeOutNamingTheShortResource() throws IOException {
        try (FakeMesosMaster master = new FakeMesosMaster()) {
            master.agent("agent-1", "node-a", 4, 8192, 0); // big enough in total, busy now
            MesosOrchestrator mesos = open(master.url(), "testbed.mesos.offerTimeoutMillis", "600");
            try {
                List<TaskEvent> events = Collections.synchronizedList(new ArrayList<>());
                Deployment d = mesos.submit(new BatchJob("big", "busybox", List.of("true"), 1, 1, new Resources(100, 4096, 0), Placement.ANY));
                mesos.events(d, events::add);
                master.offer("agent-1", "node-a", 4, 1024, 0, "*");
                master.awaitCall("DECLINE");
                assertThat(mesos.pendingReason(d)).get().asString().contains("mem: need 4096 MB, offered 1024 MB on node-a");
                await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(e -> e.phase() == Phase.FAILED));
                assertThat(events.get(events.size() - 1).detail()).contains("mem: need 4096 MB, offered 1024 MB");
            } finally {
                mesos.close();
            }
        }
    }

    @Test
    void noLeaderWithinTheSubscribeTimeoutSaysSo() throws IOException {
        try (FakeMesosMaster master = new FakeMesosMaster()) {
            master.unavailableSubscribes = 1000;
            assertThatThrownBy(() -> open(master.url(), "testbed.mesos.subscribeTimeoutMillis", "500"))
                    .hasMessageContaining("no SUBSCRIBED event").hasMessageContaining("503").hasMessageContaining("no leading master");
        }
    }

    @Test
    void subscribeTimeoutWhenTheMasterNeverAnswers() throws IOException {
        HttpServer silent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        silent.createContext("/", ex -> {
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.getResponseHeaders().add("Mesos-Stream-Id", "s");
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().flush();
            try {
                Thread.sleep(3000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        silent.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        silent.start();
        try {
            assertThatThrownBy(() -> open("http://127.0.0.1:" + silent.getAddress().getPort(), "testbed.mesos.subscribeTimeoutMillis", "500"))
                    .hasMessageContaining("no SUBSCRIBED event").hasMessageContaining("subscribeTimeoutMillis");
        } finally {
            silent.stop(0);
        }
    }

    @Test
    void callsAfterTheStreamIsGoneFailClearly() throws IOException {
        try (FakeMesosMaster master = new FakeMesosMaster()) {
            MesosOrchestrator mesos = open(master.url());
            mesos.close();
            assertThatThrownBy(() -> mesos.client().call(MesosCalls.revive("f"))).hasMessageContaining("while not subscribed").hasMessageContaining("closed");
        }
    }
}
