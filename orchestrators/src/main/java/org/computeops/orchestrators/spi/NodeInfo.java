package org.computeops.orchestrators.spi;

import java.util.Map;

/**
 * One node as the orchestrator advertises it. {@code simulated} nodes take part in scheduling
 * but run no container (KWOK nodes, for example), so their start-up times are not real ones.
 */
public record NodeInfo(String id, String name, boolean simulated, boolean ready,
                       long cpuMillis, long memoryMiB, int gpus, Map<String, String> labels) {

    public NodeInfo {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
