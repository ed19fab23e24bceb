package org.computeops.gatling;

import com.sun.net.httpserver.HttpServer;
import org.computeops.results.files.GatlingReport;
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
            LoadReport report = GatlingRunner.run(new LoadPlan(List.of(url(server)), List.of(5, 10), 2),
                    results, "unit test");
            assertThat(report.steps()).extracting(GatlingReport.Row::name).containsExactly("step 1: 5 req/s", "step 2: 10 req/s");
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
    void requestsAreSpreadOverEveryTarget() throws Exception {
        AtomicInteger servedA = new AtomicInteger();
        AtomicInteger servedB = new AtomicInteger();
        HttpServer a = server(servedA);
        HttpServer b = server(servedB);
        try {
            LoadReport report = GatlingRunner.run(new LoadPlan(List.of(url(a), url(b) + "/"), List.of(10), 2), results, "two targets");
            assertThat(report.overall().requests()).isEqualTo(20).isEqualTo(servedA.get() + servedB.get());
            assertThat(report.overall().ko()).isZero();
            assertThat(servedA.get()).isEqualTo(10); // taken in turn
        } finally {
            a.stop(0);
            b.stop(0);
        }
    }

    @Test
    void targetsReplacedDuringTheRunGetTheLaterRequests() throws Exception {
        AtomicInteger servedA = new AtomicInteger();
        AtomicInteger servedB = new AtomicInteger();
        HttpServer a = server(servedA);
        HttpServer b = server(servedB);
        LoadTargets targets = new LoadTargets();
        AtomicInteger servedABeforeSwitch = new AtomicInteger(-1);
        Thread switcher = new Thread(() -> {
            try {
                while (servedA.get() < 5) Thread.sleep(20);
                servedABeforeSwitch.set(servedA.get());
                targets.set(List.of(url(b)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        switcher.start();
        try {
            LoadReport report = GatlingRunner.run(new LoadPlan(List.of(url(a)), List.of(10), 3), results, "switch targets", targets);
            switcher.join(5000);
            assertThat(report.overall().requests()).isEqualTo(30).isEqualTo(servedA.get() + servedB.get());
            assertThat(servedB.get()).isGreaterThanOrEqualTo(10);
            // at most the requests in flight when the targets changed still reach a
            assertThat(servedA.get()).isLessThanOrEqualTo(servedABeforeSwitch.get() + 2);
            assertThat(targets.current()).containsExactly(url(b));
        } finally {
            a.stop(0);
            b.stop(0);
        }
    }

    @Test
    void badPlanIsRefusedWithTheReason() {
        assertThatThrownBy(() -> new LoadPlan(List.of("ftp://x"), List.of(1), 1)).hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> new LoadPlan(List.of("http://x", "x:80"), List.of(1), 1)).hasMessageContaining("'x:80'");
        assertThatThrownBy(() -> new LoadPlan(List.of(), List.of(1), 1)).hasMessageContaining("at least one");
        assertThatThrownBy(() -> new LoadPlan(List.of("http://x"), List.of(0), 1)).hasMessageContaining("rates > 0");
        assertThatThrownBy(() -> new LoadTargets().set(List.of())).hasMessageContaining("at least one");
    }

    private static HttpServer server(AtomicInteger served) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            served.incrementAndGet();
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
