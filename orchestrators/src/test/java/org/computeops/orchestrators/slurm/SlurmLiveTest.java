package org.computeops.orchestrators.slurm;

import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Orchestrator;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.orchestrators.spi.TaskEvent;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Against a live Slurm testbed: a node killed under running batch tasks (it stops a node: asked for
 * by name only). Runs with {@code -Dslurm.live=true -Dtestbed.params=$TESTBED_STATE_DIR/slurm/testbed.properties}
 * (infra/testbed up slurm with TESTBED_FAILURE_DETECTION=short; with Slurm's default SlurmdTimeout=300 it takes minutes).
 */
@EnabledIfSystemProperty(named = "slurm.live", matches = "true")
class SlurmLiveTest {

    static Map<String, String> settings(String... kv) throws IOException {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(System.getProperty("testbed.params")))) {
            props.load(in);
        }
        Map<String, String> m = new HashMap<>();
        props.stringPropertyNames().forEach(k -> m.put(k, props.getProperty(k)));
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    @Test
    void tasksOfAKilledNodeAreLostAndTheirRequeuedIncarnationsRunElsewhere() throws Exception {
        Map<String, String> s = settings("testbed.slurm.releaseRequeued", "true");
        try (Orchestrator slurm = new SlurmOrchestratorProvider().open(new AdapterSettings("live-requeue", s))) {
            slurm.removeLeftovers();
            Map<String, String> detection = slurm.faults().failureDetectionSettings();
            System.out.println("failure detection: " + detection);
            assertThat(detection.entrySet()).anyMatch(e -> e.getKey().startsWith("slurm.SlurmdTimeout") && e.getValue().matches("\\d+"));

            int tasks = 6;
            Deployment d = slurm.submit(new BatchJob("requeue", "computeops/batch:1.0", List.of("sh", "-c", "sleep 90"),
                    tasks, tasks, Resources.NONE, Placement.ANY));
            List<TaskEvent> events = new CopyOnWriteArrayList<>();
            try (AutoCloseable watch = slurm.events(d, events::add)) {
                await().atMost(Duration.ofMinutes(2)).until(() -> events.stream().filter(e -> e.phase() == Phase.RUNNING).count() >= tasks);
                Map<String, Long> perNode = events.stream().filter(e -> e.phase() == Phase.RUNNING)
                        .collect(Collectors.groupingBy(TaskEvent::node, Collectors.counting()));
                String victim = perNode.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                Set<String> onVictim = events.stream().filter(e -> e.phase() == Phase.RUNNING && victim.equals(e.node()))
                        .map(TaskEvent::taskId).collect(Collectors.toSet());
                Instant fault = Instant.now();
                slurm.faults().stopNode(victim);
                try {
                    await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(200)).until(() -> onVictim.stream().allMatch(id ->
                            events.stream().anyMatch(e -> e.phase() == Phase.RUNNING && e.taskId().equals(id + ".r1"))));
                    Instant lost = events.stream().filter(e -> e.phase() == Phase.LOST && onVictim.contains(e.taskId()))
                            .map(TaskEvent::observedAt).min(Instant::compareTo).orElseThrow();
                    Instant rerun = events.stream().filter(e -> e.phase() == Phase.RUNNING && e.taskId().endsWith(".r1"))
                            .map(TaskEvent::observedAt).max(Instant::compareTo).orElseThrow();
                    System.out.printf("killed %s under %d task(s): first LOST seen after %.1f s, all requeued incarnations running after %.1f s%n",
                            victim, onVictim.size(), Duration.between(fault, lost).toMillis() / 1000.0,
                            Duration.between(fault, rerun).toMillis() / 1000.0);
                    assertThat(events).filteredOn(e -> e.phase() == Phase.LOST).extracting(TaskEvent::taskId)
                            .containsExactlyInAnyOrderElementsOf(onVictim);
                    assertThat(events).filteredOn(e -> e.phase() == Phase.LOST).allSatisfy(e -> {
                        assertThat(e.node()).isEqualTo(victim);
                        assertThat(e.detail()).contains("requeued");
                    });
                    assertThat(events).filteredOn(e -> e.phase() == Phase.RUNNING && e.taskId().endsWith(".r1"))
                            .extracting(TaskEvent::node).doesNotContain(victim);
                } finally {
                    slurm.faults().restoreNode(victim);
                }
            }
            slurm.remove(d);
        }
    }
}
