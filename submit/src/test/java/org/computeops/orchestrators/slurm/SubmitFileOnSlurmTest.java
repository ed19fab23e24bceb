package org.computeops.orchestrators.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.submit.JobFileReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The job file, unchanged, as the Slurm adapter turns it into a job array (checked live by hand too, see README). */
class SubmitFileOnSlurmTest {

    @Test
    void theExampleFileBecomesAnArrayWithItsResources() {
        BatchJob batch = JobFileReader.read(Path.of("src/test/resources/everything.yaml"), "everything.yaml");
        JsonNode body = SlurmJobs.submitBody("run", batch, "main", Path.of("/bundles/computeops_batch_1.0"), null,
                SlurmJobs.arrayExpression(batch), 60, 100);

        assertThat(body.at("/job/array").asText()).isEqualTo("0-5%3");
        // Slurm reserves whole CPUs: 1.5 cores become 2
        assertThat(body.at("/job/cpus_per_task").asInt()).isEqualTo(2);
        assertThat(body.at("/job/memory_per_node").asLong()).isEqualTo(512);
        assertThat(body.at("/job/gres").asText()).isEqualTo("gpu:1");
        assertThat(body.path("script").asText()).isEqualTo("#!/bin/sh\nexec 'sh' '-c' 'sleep 1; echo done'\n");
    }
}
