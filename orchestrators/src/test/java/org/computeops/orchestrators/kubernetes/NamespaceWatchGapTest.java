package org.computeops.orchestrators.kubernetes;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.computeops.orchestrators.spi.ObservationGap;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The adapter's watches break mid-run: each break is an observation gap from the moment it broke
 * until the watch is re-established, open while it lasts. The informers against fabric8's mock API
 * server in CRUD mode (a fake, test sources only), which goes away and comes back on the same port;
 * the lean pod watch (plain HTTP streaming, which the mock server does not serve) against
 * {@link FakeWatchStream}, a few lines of JDK HTTP server in this file.
 */
class NamespaceWatchGapTest {

    static KubernetesMockServer server(int port) {
        KubernetesMockServer s = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        s.init(InetAddress.getLoopbackAddress(), port);
        return s;
    }

    static boolean has(List<ObservationGap> gaps, String watch, boolean open) {
        return gaps.stream().anyMatch(g -> g.why().startsWith(watch) && (g.to() == null) == open);
    }

    @Test
    void aWatchBrokenMidRunIsAGapFromTheBreakUntilItIsReestablished() throws Exception {
        Instant start = Instant.now();
        KubernetesMockServer first = server(0);
        int port = first.getPort();
        KubernetesMockServer second = null;
        try (KubernetesClient client = first.createClient();
             NamespaceWatch watch = new NamespaceWatch(client, "co-run-g", "run-g", Duration.ofMillis(100))) {
            Thread.sleep(1500); // informers synced, watches open
            assertThat(watch.observationGaps(start)).as("nothing broken yet").isEmpty();

            Instant broke = Instant.now();
            first.destroy();
            await().atMost(Duration.ofSeconds(15)).until(() -> has(watch.observationGaps(start), NamespaceWatch.POD_INFORMER, true)
                    && has(watch.observationGaps(start), NamespaceWatch.EVENT_INFORMER, true));
            for (ObservationGap g : watch.observationGaps(start)) {
                assertThat(g.to()).as("open while the server is away: " + g).isNull();
                assertThat(g.from()).isAfterOrEqualTo(broke.minusMillis(200));
            }

            second = server(port);
            await().atMost(Duration.ofSeconds(40)).until(() -> {
                List<ObservationGap> gaps = watch.observationGaps(start);
                return gaps.stream().noneMatch(g -> g.to() == null)
                        && has(gaps, NamespaceWatch.POD_INFORMER, false) && has(gaps, NamespaceWatch.EVENT_INFORMER, false);
            });
            Instant back = Instant.now();
            for (ObservationGap g : watch.observationGaps(start)) {
                assertThat(g.from()).isAfterOrEqualTo(broke.minusMillis(200));
                assertThat(g.to()).isAfter(g.from()).isBeforeOrEqualTo(back);
                assertThat(g.why()).contains("re-established after");
            }
            // asked about the stretch after it, the closed gaps are not in it
            assertThat(watch.observationGaps(back.plusSeconds(1))).isEmpty();
        } finally {
            if (second != null) second.destroy();
        }
    }

    /**
     * A pod watch over plain HTTP streaming (a fake of the API server's {@code ?watch=true}): the first
     * request gets one event and then the stream ends; the next {@code refusals} requests get 503;
     * every later one gets one event and stays open.
     */
    static final class FakeWatchStream implements AutoCloseable {
        final com.sun.net.httpserver.HttpServer http;
        final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
        volatile int refusals;
        volatile Instant streamEnded;
        volatile Instant lastRefusal;

        FakeWatchStream(int refusals) throws java.io.IOException {
            this.refusals = refusals;
            http = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            http.createContext("/", ex -> {
                int n = requests.incrementAndGet();
                if (n > 1 && n <= 1 + this.refusals) {
                    lastRefusal = Instant.now();
                    ex.sendResponseHeaders(503, -1);
                    ex.close();
                    return;
                }
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, 0);
                var out = ex.getResponseBody();
                out.write(("{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"p" + n + "\",\"resourceVersion\":\"" + n + "\"}}}\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
                out.flush();
                try {
                    Thread.sleep(n == 1 ? 500 : 60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (n == 1) streamEnded = Instant.now();
                ex.close();
            });
            http.start();
        }

        String url() {
            return "http://127.0.0.1:" + http.getAddress().getPort() + "/";
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }

    @Test
    void theLeanPodWatchEndedAndRefusedIsAGapUntilItReadsAgain() throws Exception {
        Instant start = Instant.now();
        WatchGaps gaps = new WatchGaps();
        try (FakeWatchStream fake = new FakeWatchStream(3);
             KubernetesClient client = new io.fabric8.kubernetes.client.KubernetesClientBuilder()
                     .withConfig(new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl(fake.url()).build()).build();
             PodReceipts receipts = new PodReceipts(client.getHttpClient(), fake.url(), "co-run-g", "computeops.io/run-id=run-g", gaps)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> receipts.receivedAt("p1", "1") != null);
            // the stream ends, 3 reopenings get 503 (the client's own retries included): open meanwhile
            await().atMost(Duration.ofSeconds(5)).until(() -> fake.requests.get() >= 3);
            assertThat(gaps.since(start)).singleElement().satisfies(g -> {
                assertThat(g.to()).as("open while refused").isNull();
                assertThat(g.why()).startsWith(PodReceipts.WATCH).contains("the watch ended");
            });
            // served again (the request after the refusals): read, and the gap closed
            await().atMost(Duration.ofSeconds(10)).until(() -> fake.requests.get() > 4
                    && receipts.receivedAt("p" + fake.requests.get(), String.valueOf(fake.requests.get())) != null);
            ObservationGap gap = gaps.since(start).get(0);
            assertThat(gaps.since(start)).hasSize(1);
            assertThat(gap.from()).isBetween(fake.streamEnded.minusMillis(100), fake.streamEnded.plusMillis(500));
            assertThat(gap.to()).as("closed when it reads again").isNotNull();
            assertThat(gap.to()).as("over every refusal").isAfter(fake.lastRefusal);
            assertThat(gap.why()).contains("re-established after");
        }
    }
}
