package org.computeops.orchestrators.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.ObservationGap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Mesos framework speaking the v1 scheduler HTTP API: one long-lived SUBSCRIBE stream (RecordIO),
 * every other call on other connections with {@code Mesos-Stream-Id}. Follows 307 redirects to the
 * leading master, and resubscribes with exponential backoff when the stream drops or heartbeats stop.
 * Each stretch without a stream (from the drop, or from the last event before the heartbeats
 * stopped, until the next SUBSCRIBED) is kept as an {@link ObservationGap}: task updates of that
 * stretch reach the framework only when the master resends them, late on the client's clock.
 */
public final class MesosSchedulerClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MesosSchedulerClient.class);
    static final String SCHEDULER_PATH = "/api/v1/scheduler";
    static final String STREAM_ID = "Mesos-Stream-Id";
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final int MAX_REDIRECTS = 5;

    /** Receives events on the subscription thread, one at a time. */
    public interface Listener {
        void onSubscribed(String frameworkId, int subscription);

        /** Every event but SUBSCRIBED, HEARTBEAT and ERROR. */
        void onEvent(JsonNode event);

        void onDisconnected(String why);

        /** ERROR event, or a resubscription the master refused for good; the client has stopped. */
        void onFatal(String message);
    }

    /** Connection settings. {@code frameworkLabels} are put on FrameworkInfo. */
    public record Config(HttpUrl master, String user, String frameworkName, String role, double failoverTimeoutSeconds,
                         Map<String, String> frameworkLabels, Duration connectTimeout, Duration callTimeout,
                         Duration subscribeTimeout, int missedHeartbeats, Duration backoffMin, Duration backoffMax,
                         long maxRecordBytes) {
    }

    private final Config config;
    private final Listener listener;
    // Trailing bytes after an event mean the RecordIO length was wrong: fail rather than ignore them.
    private final ObjectMapper mapper = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final OkHttpClient calls;
    private final OkHttpClient stream;
    private final Thread thread;
    private final CountDownLatch firstSubscribe = new CountDownLatch(1);
    private final AtomicLong lastEventNanos = new AtomicLong(System.nanoTime());
    /** Wall-clock time of the last event, the start of a gap found by missed heartbeats. */
    private volatile Instant lastEventAt = Instant.now();
    private final List<ObservationGap> gaps = new CopyOnWriteArrayList<>();
    /** Start and cause of the gap in progress (no stream since then), or null. */
    private volatile Instant gapFrom;
    private volatile String gapWhy;
    private final AtomicInteger subscriptions = new AtomicInteger();

    private volatile HttpUrl leader;
    private volatile String streamId;
    private volatile String frameworkId;
    private volatile double heartbeatSeconds;
    private volatile Call currentStream;
    private volatile boolean closed;
    private volatile String startFailure;
    private volatile String lastError;

    public MesosSchedulerClient(Config config, Listener listener) {
        this.config = config;
        this.listener = listener;
        this.leader = config.master().newBuilder().encodedPath(SCHEDULER_PATH).build();
        // HTTP/1.1 only: the stream must own its connection; calls never share it.
        this.calls = new OkHttpClient.Builder()
                .protocols(List.of(Protocol.HTTP_1_1))
                .followRedirects(false)
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.callTimeout())
                .callTimeout(config.callTimeout())
                .build();
        this.stream = calls.newBuilder().readTimeout(Duration.ZERO).callTimeout(Duration.ZERO).build();
        this.thread = new Thread(this::run, "mesos-subscription");
        this.thread.setDaemon(true);
    }

    /** Subscribes and returns once SUBSCRIBED arrived; throws a {@link AdapterException} saying why not. */
    public void start() {
        thread.start();
        boolean done;
        try {
            done = firstSubscribe.await(config.subscribeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new AdapterException("interrupted while subscribing to the Mesos master " + config.master());
        }
        if (startFailure != null) {
            close();
            throw new AdapterException(startFailure);
        }
        if (!done) {
            close();
            String last = lastError;
            throw new AdapterException("no SUBSCRIBED event from the Mesos master " + config.master() + " within "
                    + config.subscribeTimeout().toMillis() + " ms (testbed.mesos.subscribeTimeoutMillis)"
                    + (last == null ? "" : "; last error: " + last));
        }
    }

    public String frameworkId() {
        return frameworkId;
    }

    public String streamId() {
        return streamId;
    }

    /** The scheduler endpoint of the master we talk to now (after redirects). */
    public HttpUrl leader() {
        return leader;
    }

    public int subscriptions() {
        return subscriptions.get();
    }

    public double heartbeatIntervalSeconds() {
        return heartbeatSeconds;
    }

    /** Exactly "Content-Type: application/json": Mesos compares the whole header, a charset parameter gets 415. */
    static RequestBody json(ObjectNode body) {
        return RequestBody.create(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), JSON_TYPE);
    }

    /** Sends a non-SUBSCRIBE call; expects 202 Accepted. */
    public void call(ObjectNode body) {
        String type = body.path("type").asText();
        String sid = streamId;
        if (sid == null) {
            throw new AdapterException("Mesos call " + type + " while not subscribed (no Mesos-Stream-Id"
                    + (closed ? "; the framework is closed" : lastError == null ? " yet" : "; resubscribing after: " + lastError) + ")");
        }
        HttpUrl url = leader;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Request request = new Request.Builder().url(url)
                    .header("Accept", "application/json")
                    .header(STREAM_ID, sid)
                    .post(json(body))
                    .build();
            try (Response r = calls.newCall(request).execute()) {
                if (r.code() == 202 || r.code() == 200) return;
                if (r.code() == 307) {
                    url = redirectTarget(url, r.header("Location"));
                    leader = url;
                    LOG.info("Mesos {} redirected to the leading master {}", type, url);
                    continue;
                }
                String text = r.body().string();
                throw new AdapterException("Mesos master " + url + " answered " + r.code() + " to " + type + ": " + abbreviate(text));
            } catch (IOException e) {
                throw new AdapterException("Mesos call " + type + " to " + url + " failed", e);
            }
        }
        throw new AdapterException("Mesos call " + type + ": more than " + MAX_REDIRECTS + " redirects from " + config.master());
    }

    /** POST to the master's operator API ({@code /api/v1}); returns the JSON answer. */
    public JsonNode operator(ObjectNode body) {
        HttpUrl url = leader.newBuilder().encodedPath("/api/v1").build();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Request request = new Request.Builder().url(url).header("Accept", "application/json")
                    .post(json(body)).build();
            try (Response r = calls.newCall(request).execute()) {
                if (r.code() == 307) {
                    url = redirectTarget(url, r.header("Location"));
                    continue;
                }
                String text = r.body().string();
                if (r.code() != 200) {
                    throw new AdapterException("Mesos operator API " + url + " answered " + r.code() + " to "
                            + body.path("type").asText() + ": " + abbreviate(text));
                }
                return mapper.readTree(text);
            } catch (IOException e) {
                throw new AdapterException("Mesos operator call " + body.path("type").asText() + " to " + url + " failed", e);
            }
        }
        throw new AdapterException("Mesos operator call: too many redirects from " + config.master());
    }

    /** Form POST to a legacy master endpoint such as {@code /master/teardown}. */
    public int postForm(String path, String field, String value) {
        HttpUrl url = leader.newBuilder().encodedPath(path).build();
        Request request = new Request.Builder().url(url)
                .post(new okhttp3.FormBody.Builder().add(field, value).build()).build();
        try (Response r = calls.newCall(request).execute()) {
            return r.code();
        } catch (IOException e) {
            throw new AdapterException("POST " + url + " failed", e);
        }
    }

    // ---- subscription loop ----

    private void run() {
        long backoff = config.backoffMin().toMillis();
        while (!closed) {
            boolean subscribedThisTime = false;
            try {
                subscribedThisTime = subscribeAndStream();
                if (!closed) disconnected("the master closed the subscription stream");
            } catch (Fatal f) {
                fail(f.getMessage());
                return;
            } catch (IOException | RuntimeException e) {
                if (closed) return;
                if (frameworkId == null && firstSubscribe.getCount() > 0 && isUnreachable(e)) {
                    fail("Mesos master unreachable at " + config.master() + " (testbed.mesos.master): " + describe(e));
                    return;
                }
                if (frameworkId == null && firstSubscribe.getCount() > 0 && e instanceof BadStream) {
                    fail(config.master() + " (testbed.mesos.master) does not stream Mesos events: " + e.getMessage());
                    return;
                }
                disconnected(describe(e));
            }
            if (subscribedThisTime) backoff = config.backoffMin().toMillis();
            sleep(backoff);
            backoff = Math.min(backoff * 2, config.backoffMax().toMillis());
        }
    }

    private boolean subscribeAndStream() throws IOException {
        ObjectNode body = MesosCalls.subscribe(config.user(), config.frameworkName(), config.role(),
                config.failoverTimeoutSeconds(), frameworkId, config.frameworkLabels());
        HttpUrl url = leader;
        Response response = null;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Request request = new Request.Builder().url(url)
                    .header("Accept", "application/json")
                    .post(json(body))
                    .build(); // no Mesos-Stream-Id on SUBSCRIBE
            Call call = stream.newCall(request);
            currentStream = call;
            if (closed) return false;
            Response r = call.execute();
            if (r.code() != 307) {
                response = r;
                break;
            }
            String location = r.header("Location");
            r.close();
            url = redirectTarget(url, location);
            leader = url;
            LOG.info("SUBSCRIBE redirected to the leading master {}", url);
        }
        if (response == null) throw new Fatal("more than " + MAX_REDIRECTS + " redirects from " + config.master());
        try (Response r = response) {
            checkSubscribeResponse(url, r);
            streamId = r.header(STREAM_ID);
            lastEventNanos.set(System.nanoTime());
            lastEventAt = Instant.now();
            RecordIoReader reader = new RecordIoReader(r.body().byteStream(), config.maxRecordBytes());
            boolean subscribed = false;
            byte[] record;
            while (true) {
                try {
                    record = reader.next();
                } catch (RecordIoReader.RecordIoException e) {
                    throw new BadStream(e.getMessage());
                }
                if (record == null) break;
                lastEventNanos.set(System.nanoTime());
                lastEventAt = Instant.now();
                JsonNode event;
                try {
                    event = mapper.readTree(record);
                } catch (IOException e) {
                    throw new BadStream("event " + reader.recordsRead() + " is not one JSON object: "
                            + abbreviate(new String(record, java.nio.charset.StandardCharsets.UTF_8)));
                }
                if (event == null || !event.isObject()) throw new BadStream("event " + reader.recordsRead() + " is not a JSON object");
                subscribed |= dispatch(event);
                if (closed) break;
            }
            return subscribed;
        }
    }

    private void checkSubscribeResponse(HttpUrl url, Response r) throws IOException {
        String type = r.header("Content-Type", "");
        if (r.code() == 200 && r.header(STREAM_ID) != null && type.startsWith("application/json")) return;
        String text = abbreviate(r.body().string());
        String where = "POST " + url;
        if (r.code() == 200 || r.code() == 404 || r.code() == 405 || type.startsWith("text/html")) {
            throw new Fatal(config.master() + " (testbed.mesos.master) does not answer like a Mesos master: " + where
                    + " gave " + r.code() + " " + (type.isEmpty() ? "without Content-Type" : type)
                    + (r.header(STREAM_ID) == null ? " and no Mesos-Stream-Id" : "") + ": " + text);
        }
        if (r.code() == 503) throw new IOException(where + " answered 503 (no leading master elected yet): " + text);
        if (r.code() >= 400 && r.code() < 500) {
            boolean auth = r.code() == 401 || r.code() == 403;
            throw new Fatal("the Mesos master refused SUBSCRIBE (" + r.code() + "): " + text + (auth
                    ? " [user '" + config.user() + "', role '" + config.role() + "': testbed.mesos.user, testbed.mesos.role]" : ""));
        }
        throw new IOException(where + " answered " + r.code() + ": " + text);
    }

    /** Returns true for SUBSCRIBED. */
    private boolean dispatch(JsonNode event) {
        String type = event.path("type").asText("UNKNOWN");
        switch (type) {
            case "SUBSCRIBED" -> {
                JsonNode s = event.path("subscribed");
                frameworkId = MesosCalls.value(s.path("framework_id"));
                heartbeatSeconds = s.path("heartbeat_interval_seconds").asDouble(0);
                int n = subscriptions.incrementAndGet();
                endGap();
                LOG.info("subscribed to Mesos {} as framework {} (heartbeat {} s, subscription #{})", leader, frameworkId, heartbeatSeconds, n);
                listener.onSubscribed(frameworkId, n);
                firstSubscribe.countDown();
                return true;
            }
            case "HEARTBEAT" -> {
                return false;
            }
            case "ERROR" -> {
                String message = event.path("error").path("message").asText(event.path("message").asText("(no message)"));
                throw new Fatal("the Mesos master sent ERROR: " + message);
            }
            default -> {
                listener.onEvent(event);
                return false;
            }
        }
    }

    /** Called by the watchdog timer of the owner; drops the stream when heartbeats stopped. */
    public boolean checkHeartbeat() {
        double interval = heartbeatSeconds;
        if (interval <= 0 || closed || currentStream == null) return false;
        long silentNanos = System.nanoTime() - lastEventNanos.get();
        if (silentNanos > (long) (interval * config.missedHeartbeats() * 1e9)) {
            // nothing was observed since the last event: the gap starts there
            startGap(lastEventAt, "no event from the Mesos master for " + silentNanos / 1_000_000 + " ms ("
                    + config.missedHeartbeats() + " heartbeats of " + interval + " s)");
            LOG.warn("no event from the Mesos master for {} ms ({} heartbeats of {} s): resubscribing",
                    silentNanos / 1_000_000, config.missedHeartbeats(), interval);
            lastEventNanos.set(System.nanoTime());
            Call call = currentStream;
            if (call != null) call.cancel();
            return true;
        }
        return false;
    }

    static HttpUrl redirectTarget(HttpUrl from, String location) throws IOException {
        if (location == null || location.isBlank()) throw new IOException("307 from " + from + " without a Location header");
        String loc = location.trim();
        HttpUrl target;
        if (loc.startsWith("//") || loc.contains("://") || loc.startsWith("/")) {
            target = from.resolve(loc); // Mesos sends "//host:port/path" (protocol-relative)
        } else {
            target = HttpUrl.parse(from.scheme() + "://" + loc); // "host:port" as in the docs' example
        }
        if (target == null) throw new IOException("307 from " + from + " with an unusable Location '" + location + "'");
        if (target.encodedPath().equals("/")) target = target.newBuilder().encodedPath(from.encodedPath()).build();
        return target;
    }

    /** The stretches in which the subscription was down, oldest first, that end at or after {@code since} (or last still). */
    public List<ObservationGap> observationGaps(Instant since) {
        List<ObservationGap> out = new java.util.ArrayList<>();
        for (ObservationGap g : gaps) if (!g.to().isBefore(since)) out.add(g);
        Instant from = gapFrom;
        if (from != null) out.add(new ObservationGap(from, null, gapWhy + " (not resubscribed yet)"));
        return out;
    }

    private synchronized void startGap(Instant from, String why) {
        if (gapFrom != null || firstSubscribe.getCount() > 0) return; // one gap per outage; none before the first SUBSCRIBED
        gapWhy = why;
        gapFrom = from;
    }

    private synchronized void endGap() {
        Instant from = gapFrom;
        if (from == null) return;
        Instant to = Instant.now();
        gaps.add(new ObservationGap(from, to, gapWhy + "; resubscribed after " + java.time.Duration.between(from, to).toMillis() + " ms"));
        gapFrom = null;
    }

    private void disconnected(String why) {
        startGap(Instant.now(), "Mesos subscription lost: " + why);
        streamId = null;
        lastError = why;
        LOG.warn("Mesos subscription lost: {}", why);
        listener.onDisconnected(why);
    }

    private void fail(String message) {
        closed = true;
        streamId = null;
        if (firstSubscribe.getCount() > 0) {
            startFailure = message;
            firstSubscribe.countDown();
        } else {
            LOG.error("{}", message);
            listener.onFatal(message);
        }
    }

    private static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.net.NoRouteToHostException) return true;
        }
        return false;
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    static String abbreviate(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "…" : oneLine;
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        streamId = null;
        Call call = currentStream;
        if (call != null) call.cancel();
        thread.interrupt();
        calls.dispatcher().executorService().shutdown();
        calls.connectionPool().evictAll();
    }

    /** The stream broke the RecordIO/JSON framing. */
    static final class BadStream extends IOException {
        BadStream(String message) {
            super(message);
        }
    }

    /** Not worth retrying: stop the loop. */
    private static final class Fatal extends RuntimeException {
        Fatal(String message) {
            super(message);
        }
    }
}
