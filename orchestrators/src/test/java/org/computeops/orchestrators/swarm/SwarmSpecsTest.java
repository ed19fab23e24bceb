package org.computeops.orchestrators.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Labels;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.orchestrators.spi.Service;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Engine API JSON docker-java cannot produce: job mode, generic resources. */
class SwarmSpecsTest {

    @Test
    void batchJobIsAReplicatedJobWithGpuReservationAndRunLabels() {
        JsonNode spec = SwarmSpecs.serviceSpec("run-1", new BatchJob("train", "img:1", List.of("sh", "-c", "true"),
                8, 2, new Resources(500, 256, 1), Placement.ANY), "gpu", 3);
        assertThat(spec.at("/Name").asText()).isEqualTo("co-run-1-train");
        assertThat(spec.at("/Labels").get(Labels.RUN_ID).asText()).isEqualTo("run-1");
        assertThat(spec.at("/Mode/ReplicatedJob/MaxConcurrent").asInt()).isEqualTo(2);
        assertThat(spec.at("/Mode/ReplicatedJob/TotalCompletions").asInt()).isEqualTo(8);
        assertThat(spec.at("/TaskTemplate/ContainerSpec/Command").toString()).isEqualTo("[\"sh\",\"-c\",\"true\"]");
        assertThat(spec.at("/TaskTemplate/Resources/Reservations/NanoCPUs").asLong()).isEqualTo(500_000_000L);
        assertThat(spec.at("/TaskTemplate/Resources/Reservations/MemoryBytes").asLong()).isEqualTo(256L << 20);
        JsonNode gpu = spec.at("/TaskTemplate/Resources/Reservations/GenericResources/0/DiscreteResourceSpec");
        assertThat(gpu.get("Kind").asText()).isEqualTo("gpu");
        assertThat(gpu.get("Value").asInt()).isEqualTo(1);
        assertThat(spec.at("/TaskTemplate/RestartPolicy/Condition").asText()).isEqualTo("on-failure");
        assertThat(spec.at("/TaskTemplate/RestartPolicy/MaxAttempts").asInt()).isEqualTo(3);
    }

    @Test
    void serviceIsReplicatedWithAnIngressPortAndNoGpuWhenNoneAsked() {
        JsonNode spec = SwarmSpecs.serviceSpec("r", new Service("web", "img:1", List.of(), 3, 8080, Resources.NONE, Placement.ANY), "gpu", 3);
        assertThat(spec.at("/Mode/Replicated/Replicas").asInt()).isEqualTo(3);
        assertThat(spec.at("/EndpointSpec/Ports/0/TargetPort").asInt()).isEqualTo(8080);
        assertThat(spec.at("/EndpointSpec/Ports/0/PublishMode").asText()).isEqualTo("ingress");
        assertThat(spec.at("/TaskTemplate/ContainerSpec").has("Command")).isFalse();
        assertThat(spec.at("/TaskTemplate/Resources/Reservations").has("GenericResources")).isFalse();
    }

    @Test
    void nodeGpusCountNamedAndDiscreteGpuResourcesOnly() throws Exception {
        JsonNode node = new ObjectMapper().readTree("""
                {"ID":"abc","Spec":{"Availability":"active","Labels":{"zone":"a"}},"Status":{"State":"ready"},
                 "Description":{"Hostname":"co-gpu","Resources":{"NanoCPUs":2000000000,"MemoryBytes":2147483648,
                   "GenericResources":[{"NamedResourceSpec":{"Kind":"gpu","Value":"GPU-0"}},
                                       {"NamedResourceSpec":{"Kind":"gpu","Value":"GPU-1"}},
                                       {"DiscreteResourceSpec":{"Kind":"NVIDIA-GPU","Value":4}},
                                       {"DiscreteResourceSpec":{"Kind":"ssd","Value":9}}]},
                   "Engine":{"Labels":{"computeops.io/node-kind":"real"}}}}""");
        NodeInfo info = SwarmSpecs.nodeInfo(node, null);
        assertThat(info.gpus()).isEqualTo(6);
        assertThat(info.cpuMillis()).isEqualTo(2000);
        assertThat(info.memoryMiB()).isEqualTo(2048);
        assertThat(info.ready()).isTrue();
        assertThat(info.labels()).containsEntry("zone", "a").containsEntry("computeops.io/node-kind", "real");
        assertThat(SwarmSpecs.nodeInfo(node, "gpu").gpus()).isEqualTo(2);
    }
}
