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
import org.computeops.results.measurements.HttpLoad;
import org.computeops.results.measurements.ScaleOut;
import org.computeops.scenarios.harness.AllureAttachments;
import org.computeops.scenarios.harness.OrchestratorExtension;
import org.computeops.scenarios.harness.OrchestratorSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service of R replicas under Gatling load at stepped arrival rates through the orchestrator's
 * own entry point; during the last step it is scaled from R to 2R: Gatling's response times and
 * errors per step, and how long the scale-out took. Where the orchestrator publishes each replica
 * on its own address instead (Swarm without its routing mesh), the client spreads the load.
 */
@ExtendWith(OrchestratorExtension.class)
class ServiceUnderLoadScenario {

    private static final Logger LOG = LoggerFactory.getLogger(ServiceUnderLoadScenario.class);

    @Test
    @DisplayName("Service under load: stepped HTTP load, then scale-out from R to 2R under load")
    void serviceUnderLoad(OrchestratorSession session) {
        session.execute("service-under-load", EnumSet.of(Capability.SERVICE, Capability.SCALE, Capability.SERVICE_ENDPOINT), scenario -> {
            int replicas = scenario.parameters().positiveInt("scenario.load.replicas", 2);
            List<Integer> rates = scenario.parameters().positiveInts("scenario.load.rates", List.of(10, 20, 40));
            int stepSeconds = scenario.parameters().positiveInt("scenario.load.stepSeconds", 8);
            Duration timeout = scenario.parameters().seconds("scenario.timeout.s", 900);
            String orchestrator = session.orchestrator().name();

            Deployment service = scenario.submit(new Service("web", scenario.parameters().string("scenario.service.image", Images.SERVICE),
                    List.of(), replicas, 8080, Resources.NONE, Placement.REAL_NODES));
            scenario.awaitRunning(service, replicas, null, timeout);
            ServiceEntry entry = scenario.awaitAnsweringEntry(service, replicas, timeout);
            scenario.parameter("entry point", entry.description() + ": " + entry.addresses());
            String spread = entry.balancedByOrchestrator() ? ""
                    : "the client spreads the load over every running replica's own address (re-read each second)";

            // The last step is the scale-out: it starts when the load enters that step.
            List<Integer> plan = new ArrayList<>(rates);
            plan.add(rates.get(rates.size() - 1));
            AtomicBoolean scaledOut = new AtomicBoolean();
            CompletableFuture<Void> scaler = CompletableFuture.runAsync(() -> {
                scenario.pause(Duration.ofSeconds((long) rates.size() * stepSeconds));
                Instant scaledAt = Instant.now();
                session.orchestrator().scale(service, 2 * replicas);
                scenario.measure(new ScaleOut(service.workload().name(), scaledAt, replicas, 2 * replicas));
                scaledOut.set(scenario.awaitQuietly("scale-out", timeout, () -> scenario.running(service, null).size() >= 2 * replicas,
                        () -> scenario.running(service, null).size() + "/" + 2 * replicas + " replicas running"));
            });
            LoadTargets targets = new LoadTargets();
            // Per-replica addresses: follow the scale-out, or the new replicas would get no load.
            AutoCloseable follower = entry.balancedByOrchestrator() ? () -> { }
                    : scenario.followEntry(service, addresses -> {
                        LOG.info("load targets now {}", addresses);
                        targets.set(urls(addresses));
                    });
            LoadReport report;
            try (follower) {
                report = GatlingRunner.run(new LoadPlan(urls(entry.addresses()), plan, stepSeconds),
                        session.folder().gatlingDir(orchestrator), orchestrator + " " + scenario.scenario(), targets);
            }
            scaler.join();
            scenario.failIfTestbedDown();
            if (!entry.balancedByOrchestrator()) scenario.parameter("load targets at the end", targets.current());

            String reportFolder = session.folder().dir().relativize(report.reportDir().toAbsolutePath()).toString();
            scenario.measure(new HttpLoad(reportFolder, spread));
            AllureAttachments.attachDirectoryZip("Gatling report " + orchestrator, report.reportDir());

            assertThat(report.overall().requests()).as("requests Gatling sent").isPositive();
            assertThat(scaledOut.get()).as("all %d replicas running after the scale-out", 2 * replicas).isTrue();
        });
    }

    private static List<String> urls(List<URI> addresses) {
        return addresses.stream().map(URI::toString).toList();
    }
}
