package org.computeops.orchestrators.spi;

import java.net.URI;
import java.util.List;

/**
 * Where a service answers, as reachable from this client. One address where the orchestrator
 * balances over the replicas itself (Swarm's routing mesh, a Kubernetes Service); one per running
 * replica where it publishes per task (Swarm host-mode ports): the client then spreads the load,
 * and reads the entry again to follow a scale-out.
 *
 * @param description in words for the report: which entry point, and why where it is not the usual one
 */
public record ServiceEntry(String description, List<URI> addresses, boolean balancedByOrchestrator) {

    public ServiceEntry {
        if (description == null || description.isBlank()) throw new IllegalArgumentException("a service entry needs a description");
        if (addresses == null || addresses.isEmpty()) {
            throw new IllegalArgumentException("a service entry needs at least one address (" + description + ")");
        }
        addresses = List.copyOf(addresses);
    }
}
