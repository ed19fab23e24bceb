package org.computeops.orchestrators.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.submit.JobFileReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job file, unchanged, as the Kubernetes adapter turns it into a Job (its own spec builder; the
 * live Kubernetes testbed is not used by the submit module's tests). In this package to reach it.
 */
class SubmitFileOnKubernetesTest {

    @Test
    void theExampleFileBecomesAJobWithItsResources() {
        BatchJob batch = JobFileReader.read(Path.of("src/test/resources/everything.yaml"), "everything.yaml");
        Job job = KubernetesSpecs.job("co-run", "run", "s1", batch, 3,
                new KubernetesSpecs.PodOptions("nvidia.com/gpu", false, null));

        assertThat(job.getSpec().getCompletions()).isEqualTo(6);
        assertThat(job.getSpec().getParallelism()).isEqualTo(3);
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("computeops/batch:1.0");
        assertThat(c.getCommand()).isEqualTo(List.of("sh", "-c", "sleep 1; echo done"));
        assertThat(c.getResources().getRequests()).containsEntry("cpu", new Quantity("1500m")).containsEntry("memory", new Quantity("512Mi"));
        assertThat(c.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
    }
}
