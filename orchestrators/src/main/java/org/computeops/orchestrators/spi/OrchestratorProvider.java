package org.computeops.orchestrators.spi;

/** Registered through {@code META-INF/services}; one per orchestrator. */
public interface OrchestratorProvider {

    String name();

    Orchestrator open(AdapterSettings settings);
}
