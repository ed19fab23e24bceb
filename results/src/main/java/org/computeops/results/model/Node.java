package org.computeops.results.model;

import java.util.Map;

/**
 * One node as the orchestrator advertised it during the run. {@code simulated} nodes take part
 * in scheduling but start no container (KWOK nodes, simulated Swarm workers).
 */
public record Node(String id, String name, boolean simulated, boolean ready,
                   long cpuMillis, long memoryMiB, int gpus, Map<String, String> labels) {

    public Node {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
