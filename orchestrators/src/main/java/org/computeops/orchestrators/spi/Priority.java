package org.computeops.orchestrators.spi;

/**
 * A batch job's priority class: when more tasks wait than the cluster can run, tasks of the HIGH
 * class should be started before LOW ones submitted earlier. NORMAL asks for no class at all (the
 * orchestrator's default order). Needs {@link Capability#PRIORITY_CLASSES} for LOW and HIGH.
 */
public enum Priority {
    NORMAL,
    LOW,
    HIGH
}
