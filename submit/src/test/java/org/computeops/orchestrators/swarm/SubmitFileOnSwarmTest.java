package org.computeops.orchestrators.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.submit.JobFileReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job file, unchanged, as the Swarm adapter turns it into a replicated-job service spec (its own
 * spec builder; the live Swarm testbed is not used by the submit module's tests).
 */
class SubmitFileOnSwarmTest {

    @Test
    void theExampleFileBecomesAReplicatedJobWithItsReservations() {
        BatchJob batch = JobFileReader.read(Path.of("src/test/resources/everything.yaml"), "everything.yaml");
        JsonNode spec = SwarmSpecs.serviceSpec("run", batch, "gpu", 3, false);

        assertThat(spec.at("/Mode/ReplicatedJob/TotalCompletions").asInt()).isEqualTo(6);
        assertThat(spec.at("/Mode/ReplicatedJob/MaxConcurrent").asInt()).isEqualTo(3);
        assertThat(spec.at("/TaskTemplate/ContainerSpec/Image").asText()).isEqualTo("computeops/batch:1.0");
        assertThat(spec.at("/TaskTemplate/ContainerSpec/Command").toString()).isEqualTo("[\"sh\",\"-c\",\"sleep 1; echo done\"]");
        JsonNode reservations = spec.at("/TaskTemplate/Resources/Reservations");
        assertThat(reservations.path("NanoCPUs").asLong()).isEqualTo(1_500_000_000L);
        assertThat(reservations.path("MemoryBytes").asLong()).isEqualTo(512L * 1024 * 1024);
        assertThat(reservations.at("/GenericResources/0/DiscreteResourceSpec/Value").asInt()).isEqualTo(1);
    }

    @Test
    void theLongestNameTheFileAcceptsMakesAServiceNameSwarmAccepts() {
        BatchJob batch = new BatchJob("n".repeat(32), "computeops/batch:1.0", java.util.List.of("true"), 1, 1,
                org.computeops.orchestrators.spi.Resources.NONE, org.computeops.orchestrators.spi.Placement.ANY);
        String runId = "submit-20261129-052443-ouh4";
        assertThat(SwarmSpecs.serviceName(runId, batch)).hasSize(63);
    }
}
