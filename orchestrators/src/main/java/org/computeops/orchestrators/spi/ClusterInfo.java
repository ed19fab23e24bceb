package org.computeops.orchestrators.spi;

import java.util.List;

/** What an orchestrator says about itself: name, server version, where it was reached, its nodes. */
public record ClusterInfo(String orchestrator, String version, String endpoint, List<NodeInfo> nodes) {

    public ClusterInfo {
        nodes = List.copyOf(nodes);
    }

    public int totalGpus() {
        return nodes.stream().filter(NodeInfo::ready).mapToInt(NodeInfo::gpus).sum();
    }

    public long readyNodes() {
        return nodes.stream().filter(NodeInfo::ready).count();
    }
}
