package org.computeops.orchestrators.swarm;

import org.computeops.orchestrators.spi.Orchestrator;
import org.computeops.orchestrators.spi.OrchestratorProvider;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens the Swarm adapter. Endpoint: {@code testbed.swarm.host}, else the local testbed's manager
 * socket when it exists, else {@code DOCKER_HOST}, else the default Docker socket.
 */
public final class SwarmOrchestratorProvider implements OrchestratorProvider {

    private static final Logger LOG = LoggerFactory.getLogger(SwarmOrchestratorProvider.class);
    static final String LOCAL_TESTBED_SOCKET = "/run/computeops/co-mgr.sock";

    @Override
    public String name() {
        return "swarm";
    }

    @Override
    public Orchestrator open(AdapterSettings settings) {
        String endpoint = settings.get("testbed.swarm.host").orElseGet(SwarmOrchestratorProvider::defaultEndpoint);
        LOG.info("Swarm manager endpoint: {}", endpoint);
        return new SwarmOrchestrator(settings, endpoint);
    }

    private static String defaultEndpoint() {
        if (Files.exists(Path.of(LOCAL_TESTBED_SOCKET))) return "unix://" + LOCAL_TESTBED_SOCKET;
        String dockerHost = System.getenv("DOCKER_HOST");
        return dockerHost != null && !dockerHost.isBlank() ? dockerHost : "unix:///var/run/docker.sock";
    }

    /** The testbed.* keys this adapter reads (the harness refuses any other under its prefix). */
    @Override
    public java.util.List<String> settingKeys() {
        return java.util.List.of("testbed.swarm.host", "testbed.swarm.gpuResource", "testbed.swarm.nodeControl", "testbed.swarm.pollMillis",
            "testbed.swarm.ingressUnavailable", "testbed.swarm.callTimeoutMillis", "testbed.swarm.metrics",
            "testbed.swarm.factsMillis");
    }
}
