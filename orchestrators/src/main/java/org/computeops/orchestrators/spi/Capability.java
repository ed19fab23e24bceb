package org.computeops.orchestrators.spi;

/** What an adapter, on the testbed it is connected to, can do. A scenario needing a missing one is skipped with the reason. */
public enum Capability {
    BATCH,
    SERVICE,
    SCALE,
    /** GPU requests are honoured by the scheduler (the cluster advertises GPUs). */
    GPU,
    /** The testbed can stop and restore a node. */
    NODE_FAILURE,
    /** Services answer this client: through the orchestrator's own entry point, or per replica ({@link ServiceEntry}). */
    SERVICE_ENDPOINT,
    /** Some nodes are simulated (they schedule but run nothing). */
    SIMULATED_NODES,
    /** Batch jobs in {@link Priority#HIGH} are started before waiting {@link Priority#LOW} ones submitted earlier. */
    PRIORITY_CLASSES,
    /**
     * A batch job whose tasks were on a node that died still reaches all its completions (a
     * Kubernetes Job replaces them, Slurm requeues them): the failure scenario then asserts it.
     * Without it, lost tasks are reported ({@code tasks_lost}), not held against the orchestrator.
     */
    BATCH_SURVIVES_NODE_LOSS
}
