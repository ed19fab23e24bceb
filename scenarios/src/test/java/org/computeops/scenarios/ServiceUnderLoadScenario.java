package org.computeops.scenarios;

import org.computeops.gatling.GatlingRunner;
import org.computeops.gatling.LoadPlan;
import org.computeops.gatling.LoadReport;
import org.computeops.gatling.LoadTargets;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.orchestrators.spi.Service;
import org.computeops.orchestrators.spi.ServiceEntry;
import org.computeops.results.AllureAssets;
import org.computeops.results.GatlingStatistics;
import org.computeops.results.Metric;
import org.computeops.results.Recovery;
import org.computeops.results.TaskRecord;
import org.computeops.scenarios.harness.ScenarioRun;
import org.computeops.scenarios.harness.Testbed;
import org.computeops.scenarios.harness.TestbedExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service of R replicas under Gatling load at stepped arrival rates through the orchestrator's
 * own entry point; during the last step it is scaled from R to 2R: Gatling's response times and
 * errors per step, and how long the scale-out took. Where the orchestrator publishes each replica
 * on its own address instead (Swarm without its routing mesh), the client spreads the load.
 */
@ExtendWith(TestbedExtension.class)
class ServiceUnderLoadScenario {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceUnderLoadScenario.class);

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
            ServiceEntry entry = awaitEntry(run, testbed, service, replicas, timeout);
            run.parameter("entry point", entry.description() + ": " + entry.addresses());
            awaitAnswer(run, entry.addresses(), timeout);
            String spread = entry.balancedByOrchestrator() ? ""
                    : "; the client spreads the load over every running replica's own address (re-read each second)";

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
                    List<TaskRecord> replicaTasks = run.tasks().stream().filter(t -> t.deploymentId().equals(service.id())).toList();
                    scaledOutAt.set(Recovery.firstRunningAtOnce(replicaTasks, null, scaledAt.get(), 2 * replicas).orElse(null));
                }
            });
            Path gatlingDir = testbed.resultsDir().resolve("gatling").resolve(testbed.orchestrator().name());
            LoadTargets targets = new LoadTargets();
            // Per-replica addresses: follow the scale-out, or the new replicas would get no load.
            ScheduledExecutorService refresher = entry.balancedByOrchestrator() ? null : followEntry(testbed, service, targets);
            LoadReport report;
            try {
                report = GatlingRunner.run(new LoadPlan(urls(entry), plan, stepSeconds), gatlingDir,
                        testbed.orchestrator().name() + " " + run.scenario(), targets);
            } finally {
                if (refresher != null) refresher.shutdownNow();
            }
            scaler.join();
            if (refresher != null) run.parameter("load targets at the end", targets.current());

            Path reportFolder = testbed.resultsDir().toAbsolutePath().relativize(report.reportDir().toAbsolutePath());
            run.parameter(GatlingStatistics.REPORT, reportFolder);
            List<Metric> figures = new ArrayList<>(GatlingStatistics.figures(new GatlingStatistics.Table(report.overall(), report.steps()),
                    spread, "all requests sent; Gatling's report: " + reportFolder + "/index.html"));
            if (scaledAt.get() != null && scaledOutAt.get() != null) {
                figures.add(Metric.value("scale_out_s", "s", replicas, Duration.between(scaledAt.get(), scaledOutAt.get()).toMillis() / 1000.0,
                        "client", "scale call -> " + 2 * replicas + " replicas first seen running at once, under load (scale from "
                                + replicas + " to " + 2 * replicas + ")"));
            }
            run.figures(tasks -> figures);
            AllureAssets.attachDirectoryZip("Gatling report " + testbed.orchestrator().name(), report.reportDir());

            assertThat(report.overall().requests()).as("requests Gatling sent").isPositive();
            assertThat(scaledOutAt.get()).as("all %d replicas running after the scale-out", 2 * replicas).isNotNull();
        });
    }

    /** Where the orchestrator publishes per replica, waits until every replica's address is listed. */
    private static ServiceEntry awaitEntry(ScenarioRun run, Testbed testbed, Deployment service, int replicas, Duration timeout) {
        AtomicReference<Optional<ServiceEntry>> entry = new AtomicReference<>(Optional.empty());
        run.awaitQuietly("entry point listed", Duration.ofSeconds(Math.min(60, timeout.toSeconds())), () -> {
            entry.set(testbed.orchestrator().serviceEntry(service));
            return entry.get().map(e -> e.balancedByOrchestrator() || e.addresses().size() >= replicas).orElse(false);
        }, () -> "entry so far: " + entry.get().map(e -> e.addresses().toString()).orElse("none"));
        return entry.get().orElseThrow(() -> new AssertionError(testbed.orchestrator().name() + " gave no entry point for the service"));
    }

    private static ScheduledExecutorService followEntry(Testbed testbed, Deployment service, LoadTargets targets) {
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "load-targets");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleWithFixedDelay(() -> {
            try {
                testbed.orchestrator().serviceEntry(service).map(ServiceUnderLoadScenario::urls).ifPresent(urls -> {
                    if (!urls.equals(targets.current())) {
                        LOG.info("load targets now {}", urls);
                        targets.set(urls);
                    }
                });
            } catch (RuntimeException e) {
                // keep the last targets: one failed read must not stop the load
                LOG.warn("could not re-read the service entry: {}", e.toString());
            }
        }, 1, 1, TimeUnit.SECONDS);
        return refresher;
    }

    private static List<String> urls(ServiceEntry entry) {
        return entry.addresses().stream().map(URI::toString).toList();
    }

    /**
     * A new client (so a new connection) per probe: until the entry point is programmed
     * (kube-proxy's rules, a host port) a connection may reach something else that answers
     * (on this CI machine an egress proxy says 404), and a pooled connection would stay there.
     */
    private static void awaitAnswer(ScenarioRun run, List<URI> addresses, Duration timeout) {
        Map<URI, String> last = new ConcurrentHashMap<>();
        addresses.forEach(address -> last.put(address, "no answer yet"));
        boolean answered = run.awaitQuietly("entry point", Duration.ofSeconds(Math.min(120, timeout.toSeconds())), () -> {
            boolean all = true;
            for (URI address : addresses) {
                if (last.get(address).equals("HTTP 200")) continue;
                try {
                    var http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                    var request = java.net.http.HttpRequest.newBuilder(address).timeout(Duration.ofSeconds(2)).build();
                    last.put(address, "HTTP " + http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
                } catch (Exception e) {
                    last.put(address, e.toString());
                }
                all &= last.get(address).equals("HTTP 200");
            }
            return all;
        }, () -> "waiting for every address to answer (last: " + last + ")");
        assertThat(answered).as("the service answers at every address of its entry point (last: %s)", last).isTrue();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
