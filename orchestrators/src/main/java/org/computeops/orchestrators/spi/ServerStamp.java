package org.computeops.orchestrators.spi;

/** How fine a task event's server timestamp is, so that whole seconds never feed a compared figure. */
public enum ServerStamp {
    /** The orchestrator's own timestamp of the change, finer than a second. */
    SUB_SECOND,
    /** Truncated to the second (Kubernetes pod and container times, Slurm job times): kept per task, never compared. */
    WHOLE_SECOND,
    /** Not seen itself: the sub-second timestamp of a later state, an upper bound of it (counted as inferred). */
    BOUND
}
