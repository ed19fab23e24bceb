package org.computeops.orchestrators.spi;

/** Receives task events; called from the adapter's own thread, so implementations must be thread-safe. */
@FunctionalInterface
public interface TaskEventListener {
    void onEvent(TaskEvent event);
}
