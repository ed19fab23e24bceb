package org.computeops.orchestrators.mesos;

import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.ClusterInfo;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Orchestrator;
import org.computeops.orchestrators.spi.Orchestrators;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.orchestrators.spi.Service;
import org.computeops.orchestrators.spi.TaskEvent;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Against a REAL Mesos master, only when {@code -Dtestbed.mesos.master=URL} is given (a site that
 * still runs Mesos; see infra/mesos/README.md). Skipped everywhere else, including this project's
 * own machines, where no Mesos exists.
 */
@EnabledIfSystemProperty(named = "testbed.mesos.master", matches = ".+")
class MesosLiveTest {

    @Test
    void batchAndServiceOnARealMaster() throws Exception {
        Map<String, String> props = System.getProperties().stringPropertyNames().stream()
                .filter(k -> k.startsWith("testbed."))
                .collect(Collectors.toMap(k -> k, System::getProperty));
        String image = props.getOrDefault("testbed.mesos.image", "busybox:1.36");
        String runId = "live-" + Long.toString(System.currentTimeMillis(), 36);
        try (Orchestrator mesos = Orchestrators.open("mesos", new AdapterSettings(runId, props))) {
            ClusterInfo info = mesos.describe();
            System.out.println("Mesos live check against " + info.endpoint() + ": " + info.version() + ", " + info.nodes().size() + " agent(s)");
            assertThat(info.readyNodes()).isPositive();

            List<TaskEvent> events = Collections.synchronizedList(new ArrayList<>());
            BatchJob job = new BatchJob("live-job", image, List.of("/bin/sh", "-c", "sleep 1"), 2, 2, new Resources(100, 32, 0), Placement.ANY);
            Deployment jd = mesos.submit(job);
            mesos.events(jd, events::add);
            await().atMost(Duration.ofMinutes(5)).until(() -> count(events, jd, Phase.SUCCEEDED) == 2);

            Service svc = new Service("live-svc", image, List.of("/bin/sh", "-c", "sleep 3600"), 2, 8080, new Resources(100, 32, 0), Placement.REAL_NODES);
            Deployment sd = mesos.submit(svc);
            mesos.events(sd, events::add);
            await().atMost(Duration.ofMinutes(5)).until(() -> count(events, sd, Phase.RUNNING) == 2);
            mesos.scale(sd, 1);
            await().atMost(Duration.ofMinutes(2)).until(() -> count(events, sd, Phase.LOST) == 1);
            mesos.remove(sd);
            await().atMost(Duration.ofMinutes(2)).until(() -> count(events, sd, Phase.LOST) == 2);
            assertThat(events).filteredOn(e -> e.phase() == Phase.RUNNING).allSatisfy(e -> assertThat(e.serverTime()).isNotNull());
        }
    }

    private static long count(List<TaskEvent> events, Deployment d, Phase phase) {
        synchronized (events) {
            return events.stream().filter(e -> e.deploymentId().equals(d.id()) && e.phase() == phase).count();
        }
    }
}
