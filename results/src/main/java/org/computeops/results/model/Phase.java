package org.computeops.results.model;

/**
 * The life of one task, as the results record it. The same words as the adapter SPI's phases,
 * defined here so the results (and their CLI) need no adapter on the class path.
 */
public enum Phase {
    CREATED, SCHEDULED, STARTED, RUNNING, SUCCEEDED, FAILED, LOST;

    /** The phases that end a task (succeeded, failed, lost). */
    public static final java.util.Set<Phase> ENDS = java.util.EnumSet.of(SUCCEEDED, FAILED, LOST);

    /** Whether a task whose phases are these has ended. */
    public static boolean ended(java.util.Collection<Phase> reached) {
        return reached.stream().anyMatch(ENDS::contains);
    }

    /** The column-name form used in tasks.csv and in figure names. */
    public String lower() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
