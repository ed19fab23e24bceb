package org.computeops.scenarios.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.results.files.AllureFiles;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A node lost mid-scenario names the fault in the scenario's status, not the timeout it caused. */
class NodesDownTest {

    static NodeInfo node(String id, String name, boolean ready) {
        return new NodeInfo(id, name, false, ready, 2000, 4096, 0, Map.of());
    }

    static final List<NodeInfo> START = List.of(node("m1", "co-mgr", true), node("w1", "co-w1", true),
            node("g1", "co-gpu", true), node("w9", "co-w9", false));

    @Test
    void aNodeReadyAtTheStartAndDownAtTheTimeoutIsNamed() {
        List<NodeInfo> now = List.of(node("m1", "co-mgr", true), node("w1", "co-w1", false), node("g1", "co-gpu", true),
                node("w9", "co-w9", false));
        assertThat(NodesDown.lost(START, now, Set.of())).contains("node co-w1 (not ready)");
    }

    @Test
    void aNodeGoneFromTheListIsNamedAndSeveralAreListed() {
        List<NodeInfo> now = List.of(node("m1", "co-mgr", true), node("w1", "co-w1", false));
        assertThat(NodesDown.lost(START, now, Set.of())).contains("nodes co-w1 (not ready), co-gpu (gone from the node list)");
    }

    @Test
    void nothingWhenEveryNodeIsUpOrWasDownAlreadyOrWasStoppedByTheScenario() {
        assertThat(NodesDown.lost(START, START, Set.of())).isEmpty();
        List<NodeInfo> now = List.of(node("m1", "co-mgr", true), node("w1", "co-w1", false), node("g1", "co-gpu", true));
        assertThat(NodesDown.lost(START, now, Set.of("w1"))).as("stopped by the failure scenario, by id").isEmpty();
        assertThat(NodesDown.lost(START, now, Set.of("co-w1"))).as("or by name").isEmpty();
    }

    @Test
    void theStatusNamesTheFaultAndKeepsTheTimeoutAndAllureFilesItAsATestbedFault() throws Exception {
        String message = NodesDown.message("swarm", "node co-w1 (not ready)", Instant.parse("2026-11-29T10:00:00Z"),
                "scheduling-latency: batch did not finish within 60 s (scenario.timeout.s): 3/4 succeeded");
        assertThat(message).startsWith("testbed fault: swarm lost node co-w1 (not ready) during the scenario")
                .contains("not stopped by the scenario").contains("did not finish within 60 s");
        List<String> categories = new ArrayList<>();
        for (JsonNode c : new ObjectMapper().readTree(AllureFiles.CATEGORIES)) {
            boolean broken = c.path("matchedStatuses").toString().contains("broken");
            if (broken && message.matches(c.path("messageRegex").asText())) categories.add(c.path("name").asText());
        }
        assertThat(categories).singleElement().asString().startsWith("Testbed fault");
    }
}
