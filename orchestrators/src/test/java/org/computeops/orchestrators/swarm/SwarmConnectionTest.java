package org.computeops.orchestrators.swarm;

import org.computeops.orchestrators.spi.Orchestrators;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad endpoints fail with a sentence naming the setting, not a stack trace. */
class SwarmConnectionTest {

    @Test
    void unreachableEngineNamesTheEndpointAndTheSetting() {
        AdapterSettings settings = new AdapterSettings("t1", Map.of("testbed.swarm.host", "unix:///nonexistent/docker.sock"));
        assertThatThrownBy(() -> Orchestrators.open("swarm", settings))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("cannot reach the Docker engine at unix:///nonexistent/docker.sock")
                .hasMessageContaining("testbed.swarm.host")
                .hasMessageContaining("infra/testbed up swarm");
    }

    @Test
    void unknownOrMissingOrchestratorListsTheProfiles() {
        AdapterSettings settings = new AdapterSettings("t1", Map.of());
        assertThatThrownBy(() -> Orchestrators.open("nomad", settings))
                .isInstanceOf(AdapterException.class).hasMessageContaining("unknown orchestrator 'nomad'").hasMessageContaining("swarm");
        assertThatThrownBy(() -> Orchestrators.open("", settings))
                .isInstanceOf(AdapterException.class).hasMessageContaining("-Pswarm");
    }

    @Test
    void badRunIdIsRejected() {
        assertThatThrownBy(() -> new AdapterSettings("Bad Run!", Map.of()))
                .isInstanceOf(AdapterException.class).hasMessageContaining("testbed.runId");
    }
}
