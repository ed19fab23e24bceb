package org.computeops.orchestrators.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Labels;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Priority;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.orchestrators.spi.Service;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Engine API JSON docker-java cannot produce: job mode, generic resources. */
class SwarmSpecsTest {

    @Test
    void placementSelectsSimulatedWorkersByTheirEngineLabel() {
        JsonNode any = SwarmSpecs.serviceSpec("r", new BatchJob("b", "img:1", List.of("true"), 1, 1, Resources.NONE, Placement.ANY), "gpu", 3, false);
        assertThat(any.at("/TaskTemplate/Placement").isMissingNode()).isTrue();
        JsonNode sim = SwarmSpecs.serviceSpec("r", new BatchJob("b", "img:1", List.of("true"), 1, 1, Resources.NONE, Placement.SIMULATED_NODES),
                "gpu", 3, false);
        assertThat(sim.at("/TaskTemplate/Placement/Constraints/0").asText()).isEqualTo("engine.labels.computeops.node-kind==simulated");
        JsonNode real = SwarmSpecs.serviceSpec("r", new BatchJob("b", "img:1", List.of("true"), 1, 1, Resources.NONE, Placement.REAL_NODES),
                "gpu", 3, false);
        // real engines lack the label, so "not simulated" selects them on any swarm
        assertThat(real.at("/TaskTemplate/Placement/Constraints/0").asText()).isEqualTo("engine.labels.computeops.node-kind!=simulated");
        JsonNode node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        ((com.fasterxml.jackson.databind.node.ObjectNode) node).putObject("Description").putObject("Engine").putObject("Labels")
                .put("computeops.io/node-kind", "simulated");
        assertThat(SwarmSpecs.nodeInfo(node, null).simulated()).isTrue();
    }

    @Test
    void aJobInAPriorityClassIsRefusedWithTheReasonBeforeAnySpec() {
        BatchJob high = new BatchJob("high", "img:1", List.of("true"), 4, 4, Resources.gpus(1), Placement.ANY, Priority.HIGH);
        assertThatThrownBy(() -> SwarmSpecs.serviceSpec("r", high, "gpu", 3, false))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("workload 'high' asks for priority class HIGH")
                .hasMessageContaining("Docker Swarm has no priority classes");
        assertThatThrownBy(() -> SwarmSpecs.refusePriority(high.withPriority(Priority.LOW))).isInstanceOf(AdapterException.class);
        // no class asked: nothing refused
        assertThat(SwarmSpecs.serviceSpec("r", high.withPriority(Priority.NORMAL), "gpu", 3, false).at("/Name").asText()).isEqualTo("co-r-high");
    }

    @Test
    void batchJobIsAReplicatedJobWithGpuReservationAndRunLabels() {
        JsonNode spec = SwarmSpecs.serviceSpec("run-1", new BatchJob("train", "img:1", List.of("sh", "-c", "true"),
                8, 2, new Resources(500, 256, 1), Placement.ANY), "gpu", 3, false);
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
        JsonNode spec = SwarmSpecs.serviceSpec("r", new Service("web", "img:1", List.of(), 3, 8080, Resources.NONE, Placement.ANY), "gpu", 3, false);
        assertThat(spec.at("/Mode/Replicated/Replicas").asInt()).isEqualTo(3);
        assertThat(spec.at("/EndpointSpec/Ports/0/TargetPort").asInt()).isEqualTo(8080);
        assertThat(spec.at("/EndpointSpec/Ports/0/PublishMode").asText()).isEqualTo("ingress");
        assertThat(spec.at("/TaskTemplate/ContainerSpec").has("Command")).isFalse();
        assertThat(spec.at("/TaskTemplate/Resources/Reservations").has("GenericResources")).isFalse();
    }

    @Test
    void serviceWithoutTheRoutingMeshPublishesInHostModeAndLetsTheEnginePickThePorts() {
        JsonNode spec = SwarmSpecs.serviceSpec("r", new Service("web", "img:1", List.of(), 3, 8080, Resources.NONE, Placement.ANY), "gpu", 3, true);
        JsonNode port = spec.at("/EndpointSpec/Ports/0");
        assertThat(port.get("TargetPort").asInt()).isEqualTo(8080);
        assertThat(port.get("PublishMode").asText()).isEqualTo("host");
        // a fixed PublishedPort would allow one task per node
        assertThat(port.has("PublishedPort")).isFalse();
        assertThat(spec.at("/EndpointSpec/Ports").size()).isEqualTo(1);
    }

    /** Shaped like Engine 20.10's GET /tasks: each host-mode port is listed twice (IPv4 and IPv6 binding). */
    @Test
    void hostModeAddressesAreOnePerRunningTaskOnItsNode() throws Exception {
        JsonNode tasks = new ObjectMapper().readTree("""
                [%s, %s, %s, %s, %s, %s]""".formatted(
                task("n-mgr", "running", "running", 8080, 32768),
                task("n-w1", "running", "running", 8080, 32768),
                task("n-w1", "running", "running", 8080, 32769),
                task("n-w1", "running", "shutdown", 8080, 32770),
                task("n-gpu", "starting", "running", 8080, 32768),
                task("n-gone", "running", "running", 8080, 32771)));
        Map<String, String> nodes = Map.of("n-mgr", "10.213.0.2", "n-w1", "10.213.0.3", "n-gpu", "10.213.0.4");
        assertThat(SwarmSpecs.hostModeAddresses(tasks, 8080, nodes::get)).containsExactly(
                URI.create("http://10.213.0.2:32768"), URI.create("http://10.213.0.3:32768"), URI.create("http://10.213.0.3:32769"));
        assertThat(SwarmSpecs.hostModeAddresses(tasks, 9090, nodes::get)).isEmpty();
    }

    @Test
    void hostModeTaskWithoutPortStatusYetGivesNoAddress() throws Exception {
        JsonNode tasks = new ObjectMapper().readTree("""
                [{"ID":"t1","NodeID":"n1","DesiredState":"running","Status":{"State":"running"}}]""");
        assertThat(SwarmSpecs.hostModeAddresses(tasks, 8080, id -> "10.0.0.1")).isEmpty();
    }

    @Test
    void nodeAddressFallsBackToTheManagerAddressWhenStatusSaysAnyAddress() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(SwarmSpecs.nodeAddress(json.readTree("""
                {"Status":{"State":"ready","Addr":"10.213.0.3"}}"""))).isEqualTo("10.213.0.3");
        assertThat(SwarmSpecs.nodeAddress(json.readTree("""
                {"Status":{"State":"ready","Addr":"0.0.0.0"},"ManagerStatus":{"Leader":true,"Addr":"10.213.0.2:2377"}}""")))
                .isEqualTo("10.213.0.2");
        assertThat(SwarmSpecs.nodeAddress(json.readTree("""
                {"Status":{"State":"ready","Addr":"0.0.0.0"}}"""))).isNull();
        assertThat(SwarmSpecs.hostModeAddresses(json.readTree("[" + task("n6", "running", "running", 8080, 30001) + "]"), 8080, id -> "fd00::6"))
                .containsExactly(URI.create("http://[fd00::6]:30001"));
    }

    private static String task(String node, String state, String desired, int target, int published) {
        String port = """
                {"Protocol":"tcp","TargetPort":%d,"PublishedPort":%d,"PublishMode":"host"}""".formatted(target, published);
        return """
                {"ID":"t-%s-%d","Slot":1,"NodeID":"%s","DesiredState":"%s",
                 "Status":{"Timestamp":"2026-01-01T00:00:00Z","State":"%s","Message":"started",
                   "PortStatus":{"Ports":[%s,%s]}}}""".formatted(node, published, node, desired, state, port, port);
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
