package org.computeops.scenarios.harness;

import org.computeops.orchestrators.spi.NodeInfo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A node the testbed lost during a scenario that did not stop it itself: ready when the scenario
 * started, not ready (or gone) when its wait ran out. Some orchestrators keep a dead node's tasks
 * "running" (Swarm orphans them only after 24 h), so such a scenario ends at its own timeout; its
 * status then names the lost node (broken by the testbed) instead of the timeout (a product failure).
 */
final class NodesDown {

    /** The start of the message of a scenario ended this way; Allure's category "testbed fault" matches it. */
    static final String FAULT = "testbed fault: ";

    private NodesDown() {
    }

    /**
     * The nodes lost between {@code before} and {@code now}, in words, or empty when none was;
     * {@code stoppedOnPurpose} (node ids or names) are those the scenario stopped itself.
     */
    static Optional<String> lost(List<NodeInfo> before, List<NodeInfo> now, Set<String> stoppedOnPurpose) {
        Map<String, NodeInfo> current = now.stream().collect(Collectors.toMap(NodeInfo::id, Function.identity(), (a, b) -> a));
        List<String> lost = new ArrayList<>();
        for (NodeInfo n : before) {
            if (!n.ready() || stoppedOnPurpose.contains(n.id()) || stoppedOnPurpose.contains(n.name())) continue;
            NodeInfo later = current.get(n.id());
            if (later == null) lost.add(n.name() + " (gone from the node list)");
            else if (!later.ready()) lost.add(n.name() + " (not ready)");
        }
        if (lost.isEmpty()) return Optional.empty();
        return Optional.of((lost.size() == 1 ? "node " : "nodes ") + String.join(", ", lost));
    }

    /** The scenario's status message for a wait that ran out while nodes were lost. */
    static String message(String orchestrator, String lost, Instant startedAt, String assertion) {
        return FAULT + orchestrator + " lost " + lost + " during the scenario (ready at its start, " + startedAt
                + "; not stopped by the scenario): its tasks there could not finish (the scenario's own check failed meanwhile: "
                + assertion + ")";
    }

    /** A scenario ended because the testbed lost a node: the testbed broke, not the product. */
    static final class NodeLost extends RuntimeException {
        NodeLost(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
