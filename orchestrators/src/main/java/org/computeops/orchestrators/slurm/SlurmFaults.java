package org.computeops.orchestrators.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import org.computeops.orchestrators.spi.Faults;
import org.computeops.orchestrators.spi.NodeControlProgram;
import org.computeops.orchestrators.spi.StoppedNodes;
import org.computeops.orchestrators.spi.AdapterException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Node crashes on a Slurm cluster whose nodes the testbed can power: no Slurm API kills a slurmd,
 * so the node-control program ({@code testbed.slurm.nodeControl}, called as
 * {@code PROGRAM stop|start NODENAME}) does, as infra/slurm/node.sh does for the local testbed.
 */
final class SlurmFaults implements Faults {

    /** The slurm.conf keys that decide how fast a lost node is noticed and what happens to its jobs. */
    static final List<String> DETECTION_KEYS = List.of("SlurmdTimeout", "ReturnToService", "JobRequeue",
            "MessageTimeout", "SchedulerParameters", "AuthInfo");

    private final Supplier<JsonNode> nodes;
    private final NodeControlProgram nodeControl;
    private final Path slurmConf;
    private final boolean releaseRequeued;

    SlurmFaults(Supplier<JsonNode> nodes, NodeControlProgram nodeControl, Path slurmConf, boolean releaseRequeued) {
        this.nodes = nodes;
        this.nodeControl = nodeControl;
        this.slurmConf = slurmConf;
        this.releaseRequeued = releaseRequeued;
    }
    private final StoppedNodes stopped = new StoppedNodes();

    @Override
    public void stopNode(String nodeId) {
        stopped.add(nodeId);
        nodeControl.stop(nodeId);
    }

    /** Starts every node this adapter stopped and did not restore (close, a JVM shutting down). */
    void restoreAll() {
        stopped.restoreAll(this::restoreNode);
    }

    @Override
    public void restoreNode(String nodeId) {
        nodeControl.start(nodeId);
        stopped.remove(nodeId);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode node : nodes.get()) {
                if (nodeId.equals(node.path("name").asText()) && SlurmJobs.ready(node)) return;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AdapterException("interrupted while waiting for node " + nodeId);
            }
        }
        throw new AdapterException("node " + nodeId + " did not come back ready within 2 minutes after '" + nodeControl + " start'");
    }

    @Override
    public Map<String, String> failureDetectionSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        Map<String, String> conf = readConf(slurmConf);
        String source = slurmConf == null ? null : " (read from " + slurmConf + ")";
        for (String key : DETECTION_KEYS) {
            if (source == null) {
                settings.put("slurm." + key, "unknown: slurmrestd v0.0.38 has no configuration endpoint; set testbed.slurm.slurmConf");
            } else {
                settings.put("slurm." + key + source, conf.getOrDefault(key, "not set (Slurm's default)"));
            }
        }
        settings.put("slurm.node.down.after", "a node is set DOWN once it has not answered slurmctld's pings for SlurmdTimeout"
                + " seconds; its batch jobs are then requeued (JobRequeue, job flag requeue=true) or end NODE_FAIL");
        settings.put("slurm.requeued.held", "a requeued job may start again only after AuthInfo's cred_expire"
                + " (its old job credential's lifetime; Slurm's default 120 s, shown as reason BeginTime)");
        settings.put("testbed.slurm.releaseRequeued", releaseRequeued
                ? "true: the adapter sets a requeued job's begin time to now, overriding cred_expire's wait"
                : "false: a requeued job waits for the begin time Slurm gives it (cred_expire)");
        return settings;
    }

    /** key=value lines of slurm.conf (keys as written; comments and NodeName/PartitionName lines are kept out). */
    static Map<String, String> readConf(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        if (file == null) return out;
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new AdapterException("testbed.slurm.slurmConf '" + file + "' cannot be read: " + e.getMessage());
        }
        for (String line : lines) {
            String l = line.strip();
            int hash = l.indexOf('#');
            if (hash >= 0) l = l.substring(0, hash).strip();
            int eq = l.indexOf('=');
            if (eq <= 0 || l.contains(" ")) continue;
            out.put(l.substring(0, eq), l.substring(eq + 1));
        }
        return out;
    }
}
