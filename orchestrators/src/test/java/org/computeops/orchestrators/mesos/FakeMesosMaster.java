package org.computeops.orchestrators.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * PROTOCOL-LEVEL TEST DOUBLE of a Mesos master. It is not Mesos and schedules nothing: it speaks
 * the v1 scheduler HTTP API as documented (docs/scheduler-http-api.md, scheduler.proto) so the
 * adapter can be exercised where no Mesos binary exists. It answers SUBSCRIBE with a chunked
 * RecordIO stream, checks Mesos-Stream-Id and framework_id on every other call, validates call
 * bodies against the proto field names ({@link ProtoSchema}), and, unless told otherwise, plays
 * the documented task life (STARTING, RUNNING with a uuid to acknowledge) after a LAUNCH.
 */
final class FakeMesosMaster implements AutoCloseable {

    static final JsonNodeFactory J = JsonNodeFactory.instance;
    private static final ObjectMapper M = new ObjectMapper();
    private static final byte[] DROP = new byte[0];
    private static final byte[] DROP_MID_RECORD = new byte[0];

    record Received(String path, String type, JsonNode body, String streamIdHeader, String accept, String contentType, long nanos,
                    java.time.Instant at) {
    }

    private final HttpServer server;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();
    final List<Received> calls = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final List<String> teardownRequests = new CopyOnWriteArrayList<>();
    final Map<String, String> uuidsSent = new ConcurrentHashMap<>();      // uuid -> task id
    final Set<String> uuidsAcknowledged = ConcurrentHashMap.newKeySet();
    final Map<String, String[]> taskState = new ConcurrentHashMap<>();    // task -> {state, agent}
    final List<String> streamIds = new CopyOnWriteArrayList<>();

    volatile String frameworkId = "20261125-000000-fake-0001";
    volatile double heartbeatSeconds = 15;
    volatile boolean sendHeartbeats;
    volatile String redirectLocation;          // when set, every request gets 307 to it
    volatile String subscribeRefusal;          // when set, SUBSCRIBE gets 403 with this body
    volatile boolean autoRun = true;           // after LAUNCH: TASK_STARTING, TASK_RUNNING
    volatile String autoFinal;                 // then this state, e.g. TASK_FINISHED
    volatile boolean dropOnAccept;             // answer LAUNCH with RESCIND + TASK_DROPPED (offer already rescinded)
    volatile int framingOffset;                // > 0 or < 0: RecordIO length off by that many bytes
    volatile int chunkSize;                    // 0: one write per record; n: split records into n-byte chunks
    volatile String version = "1.11.0";
    volatile int operatorStatus = 200;
    volatile int acceptStatus = 202;
    volatile int unavailableSubscribes;        // that many SUBSCRIBEs get 503 (no leader elected yet)           // e.g. 400 for an ACCEPT the master refuses         // e.g. 401 where the operator API needs credentials
    final List<ObjectNode> agents = new CopyOnWriteArrayList<>();
    final List<ObjectNode> frameworks = new CopyOnWriteArrayList<>();

    private volatile Stream current;
    private int streamCount;
    private int offerCount;
    private long clockMillis = 1_764_000_000_000L;

    private static final class Stream {
        final String id;
        final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();

        Stream(String id) {
            this.id = id;
        }
    }

    FakeMesosMaster() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-mesos-master");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/api/v1/scheduler", this::scheduler);
        server.createContext("/api/v1", this::operator);
        server.createContext("/master/teardown", this::legacyTeardown);
        server.start();
        heartbeats.scheduleAtFixedRate(() -> {
            if (sendHeartbeats && current != null) send(J.objectNode().put("type", "HEARTBEAT"));
        }, 20, 20, TimeUnit.MILLISECONDS);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    // ---- what the scheduler sent ----

    List<Received> calls(String type) {
        return calls.stream().filter(c -> type.equals(c.type())).toList();
    }

    Received awaitCall(String type, Predicate<JsonNode> match, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            for (Received r : calls) if (type.equals(r.type()) && match.test(r.body())) return r;
            sleep(5);
        }
        throw new AssertionError("no " + type + " call matching within " + timeout + "; calls: "
                + calls.stream().map(Received::type).toList());
    }

    Received awaitCall(String type) {
        return awaitCall(type, b -> true, Duration.ofSeconds(5));
    }

    String currentStreamId() {
        Stream s = current;
        return s == null ? null : s.id;
    }

    boolean streaming() {
        return current != null;
    }

    // ---- what the master streams ----

    void send(JsonNode event) {
        Stream s = current;
        if (s == null) throw new IllegalStateException("no subscriber");
        s.queue.add(encode(event));
    }

    /** Several events in one write (so one HTTP chunk holds several records). */
    void sendMerged(JsonNode... events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (JsonNode e : events) out.writeBytes(encode(e));
        current.queue.add(out.toByteArray());
    }

    /** Closes the subscription stream cleanly between records. */
    void dropStream() {
        Stream s = current;
        if (s != null) s.queue.add(DROP);
    }

    /** Writes half a record, then closes the stream. */
    void dropStreamMidRecord() {
        Stream s = current;
        if (s != null) s.queue.add(DROP_MID_RECORD);
    }

    byte[] encode(JsonNode event) {
        byte[] data = event.toString().getBytes(StandardCharsets.UTF_8);
        byte[] head = ((data.length + framingOffset) + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + data.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(data, 0, all, head.length, data.length);
        return all;
    }

    String offer(String agentId, String hostname, double cpus, double mem, double gpus, String role) {
        String offerId = "offer-" + (++offerCount);
        ObjectNode o = J.objectNode();
        o.set("id", id(offerId));
        o.set("framework_id", id(frameworkId));
        o.set("agent_id", id(agentId));
        o.put("hostname", hostname);
        ObjectNode alloc = J.objectNode().put("role", role);
        o.set("allocation_info", alloc);
        ArrayNode res = o.putArray("resources");
        scalar(res, "cpus", cpus, alloc);
        scalar(res, "mem", mem, alloc);
        if (gpus > 0) scalar(res, "gpus", gpus, alloc);
        ObjectNode ev = J.objectNode().put("type", "OFFERS");
        ev.putObject("offers").putArray("offers").add(o);
        send(ev);
        return offerId;
    }

    private static void scalar(ArrayNode res, String name, double value, ObjectNode alloc) {
        ObjectNode r = res.addObject();
        r.put("name", name).put("type", "SCALAR").put("role", "*");
        r.putObject("scalar").put("value", value);
        r.set("allocation_info", alloc.deepCopy());
    }

    /** A status update; with {@code reliable} it carries a uuid the scheduler must acknowledge. */
    synchronized void update(String taskId, String agentId, String state, String source, String reason, boolean reliable) {
        ObjectNode st = J.objectNode();
        st.set("task_id", id(taskId));
        st.put("state", state);
        st.put("source", source);
        if (reason != null) st.put("reason", reason);
        if (agentId != null) st.set("agent_id", id(agentId));
        clockMillis += 7;
        st.put("timestamp", clockMillis / 1000.0);
        if (reliable) {
            String uuid = Base64.getEncoder().encodeToString(uuidBytes());
            st.put("uuid", uuid);
            uuidsSent.put(uuid, taskId);
        }
        taskState.put(taskId, new String[]{state, agentId});
        ObjectNode ev = J.objectNode().put("type", "UPDATE");
        ev.putObject("update").set("status", st);
        send(ev);
    }

    double lastTimestampSeconds() {
        return clockMillis / 1000.0;
    }

    void rescind(String offerId) {
        ObjectNode ev = J.objectNode().put("type", "RESCIND");
        ev.putObject("rescind").set("offer_id", id(offerId));
        send(ev);
    }

    void failure(String agentId) {
        ObjectNode ev = J.objectNode().put("type", "FAILURE");
        ev.putObject("failure").set("agent_id", id(agentId));
        send(ev);
    }

    void error(String message) {
        ObjectNode ev = J.objectNode().put("type", "ERROR");
        ev.putObject("error").put("message", message);
        send(ev);
    }

    void agent(String id, String host, double cpus, double mem, double gpus) {
        ObjectNode a = J.objectNode().put("active", true);
        ObjectNode info = a.putObject("agent_info").put("hostname", host).put("port", 5051);
        info.set("id", id(id));
        ArrayNode res = info.putArray("resources");
        ObjectNode star = J.objectNode().put("role", "*");
        scalar(res, "cpus", cpus, star);
        scalar(res, "mem", mem, star);
        if (gpus > 0) scalar(res, "gpus", gpus, star);
        a.set("total_resources", res.deepCopy());
        agents.add(a);
    }

    void framework(String id, String name, String runId) {
        ObjectNode f = J.objectNode().put("active", false).put("connected", false);
        ObjectNode info = f.putObject("framework_info").put("user", "root").put("name", name);
        info.set("id", id(id));
        ArrayNode labels = info.putObject("labels").putArray("labels");
        labels.addObject().put("key", org.computeops.orchestrators.spi.Labels.RUN_ID).put("value", runId);
        frameworks.add(f);
    }

    static ObjectNode id(String value) {
        return J.objectNode().put("value", value);
    }

    private static byte[] uuidBytes() {
        UUID u = UUID.randomUUID();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
        b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return b.array();
    }

    // ---- HTTP handlers ----

    private void scheduler(HttpExchange ex) throws IOException {
        try (ex) {
            if (redirectLocation != null) {
                ex.getResponseHeaders().add("Location", redirectLocation);
                record(ex, null);
                ex.sendResponseHeaders(307, -1);
                return;
            }
            if (!"POST".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(405, -1);
                return;
            }
            JsonNode body = M.readTree(ex.getRequestBody().readAllBytes());
            Received r = record(ex, body);
            violations.addAll(ProtoSchema.validateCall(body));
            if (!"application/json".equals(r.accept())) violations.add(r.type() + ": Accept was " + r.accept());
            // Mesos compares the header to "application/json" exactly (src/master/http.cpp): no charset parameter.
            if (!"application/json".equals(r.contentType())) {
                violations.add(r.type() + ": Content-Type was " + r.contentType());
                reply(ex, 415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
                return;
            }
            if ("SUBSCRIBE".equals(r.type())) {
                subscribe(ex, r);
                return;
            }
            Stream s = current;
            if (s == null || r.streamIdHeader() == null || !r.streamIdHeader().equals(s.id)) {
                violations.add(r.type() + " with Mesos-Stream-Id " + r.streamIdHeader() + " while the stream is " + (s == null ? "closed" : s.id));
                reply(ex, 403, "Mesos-Stream-Id mismatch");
                return;
            }
            if (!frameworkId.equals(MesosCalls.value(body.path("framework_id")))) {
                violations.add(r.type() + " with framework_id " + body.path("framework_id"));
                reply(ex, 403, "framework_id mismatch");
                return;
            }
            if ("ACCEPT".equals(r.type()) && acceptStatus != 202) {
                reply(ex, acceptStatus, "Failed to validate scheduler::Call: task uses invalid resources");
                return;
            }
            ex.sendResponseHeaders(202, -1);
            react(r.type(), body);
        }
    }

    private Received record(HttpExchange ex, JsonNode body) {
        Received r = new Received(ex.getRequestURI().getPath(), body == null ? "(redirected)" : body.path("type").asText(), body,
                ex.getRequestHeaders().getFirst("Mesos-Stream-Id"), ex.getRequestHeaders().getFirst("Accept"),
                ex.getRequestHeaders().getFirst("Content-Type"), System.nanoTime(), java.time.Instant.now());
        calls.add(r);
        return r;
    }

    private void subscribe(HttpExchange ex, Received r) throws IOException {
        if (r.streamIdHeader() != null) violations.add("SUBSCRIBE carried Mesos-Stream-Id " + r.streamIdHeader());
        JsonNode info = r.body().path("subscribe").path("framework_info");
        String resubscribeId = MesosCalls.value(info.path("id"));
        if (resubscribeId != null && !resubscribeId.equals(frameworkId)) violations.add("resubscribed with unknown framework id " + resubscribeId);
        if (resubscribeId != null && !resubscribeId.equals(MesosCalls.value(r.body().path("framework_id")))) {
            violations.add("resubscribe: Call.framework_id does not match framework_info.id");
        }
        if (subscribeRefusal != null) {
            reply(ex, 403, subscribeRefusal);
            return;
        }
        synchronized (this) {
            if (unavailableSubscribes > 0) {
                unavailableSubscribes--;
                reply(ex, 503, "No leading master");
                return;
            }
        }
        Stream s;
        synchronized (this) {
            s = new Stream("stream-" + (++streamCount) + "-" + UUID.randomUUID());
        }
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.getResponseHeaders().add("Mesos-Stream-Id", s.id);
        ex.sendResponseHeaders(200, 0); // chunked
        OutputStream out = ex.getResponseBody();
        streamIds.add(s.id);
        current = s;
        ObjectNode subscribed = J.objectNode().put("type", "SUBSCRIBED");
        ObjectNode sub = subscribed.putObject("subscribed");
        sub.set("framework_id", id(frameworkId));
        sub.put("heartbeat_interval_seconds", heartbeatSeconds);
        s.queue.add(encode(subscribed));
        try {
            while (true) {
                byte[] chunk = s.queue.poll(50, TimeUnit.MILLISECONDS);
                if (current != s) return;
                if (chunk == null) continue;
                if (chunk == DROP) return;
                if (chunk == DROP_MID_RECORD) {
                    byte[] half = encode(J.objectNode().put("type", "HEARTBEAT"));
                    out.write(half, 0, half.length - 3);
                    out.flush();
                    return;
                }
                write(out, chunk);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the scheduler went away
        } finally {
            synchronized (this) {
                if (current == s) current = null;
            }
        }
    }

    private void write(OutputStream out, byte[] bytes) throws IOException {
        int size = chunkSize <= 0 ? bytes.length : chunkSize;
        for (int i = 0; i < bytes.length; i += size) {
            out.write(bytes, i, Math.min(size, bytes.length - i));
            out.flush(); // one HTTP chunk per piece
        }
    }

    private void react(String type, JsonNode body) {
        switch (type) {
            case "ACCEPT" -> {
                for (JsonNode op : body.path("accept").path("operations")) {
                    for (JsonNode task : op.path("launch").path("task_infos")) {
                        String taskId = MesosCalls.value(task.path("task_id"));
                        String agentId = MesosCalls.value(task.path("agent_id"));
                        if (dropOnAccept) {
                            for (JsonNode o : body.path("accept").path("offer_ids")) rescind(o.path("value").asText());
                            update(taskId, agentId, "TASK_DROPPED", "SOURCE_MASTER", "REASON_INVALID_OFFERS", false);
                            continue;
                        }
                        taskState.put(taskId, new String[]{"TASK_STAGING", agentId});
                        if (autoRun) {
                            update(taskId, agentId, "TASK_STARTING", "SOURCE_EXECUTOR", null, true);
                            update(taskId, agentId, "TASK_RUNNING", "SOURCE_EXECUTOR", null, true);
                            if (autoFinal != null) update(taskId, agentId, autoFinal, "SOURCE_EXECUTOR", null, true);
                        }
                    }
                }
            }
            case "ACKNOWLEDGE" -> {
                String uuid = body.path("acknowledge").path("uuid").asText();
                String task = uuidsSent.get(uuid);
                if (task == null) violations.add("ACKNOWLEDGE of a uuid never sent: " + uuid);
                else if (!task.equals(MesosCalls.value(body.path("acknowledge").path("task_id")))) violations.add("ACKNOWLEDGE uuid/task mismatch");
                if (!uuidsAcknowledged.add(uuid)) violations.add("ACKNOWLEDGE twice: " + uuid);
            }
            case "KILL" -> {
                String taskId = MesosCalls.value(body.path("kill").path("task_id"));
                String[] st = taskState.get(taskId);
                if (st != null && !st[0].equals("TASK_UNREACHABLE")) {
                    update(taskId, st[1], "TASK_KILLED", "SOURCE_EXECUTOR", null, true);
                } else if (st == null) {
                    update(taskId, null, "TASK_LOST", "SOURCE_MASTER", "REASON_RECONCILIATION", false);
                }
            }
            case "RECONCILE" -> {
                JsonNode list = body.path("reconcile").path("tasks");
                List<String> ids = new ArrayList<>();
                if (list.isEmpty()) ids.addAll(taskState.keySet());
                else for (JsonNode t : list) ids.add(MesosCalls.value(t.path("task_id")));
                for (String id : ids) {
                    String[] st = taskState.get(id);
                    if (st == null) update(id, null, "TASK_LOST", "SOURCE_MASTER", "REASON_RECONCILIATION", false);
                    else update(id, st[1], st[0], "SOURCE_MASTER", "REASON_RECONCILIATION", false);
                }
            }
            case "TEARDOWN" -> {
                Stream s = current;
                current = null;
                if (s != null) s.queue.add(DROP);
            }
            default -> {
            }
        }
    }

    private void operator(HttpExchange ex) throws IOException {
        try (ex) {
            JsonNode body = M.readTree(ex.getRequestBody().readAllBytes());
            Received r = record(ex, body);
            if (!"application/json".equals(r.contentType())) {
                violations.add("operator " + r.type() + ": Content-Type was " + r.contentType());
                reply(ex, 415, "Expecting 'Content-Type' of application/json or application/x-protobuf");
                return;
            }
            if (operatorStatus != 200) {
                reply(ex, operatorStatus, "Unauthorized");
                return;
            }
            ObjectNode answer = J.objectNode();
            String type = body.path("type").asText();
            answer.put("type", type);
            switch (type) {
                case "GET_VERSION" -> answer.putObject("get_version").putObject("version_info").put("version", version);
                case "GET_AGENTS" -> agents.forEach(answer.putObject("get_agents").putArray("agents")::add);
                case "GET_FRAMEWORKS" -> frameworks.forEach(answer.putObject("get_frameworks").putArray("frameworks")::add);
                default -> {
                    reply(ex, 400, "unknown call");
                    return;
                }
            }
            byte[] out = answer.toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, out.length);
            ex.getResponseBody().write(out);
        }
    }

    private void legacyTeardown(HttpExchange ex) throws IOException {
        try (ex) {
            String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            teardownRequests.add(java.net.URLDecoder.decode(form, StandardCharsets.UTF_8));
            ex.sendResponseHeaders(200, -1);
        }
    }

    private static void reply(HttpExchange ex, int code, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/plain");
        ex.sendResponseHeaders(code, b.length);
        ex.getResponseBody().write(b);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        current = null;
        heartbeats.shutdownNow();
        server.stop(0);
    }
}
