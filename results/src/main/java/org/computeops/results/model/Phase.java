package org.computeops.results.model;

/**
 * The life of one task, as the results record it. The same words as the adapter SPI's phases,
 * defined here so the results (and their CLI) need no adapter on the class path.
 */
public enum Phase {
    SUBMITTED, SCHEDULED, STARTED, RUNNING, SUCCEEDED, FAILED, LOST;

    /** The column-name form used in tasks.csv and in figure names. */
    public String lower() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
