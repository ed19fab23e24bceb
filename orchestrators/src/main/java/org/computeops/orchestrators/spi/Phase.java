package org.computeops.orchestrators.spi;

/** The life of one task, in the same words for every orchestrator. */
public enum Phase {
    /** The orchestrator has made the task (a Kubernetes pod, a Swarm task) but not bound it to a node. */
    CREATED,
    /** Bound to a node. */
    SCHEDULED,
    /** The node is preparing or starting the container. */
    STARTED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** Gone without finishing: its node died, or it was removed. */
    LOST;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == LOST;
    }
}
