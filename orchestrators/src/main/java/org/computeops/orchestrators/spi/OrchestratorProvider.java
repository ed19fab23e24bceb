package org.computeops.orchestrators.spi;

/** Registered through {@code META-INF/services}; one per orchestrator. */
public interface OrchestratorProvider {

    String name();

    Orchestrator open(AdapterSettings settings);

    /** The {@code testbed.*} keys the adapter reads; the harness refuses an unknown key with the nearest known one. */
    default java.util.List<String> settingKeys() {
        return java.util.List.of();
    }
}
