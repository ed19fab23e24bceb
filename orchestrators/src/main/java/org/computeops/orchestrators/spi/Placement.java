package org.computeops.orchestrators.spi;

/**
 * Where a workload's tasks may land, in workload terms. Testbeds can mix nodes that run
 * containers for real with simulated nodes that only take part in scheduling.
 */
public enum Placement {
    /** Any schedulable node, real or simulated. */
    ANY,
    /** Only nodes that really run the container (needed when the task must answer traffic). */
    REAL_NODES,
    /** Only simulated nodes: measures the scheduler without container start-up costs. */
    SIMULATED_NODES;

    /** Whether a task placed this way may run on the node. */
    public boolean admits(NodeInfo node) {
        return switch (this) {
            case ANY -> true;
            case REAL_NODES -> !node.simulated();
            case SIMULATED_NODES -> node.simulated();
        };
    }
}
