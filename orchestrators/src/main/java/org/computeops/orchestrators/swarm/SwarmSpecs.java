package org.computeops.orchestrators.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Labels;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Priority;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.orchestrators.spi.Service;
import org.computeops.orchestrators.spi.Workload;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Engine API JSON for services and nodes. Written by hand because docker-java's model lacks
 * ReplicatedJob mode and generic-resource reservations (Engine API v1.41+).
 */
final class SwarmSpecs {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Node label (in NodeInfo) carrying the Swarm role: manager or worker. */
    static final String ROLE_LABEL = "swarm.role";

    private SwarmSpecs() {
    }

    /** Why Swarm has no priority classes (Capability.PRIORITY_CLASSES). */
    static final String NO_PRIORITY = "Docker Swarm has no priority classes: its scheduler places pending tasks with no"
            + " priority or preemption a service could ask for";

    /** Refuses a batch job in a priority class, before anything is created. */
    static void refusePriority(Workload workload) {
        if (workload instanceof BatchJob job && job.priority() != Priority.NORMAL) {
            throw new AdapterException("workload '" + workload.name() + "' asks for priority class " + job.priority() + ": " + NO_PRIORITY);
        }
    }

    static String serviceName(String runId, Workload workload) {
        return "co-" + runId + "-" + workload.name();
    }

    /**
     * @param hostModePorts publish a service's port on the node of each task (the engine picks a
     *                      free port per task, so a node can run several) instead of through the
     *                      ingress routing mesh, which needs the kernel's IPVS
     */
    static ObjectNode serviceSpec(String runId, Workload workload, String gpuKind, int maxRetries, boolean hostModePorts) {
        refusePriority(workload);
        ObjectNode spec = F.objectNode();
        spec.put("Name", serviceName(runId, workload));
        ObjectNode labels = spec.putObject("Labels");
        labels.put(Labels.RUN_ID, runId);
        labels.put(Labels.WORKLOAD, workload.name());
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);

        ObjectNode template = spec.putObject("TaskTemplate");
        ObjectNode container = template.putObject("ContainerSpec");
        container.put("Image", workload.image());
        if (!workload.command().isEmpty()) {
            ArrayNode command = container.putArray("Command");
            workload.command().forEach(command::add);
        }
        container.putObject("Labels").put(Labels.RUN_ID, runId);
        String constraint = placementConstraint(workload.placement());
        if (constraint != null) template.putObject("Placement").putArray("Constraints").add(constraint);
        template.set("Resources", resources(workload.resources(), gpuKind));

        ObjectNode restart = template.putObject("RestartPolicy");
        if (workload instanceof BatchJob job) {
            restart.put("Condition", "on-failure");
            restart.put("MaxAttempts", maxRetries);
            ObjectNode mode = spec.putObject("Mode").putObject("ReplicatedJob");
            mode.put("MaxConcurrent", job.parallelism());
            mode.put("TotalCompletions", job.completions());
        } else if (workload instanceof Service service) {
            restart.put("Condition", "any");
            spec.putObject("Mode").putObject("Replicated").put("Replicas", service.replicas());
            ObjectNode port = spec.putObject("EndpointSpec").putArray("Ports").addObject();
            port.put("Protocol", "tcp");
            port.put("TargetPort", service.port());
            port.put("PublishMode", hostModePorts ? "host" : "ingress");
        }
        return spec;
    }

    /**
     * One address per task of a host-mode service that runs and is meant to go on running (a task
     * being scaled away is left out): its node's address and the port the engine published for
     * {@code targetPort}. Sorted; tasks whose node address is unknown are left out.
     *
     * @param tasks       the Engine API's task list ({@code GET /tasks})
     * @param nodeAddress node ID to the address this client reaches it at, or null
     */
    static List<URI> hostModeAddresses(JsonNode tasks, int targetPort, Function<String, String> nodeAddress) {
        Set<URI> addresses = new TreeSet<>();
        for (JsonNode task : tasks) {
            JsonNode status = task.path("Status");
            if (!"running".equals(status.path("State").asText())) continue;
            if (!"running".equals(task.path("DesiredState").asText("running"))) continue;
            for (JsonNode port : status.path("PortStatus").path("Ports")) {
                // The engine lists a port once per address family it bound (IPv4, IPv6): the set drops the twin.
                if (port.path("TargetPort").asInt() != targetPort || !"tcp".equals(port.path("Protocol").asText("tcp"))) continue;
                int published = port.path("PublishedPort").asInt();
                String node = task.path("NodeID").asText();
                String address = published > 0 && !node.isEmpty() ? nodeAddress.apply(node) : null;
                if (address != null && !address.isEmpty()) addresses.add(URI.create("http://" + hostPart(address) + ":" + published));
            }
        }
        return List.copyOf(addresses);
    }

    /**
     * Where a node answers: its {@code Status.Addr}. A manager may report 0.0.0.0 there (engines
     * that listen on every address); its {@code ManagerStatus.Addr} then names the host.
     */
    static String nodeAddress(JsonNode node) {
        String addr = node.path("Status").path("Addr").asText("");
        if (!addr.isEmpty() && !addr.equals("0.0.0.0")) return addr;
        String manager = node.path("ManagerStatus").path("Addr").asText("");
        int colon = manager.lastIndexOf(':');
        String host = colon > 0 ? manager.substring(0, colon) : manager;
        return host.isEmpty() || host.equals("0.0.0.0") ? null : host.replaceAll("^\\[|]$", "");
    }

    private static String hostPart(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    private static ObjectNode resources(Resources r, String gpuKind) {
        ObjectNode resources = F.objectNode();
        ObjectNode reservations = resources.putObject("Reservations");
        if (r.cpuMillis() > 0) reservations.put("NanoCPUs", r.cpuMillis() * 1_000_000L);
        if (r.memoryMiB() > 0) reservations.put("MemoryBytes", r.memoryMiB() * 1024L * 1024L);
        if (r.gpus() > 0) {
            ObjectNode discrete = reservations.putArray("GenericResources").addObject().putObject("DiscreteResourceSpec");
            discrete.put("Kind", gpuKind);
            discrete.put("Value", r.gpus());
        }
        return resources;
    }

    /** GPUs a node advertises: generic resources whose kind names a GPU (or equals the configured kind). */
    static Map<String, Integer> gpusByKind(JsonNode node) {
        Map<String, Integer> byKind = new HashMap<>();
        for (JsonNode resource : node.path("Description").path("Resources").path("GenericResources")) {
            JsonNode named = resource.path("NamedResourceSpec");
            JsonNode discrete = resource.path("DiscreteResourceSpec");
            if (!named.isMissingNode()) {
                byKind.merge(named.path("Kind").asText(), 1, Integer::sum);
            } else if (!discrete.isMissingNode()) {
                byKind.merge(discrete.path("Kind").asText(), discrete.path("Value").asInt(), Integer::sum);
            }
        }
        return byKind;
    }

    static boolean isGpuKind(String kind, String configuredKind) {
        return configuredKind != null ? configuredKind.equals(kind) : kind.toLowerCase(Locale.ROOT).contains("gpu");
    }

    /** Engine label of simulated Swarm workers (infra/swarm/sim), the key the Kubernetes testbed uses too. */
    static final String NODE_KIND = "computeops.io/node-kind";
    static final String SIMULATED = "simulated";
    /** The same fact under a key a constraint may name: constraint keys may not contain '/'. */
    static final String NODE_KIND_CONSTRAINT_KEY = "engine.labels.computeops.node-kind";

    /** Real nodes lack the simulated label, so "not simulated" selects them on any swarm. */
    static String placementConstraint(Placement placement) {
        return switch (placement) {
            case ANY -> null;
            case REAL_NODES -> NODE_KIND_CONSTRAINT_KEY + "!=" + SIMULATED;
            case SIMULATED_NODES -> NODE_KIND_CONSTRAINT_KEY + "==" + SIMULATED;
        };
    }

    static NodeInfo nodeInfo(JsonNode node, String configuredGpuKind) {
        int gpus = gpusByKind(node).entrySet().stream()
                .filter(e -> isGpuKind(e.getKey(), configuredGpuKind))
                .mapToInt(Map.Entry::getValue).sum();
        boolean ready = "ready".equals(node.path("Status").path("State").asText())
                && "active".equals(node.path("Spec").path("Availability").asText());
        Map<String, String> labels = new HashMap<>();
        node.path("Description").path("Engine").path("Labels").fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        node.path("Spec").path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        labels.put(ROLE_LABEL, node.path("Spec").path("Role").asText());
        JsonNode resources = node.path("Description").path("Resources");
        return new NodeInfo(
                node.path("ID").asText(),
                node.path("Description").path("Hostname").asText(),
                SIMULATED.equals(labels.get(NODE_KIND)),
                ready,
                resources.path("NanoCPUs").asLong() / 1_000_000L,
                resources.path("MemoryBytes").asLong() / (1024L * 1024L),
                gpus,
                labels);
    }
}
