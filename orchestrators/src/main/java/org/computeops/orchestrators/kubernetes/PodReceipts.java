package org.computeops.orchestrators.kubernetes;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.fabric8.kubernetes.client.http.AsyncBody;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * When this client received each pod update (pod name and {@code resourceVersion}), stamped the
 * moment the watch line's bytes arrive. The pod informer's handler runs only after fabric8 has
 * read the websocket frame, deserialized the whole Pod and passed it through the informer's cache
 * and its serial handler queue; on 2 busy cores, with a burst of pod updates queued ahead, that
 * added hundreds of ms to the observed end (measured against a raw watch of the same pods, see
 * docs/measurements.md). This is a second, lean watch of the same pods over plain HTTP streaming
 * that reads only the pod's name and resource version with Jackson's streaming parser: the informer
 * hands over the same versions later, so the tracker can stamp each change when it reached this
 * client (the same thing the figure measures), without the client's own queue in it.
 * Best effort: for a version it has not read (yet), the informer's receipt stands.
 */
final class PodReceipts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PodReceipts.class);
    private static final JsonFactory JSON = new JsonFactory();
    private static final long FORGET_AFTER_S = 120;

    private final HttpClient http;
    private final String url;
    /** Receive time by pod name, then resourceVersion. */
    private final Map<String, Map<String, Instant>> received = new ConcurrentHashMap<>();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(16 * 1024);
    private volatile boolean closed;
    private volatile AsyncBody body;
    private volatile String resourceVersion;
    private volatile boolean firstRead = true;

    static final String WATCH = "the lean pod watch";
    private final WatchGaps gaps;
    /** Once it has worked: a watch that never opened is no gap (the informer's receipts stand then). */
    private volatile boolean established;

    PodReceipts(HttpClient http, String masterUrl, String namespace, String labelSelector, WatchGaps gaps) {
        this.http = http;
        this.gaps = gaps;
        String base = masterUrl.endsWith("/") ? masterUrl : masterUrl + "/";
        this.url = base + "api/v1/namespaces/" + namespace + "/pods?watch=true&labelSelector="
                + URLEncoder.encode(labelSelector, StandardCharsets.UTF_8);
        open();
    }

    /** When this watch received that version of the pod, or null when it has not read it. */
    Instant receivedAt(String pod, String resourceVersion) {
        Map<String, Instant> versions = pod == null || resourceVersion == null ? null : received.get(pod);
        return versions == null ? null : versions.get(resourceVersion);
    }

    private void open() {
        if (closed) return;
        String rv = resourceVersion;
        HttpRequest request = http.newHttpRequestBuilder()
                .uri(rv == null ? url : url + "&resourceVersion=" + rv).forStreaming().build();
        CompletableFuture<HttpResponse<AsyncBody>> response = http.consumeBytes(request, this::consume);
        response.whenComplete((r, e) -> {
            if (e != null || !r.isSuccessful()) {
                if (!closed && established) gaps.broken(WATCH, Instant.now(), e != null ? e.toString() : "HTTP " + r.code());
                if (!closed) LOG.debug("binding watch failed ({}), reopening", e != null ? e.toString() : "HTTP " + r.code());
                if (r != null && r.body() != null) r.body().cancel();
                if (r != null && r.code() == 410) resourceVersion = null;
                reopenLater(1000);
                return;
            }
            body = r.body();
            established = true;
            gaps.reestablished(WATCH, Instant.now());
            if (closed) {
                body.cancel();
                return;
            }
            body.done().whenComplete((v, err) -> {
                // a server's watch timeout ends it too: reopened at once from the last version, a short gap
                if (!closed) gaps.broken(WATCH, Instant.now(), err != null ? err.toString() : "the watch ended");
                reopenLater(200);
            });
            body.consume();
        });
    }

    /** A watch ends (server timeout, failure): reopened from the last version read, so nothing is missed. */
    private void reopenLater(long millis) {
        if (closed) return;
        synchronized (line) {
            line.reset();
        }
        CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS).execute(this::open);
    }

    private void consume(List<ByteBuffer> buffers, AsyncBody asyncBody) {
        // the receive time, taken before any parsing: what the figure's observed end is
        Instant now = Instant.now();
        if (firstRead) {
            firstRead = false;
            LOG.debug("lean pod watch reads on thread {}", Thread.currentThread().getName());
        }
        synchronized (line) {
            for (ByteBuffer b : buffers) {
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                int from = 0;
                for (int i = 0; i < chunk.length; i++) {
                    if (chunk[i] != '\n') continue;
                    line.write(chunk, from, i - from);
                    read(line.toByteArray(), now);
                    line.reset();
                    from = i + 1;
                }
                line.write(chunk, from, chunk.length - from);
            }
        }
        asyncBody.consume();
    }

    /** The fields of one watch event this watch needs. */
    record Line(String type, String name, String resourceVersion) {
    }

    private void read(byte[] event, Instant receivedAt) {
        Line l;
        try {
            l = parse(event);
        } catch (IOException e) {
            LOG.debug("unreadable watch line: {}", e.toString());
            return;
        }
        if (l == null) return;
        if ("ERROR".equals(l.type())) {
            resourceVersion = null; // e.g. 410 Gone: start again from now
            return;
        }
        if (l.resourceVersion() != null) resourceVersion = l.resourceVersion();
        if (l.name() == null || l.resourceVersion() == null) return;
        received.computeIfAbsent(l.name(), n -> new ConcurrentHashMap<>()).putIfAbsent(l.resourceVersion(), receivedAt);
        if ("DELETED".equals(l.type())) {
            // forgotten once the informer has surely handed the deletion over too: a long run keeps no dead pods
            String pod = l.name();
            CompletableFuture.delayedExecutor(FORGET_AFTER_S, TimeUnit.SECONDS).execute(() -> received.remove(pod));
        }
    }

    /** Reads type and object.metadata.name/resourceVersion of one watch event, skipping the rest unread. */
    static Line parse(byte[] event) throws IOException {
        if (event.length == 0) return null;
        String type = null, name = null, rv = null;
        try (JsonParser p = JSON.createParser(event)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if ("type".equals(field)) {
                    type = p.getValueAsString();
                } else if ("object".equals(field) && p.currentToken() == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String section = p.currentName();
                        p.nextToken();
                        if ("metadata".equals(section) && p.currentToken() == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.currentName();
                                p.nextToken();
                                if ("name".equals(f)) name = p.getValueAsString();
                                else if ("resourceVersion".equals(f)) rv = p.getValueAsString();
                                else p.skipChildren();
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
        return new Line(type, name, rv);
    }

    @Override
    public void close() {
        closed = true;
        AsyncBody b = body;
        if (b != null) b.cancel();
    }
}
