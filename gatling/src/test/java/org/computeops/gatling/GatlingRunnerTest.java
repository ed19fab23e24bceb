package org.computeops.gatling;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The simulation against a real HTTP server on loopback: Gatling's counts must match what the server saw. */
class GatlingRunnerTest {

    @TempDir
    Path results;

    @Test
    void steppedLoadIsReportedPerStepAndMatchesTheServer() throws Exception {
        AtomicInteger served = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(served.incrementAndGet() % 10 == 0 ? 500 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            LoadReport report = GatlingRunner.run(new LoadPlan("http://127.0.0.1:" + server.getAddress().getPort(), List.of(5, 10), 2),
                    results, "unit test");
            assertThat(report.steps()).extracting(LoadReport.StepStats::name).containsExactly("step 1: 5 req/s", "step 2: 10 req/s");
            assertThat(report.overall().requests()).isEqualTo(served.get()).isEqualTo(30);
            assertThat(report.overall().ko()).isEqualTo(3); // every 10th answer was a 500
            assertThat(report.steps().get(0).requests()).isEqualTo(10);
            assertThat(report.overall().p99()).isGreaterThanOrEqualTo(report.overall().p50());
            assertThat(Files.exists(report.reportDir().resolve("index.html"))).isTrue();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void badPlanIsRefusedWithTheReason() {
        assertThatThrownBy(() -> new LoadPlan("ftp://x", List.of(1), 1)).hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> new LoadPlan("http://x", List.of(0), 1)).hasMessageContaining("rates > 0");
    }
}
