package org.computeops.orchestrators.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import org.computeops.orchestrators.spi.Faults;
import org.computeops.orchestrators.spi.NodeControlProgram;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.StoppedNodes;
import org.computeops.orchestrators.spi.AdapterException;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Node crashes on a Swarm whose nodes the testbed can power: the Engine API cannot stop an
 * engine, so the testbed's node-control program ({@code testbed.swarm.nodeControl}, called as
 * {@code PROGRAM stop|start HOSTNAME}) does, as infra/swarm/node.sh does for the local swarm.
 */
final class SwarmFaults implements Faults {

    private final SwarmEngine engine;
    private final NodeControlProgram nodeControl;
    private final StoppedNodes stopped = new StoppedNodes();

    SwarmFaults(SwarmEngine engine, NodeControlProgram nodeControl) {
        this.engine = engine;
        this.nodeControl = nodeControl;
    }

    private String hostname(String nodeId) {
        return engine.get("/nodes/" + nodeId).path("Description").path("Hostname").asText();
    }

    @Override
    public void stopNode(String nodeId) {
        stopped.add(nodeId);
        nodeControl.stop(hostname(nodeId), () -> !"ready".equals(engine.get("/nodes/" + nodeId).path("Status").path("State").asText()));
    }

    @Override
    public void restoreNode(String nodeId) {
        String host = hostname(nodeId);
        nodeControl.start(host);
        stopped.remove(nodeId);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode node : engine.get("/nodes")) {
                if (host.equals(node.path("Description").path("Hostname").asText())
                        && "ready".equals(node.path("Status").path("State").asText())) {
                    return;
                }
            }
            sleep(500);
        }
        throw new AdapterException("node " + host + " did not come back ready within 2 minutes after '" + nodeControl + " start'");
    }

    /** Starts every node this adapter stopped and did not restore (close, also after an interrupt). */
    void restoreAll() {
        stopped.restoreAll(this::restoreNode);
    }

    @Override
    public boolean canStop(NodeInfo node) {
        return !"manager".equals(node.labels().get(SwarmSpecs.ROLE_LABEL));
    }

    @Override
    public Map<String, String> failureDetectionSettings() {
        JsonNode spec = engine.get("/swarm").path("Spec");
        long heartbeatNs = spec.path("Dispatcher").path("HeartbeatPeriod").asLong(5_000_000_000L);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("swarm.dispatcher.heartbeat (read from the swarm)", Duration.ofNanos(heartbeatNs).toMillis() + " ms");
        settings.put("swarm.node.down.after", "3 missed heartbeats (swarmkit), about " + Duration.ofNanos(3 * heartbeatNs).toMillis() + " ms");
        settings.put("swarm.task.restart.delay", "5000 ms (RestartPolicy.Delay default)");
        return settings;
    }


    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdapterException("interrupted");
        }
    }
}
