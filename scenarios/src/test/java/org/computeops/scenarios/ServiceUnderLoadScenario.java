package org.computeops.scenarios;

import org.computeops.gatling.GatlingRunner;
import org.computeops.gatling.LoadPlan;
import org.computeops.gatling.LoadReport;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.orchestrators.spi.Service;
import org.computeops.results.AllureAssets;
import org.computeops.results.Metric;
import org.computeops.results.TaskRecord;
import org.computeops.scenarios.harness.Testbed;
import org.computeops.scenarios.harness.TestbedExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service of R replicas under Gatling load at stepped arrival rates through the orchestrator's
 * own entry point; during the last step it is scaled from R to 2R: Gatling's response times and
 * errors per step, and how long the scale-out took.
 */
@ExtendWith(TestbedExtension.class)
class ServiceUnderLoadScenario {

    @Test
    @DisplayName("Service under load: stepped HTTP load, then scale-out from R to 2R under load")
    void serviceUnderLoad(Testbed testbed) {
        testbed.run("service-under-load", EnumSet.of(Capability.SERVICE, Capability.SCALE, Capability.SERVICE_ENDPOINT), run -> {
            int replicas = run.parameters().positiveInt("scenario.load.replicas", 2);
            List<Integer> rates = run.parameters().positiveInts("scenario.load.rates", List.of(10, 20, 40));
            int stepSeconds = run.parameters().positiveInt("scenario.load.stepSeconds", 15);
            Duration timeout = run.parameters().seconds("scenario.timeout.s", 900);

            Deployment service = run.submit(new Service("web", run.parameters().string("scenario.service.image", Images.SERVICE),
                    List.of(), replicas, 8080, Resources.NONE, Placement.REAL_NODES));
            run.awaitRunning(service, replicas, null, timeout);
            URI endpoint = testbed.orchestrator().serviceEndpoint(service)
                    .orElseThrow(() -> new AssertionError(testbed.orchestrator().name() + " gave no endpoint for the service"));
            run.parameter("entry point", endpoint);
            awaitAnswer(run, endpoint, timeout);

            // The last step is the scale-out: it starts when the load enters that step.
            List<Integer> plan = new ArrayList<>(rates);
            plan.add(rates.get(rates.size() - 1));
            AtomicReference<Instant> scaledAt = new AtomicReference<>();
            AtomicReference<Instant> scaledOutAt = new AtomicReference<>();
            CompletableFuture<Void> scaler = CompletableFuture.runAsync(() -> {
                sleep(Duration.ofSeconds((long) rates.size() * stepSeconds));
                scaledAt.set(Instant.now());
                testbed.orchestrator().scale(service, 2 * replicas);
                if (run.awaitQuietly("scale-out", timeout, () -> run.running(service, null).size() >= 2 * replicas,
                        () -> run.running(service, null).size() + "/" + 2 * replicas + " replicas running")) {
                    scaledOutAt.set(run.lastSeenRunning(service, null));
                }
            });
            Path gatlingDir = testbed.resultsDir().resolve("gatling").resolve(testbed.orchestrator().name());
            LoadReport report = GatlingRunner.run(new LoadPlan(List.of(endpoint.toString()), plan, stepSeconds), gatlingDir,
                    testbed.orchestrator().name() + " " + run.scenario());
            scaler.join();

            List<Metric> figures = new ArrayList<>();
            for (int i = 0; i < report.steps().size(); i++) {
                LoadReport.StepStats s = report.steps().get(i);
                String step = i == report.steps().size() - 1 ? "scale-out step" : "step " + (i + 1);
                figures.add(new Metric("http_response_ms[" + s.name() + (i == report.steps().size() - 1 ? ", scale-out" : "") + "]", "ms",
                        s.requests(), s.p50(), s.p90(), s.p99(), s.max(), null, "gatling",
                        0, "Gatling's response-time percentiles of " + step + " (all requests, OK and KO)"));
                figures.add(Metric.value("http_errors[" + s.name() + "]", "requests", s.requests(), s.ko(), "gatling",
                        "requests that failed (not HTTP 200, or no answer)"));
            }
            figures.add(Metric.value("http_requests", "requests", report.overall().requests(), report.overall().requests(), "gatling",
                    "all requests sent; Gatling's report: " + report.reportDir()));
            if (scaledAt.get() != null && scaledOutAt.get() != null) {
                figures.add(Metric.value("scale_out_s", "s", replicas, Duration.between(scaledAt.get(), scaledOutAt.get()).toMillis() / 1000.0,
                        "client (scale call -> last new replica seen running)", "scale from " + replicas + " to " + 2 * replicas + " replicas under load"));
            }
            run.figures(tasks -> figures);
            AllureAssets.attachDirectoryZip("Gatling report " + testbed.orchestrator().name(), report.reportDir());

            assertThat(report.overall().requests()).as("requests Gatling sent").isPositive();
            assertThat(scaledOutAt.get()).as("all %d replicas running after the scale-out", 2 * replicas).isNotNull();
        });
    }

    private static void awaitAnswer(org.computeops.scenarios.harness.ScenarioRun run, URI endpoint, Duration timeout) {
        var http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        var request = java.net.http.HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(2)).build();
        AtomicReference<String> last = new AtomicReference<>("no answer yet");
        boolean answered = run.awaitQuietly("entry point", Duration.ofSeconds(Math.min(120, timeout.toSeconds())), () -> {
            try {
                int status = http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                last.set("HTTP " + status);
                return status == 200;
            } catch (Exception e) {
                last.set(e.toString());
                return false;
            }
        }, () -> "waiting for " + endpoint + " to answer (last: " + last.get() + ")");
        assertThat(answered).as("the service answers at its entry point %s (last: %s)", endpoint, last.get()).isTrue();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
