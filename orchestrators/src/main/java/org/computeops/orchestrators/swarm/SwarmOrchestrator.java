package org.computeops.orchestrators.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.LocalNodeState;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.Version;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.ClusterInfo;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Faults;
import org.computeops.orchestrators.spi.Labels;
import org.computeops.orchestrators.spi.NodeControlProgram;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.ObservationGap;
import org.computeops.orchestrators.spi.Orchestrator;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.SchedulerCounters;
import org.computeops.orchestrators.spi.Service;
import org.computeops.orchestrators.spi.ServiceEntry;
import org.computeops.orchestrators.spi.TaskEventListener;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.computeops.orchestrators.spi.Workload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Docker Swarm through the Engine API of a manager node. */
public final class SwarmOrchestrator implements Orchestrator {

    private static final Logger LOG = LoggerFactory.getLogger(SwarmOrchestrator.class);

    private final String runId;
    private final SwarmEngine engine;
    private final String configuredGpuKind;
    private final long pollMillis;
    private final int batchMaxRetries;
    private final Faults faults;
    private final String ingressUnavailable;
    private final Map<String, String> nodeAddresses = new ConcurrentHashMap<>();
    /** Failed task polls of every deployment: closed gaps (a poller closed while failing closes its gap). */
    private final List<ObservationGap> gaps = new java.util.concurrent.CopyOnWriteArrayList<>();
    private SwarmTaskPoller poller; // guarded by this
    private final Duration leaseTtl;
    private final Duration leftoverMinAge;
    private final SwarmLease lease;
    private final SwarmMetrics metrics;
    private final SwarmFacts facts;

    SwarmOrchestrator(AdapterSettings settings, String endpoint) {
        this.runId = settings.runId();
        this.configuredGpuKind = settings.get("testbed.swarm.gpuResource").orElse(null);
        this.pollMillis = settings.getLong("testbed.swarm.pollMillis", 25, 10, 60_000);
        this.batchMaxRetries = settings.getInt("testbed.batch.maxRetries", 3, 0, 1000);
        this.ingressUnavailable = settings.get("testbed.swarm.ingressUnavailable").orElse(null);
        this.metrics = settings.get("testbed.swarm.metrics").map(m -> {
            URI uri = URI.create(m);
            if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new AdapterException("testbed.swarm.metrics must be an http://HOST:PORT/metrics URL of the manager's --metrics-addr, was '" + m + "'");
            }
            return new SwarmMetrics(uri);
        }).orElse(null);
        Duration callTimeout = Duration.ofMillis(settings.getLong("testbed.swarm.callTimeoutMillis", 60_000, 1, Integer.MAX_VALUE));
        NodeControlProgram nodeControl = settings.get("testbed.swarm.nodeControl")
                .map(p -> new NodeControlProgram(Path.of(p), "testbed.swarm.nodeControl", settings)).orElse(null);
        Duration leaseRenew = Duration.ofSeconds(settings.getLong("testbed.lease.renewSeconds", 5, 1, 3600));
        this.leaseTtl = Duration.ofSeconds(settings.getLong("testbed.lease.ttlSeconds", 30, 2, 86_400));
        this.leftoverMinAge = Duration.ofSeconds(settings.getLong("testbed.leftovers.minAgeSeconds", 120, 0, 30L * 86_400));
        if (leaseTtl.compareTo(leaseRenew.multipliedBy(2)) < 0) {
            throw new AdapterException("testbed.lease.ttlSeconds must be at least twice testbed.lease.renewSeconds (" + leaseRenew.toSeconds()
                    + "), was " + leaseTtl.toSeconds());
        }
        SwarmEngine.endpointUri(endpoint); // every setting checked before the first call
        long factsMillis = settings.getLong("testbed.swarm.factsMillis", 2_000, 0, 60_000);
        this.engine = new SwarmEngine(endpoint, callTimeout);
        this.facts = new SwarmFacts(() -> engine.get("/nodes"), this::inspectImage, configuredGpuKind, factsMillis, System::nanoTime);
        try {
            checkManager();
            this.faults = Optional.ofNullable(nodeControl)
                    .<Faults>map(program -> new SwarmFaults(engine, program))
                    .orElse(Faults.unsupported("no node control program for this swarm (set testbed.swarm.nodeControl;"
                            + " infra/testbed sets infra/swarm/node.sh for the local swarm)"));
            this.lease = new SwarmLease(engine, runId, leaseRenew); // last: nothing after it can fail and leave it behind
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    @Override
    public Optional<SchedulerCounters> schedulerCounters() {
        return metrics == null ? Optional.empty() : Optional.of(metrics.read());
    }

    @Override
    public String whyNoSchedulerCounters() {
        return metrics == null
                ? "no metrics endpoint of the manager (testbed.swarm.metrics: dockerd --metrics-addr; infra/testbed up swarm sets it)"
                : "the manager's metrics endpoint is set";
    }

    private void checkManager() {
        Info info;
        try {
            info = engine.docker().infoCmd().exec();
        } catch (RuntimeException e) {
            throw engine.unreachable(e);
        }
        if (info.getSwarm() == null || info.getSwarm().getLocalNodeState() != LocalNodeState.ACTIVE
                || !Boolean.TRUE.equals(info.getSwarm().getControlAvailable())) {
            throw new AdapterException("the Docker engine at " + engine.endpoint() + " is not a Swarm manager"
                    + " (swarm state: " + (info.getSwarm() == null ? "none" : info.getSwarm().getLocalNodeState())
                    + "). Run `infra/testbed up swarm`, or point testbed.swarm.host at a manager.");
        }
    }

    @Override
    public String name() {
        return "swarm";
    }

    @Override
    public String runId() {
        return runId;
    }

    @Override
    public Set<Phase> subSecondServerPhases() {
        // task status timestamps and CreatedAt carry nanoseconds
        return EnumSet.of(Phase.CREATED, Phase.SCHEDULED, Phase.STARTED, Phase.RUNNING, Phase.SUCCEEDED, Phase.FAILED);
    }

    @Override
    public Set<Capability> capabilities() {
        Set<Capability> caps = EnumSet.of(Capability.BATCH, Capability.SERVICE, Capability.SCALE);
        ClusterInfo cluster = describe();
        if (cluster.totalGpus() > 0) caps.add(Capability.GPU);
        if (cluster.nodes().stream().anyMatch(NodeInfo::simulated)) caps.add(Capability.SIMULATED_NODES);
        if (faults instanceof SwarmFaults) caps.add(Capability.NODE_FAILURE);
        caps.add(Capability.SERVICE_ENDPOINT); // without the routing mesh: host-mode ports, see serviceEntry
        return caps;
    }

    @Override
    public Optional<String> whyLacking(Capability capability) {
        return switch (capability) {
            case NODE_FAILURE -> faults instanceof SwarmFaults ? Optional.empty()
                    : Optional.of("no node control program (testbed.swarm.nodeControl) to stop a node with");
            case GPU -> Optional.of("no ready node advertises a GPU generic resource");
            case SIMULATED_NODES -> Optional.of("this swarm has no simulated workers (infra/swarm/sim.sh up N joins some)");
            case PRIORITY_CLASSES -> Optional.of(SwarmSpecs.NO_PRIORITY);
            default -> Optional.empty();
        };
    }

    @Override
    public ClusterInfo describe() {
        Version version = engine.docker().versionCmd().exec();
        List<NodeInfo> nodes = new ArrayList<>();
        for (JsonNode node : engine.get("/nodes")) nodes.add(SwarmSpecs.nodeInfo(node, configuredGpuKind));
        return new ClusterInfo(name(), "Docker Engine " + version.getVersion() + " (API " + version.getApiVersion() + ")",
                engine.endpoint(), nodes);
    }

    /**
     * Checks a workload against facts remembered for testbed.swarm.factsMillis (the node list, images
     * that inspected fine): listing every node per submission limited the harness at 1,000 nodes.
     */
    @Override
    public void validate(Workload workload) {
        SwarmSpecs.refusePriority(workload);
        if (workload.placement() == Placement.SIMULATED_NODES && facts.nodes().infos().stream().noneMatch(NodeInfo::simulated)) {
            throw new AdapterException("workload '" + workload.name() + "' asks for simulated nodes; this swarm has none"
                    + " (infra/swarm/sim.sh up N joins simulated workers)");
        }
        if (!facts.imagePresent(workload.image())) {
            throw new AdapterException("image '" + workload.image() + "' of workload '" + workload.name()
                    + "' is not on the Swarm manager " + engine.endpoint()
                    + ". Build the local images with `infra/images/build.sh` (infra/testbed up swarm does), or use an image every node has.");
        }
        int gpus = workload.resources().gpus();
        if (gpus > 0) {
            List<NodeInfo> nodes = facts.nodes().infos();
            int largest = nodes.stream().filter(NodeInfo::ready).mapToInt(NodeInfo::gpus).max().orElse(0);
            if (largest == 0) {
                throw new AdapterException("workload '" + workload.name() + "' asks for " + gpus
                        + " GPU(s) per task but no ready node of this swarm advertises a GPU generic resource"
                        + " (dockerd --node-generic-resource gpu=ID, or set testbed.swarm.gpuResource to the kind your nodes use)");
            }
            if (largest < gpus) {
                throw new AdapterException("workload '" + workload.name() + "' asks for " + gpus
                        + " GPUs per task but the largest GPU node advertises only " + largest);
            }
        }
    }

    private boolean inspectImage(String image) {
        try {
            InspectImageResponse inspected = engine.docker().inspectImageCmd(image).exec();
            LOG.debug("image {} is {}", image, inspected.getId());
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public Deployment submit(Workload workload) {
        validate(workload);
        ObjectNode spec = SwarmSpecs.serviceSpec(runId, workload, facts.nodes().gpuKind(), batchMaxRetries, ingressUnavailable != null);
        Instant started = Instant.now();
        JsonNode created = engine.post("/services/create", spec);
        Instant submitted = Instant.now();
        String id = created.path("ID").asText();
        LOG.info("created swarm service {} ({}) for workload {}", spec.get("Name").asText(), id, workload.name());
        return new Deployment(id, runId, workload, started, submitted);
    }

    @Override
    public Optional<org.computeops.orchestrators.spi.HarnessProbe> harnessProbe() {
        var job = new org.computeops.orchestrators.spi.BatchJob("probe", "probe", List.of("true"), 1, 1,
                org.computeops.orchestrators.spi.Resources.NONE, org.computeops.orchestrators.spi.Placement.ANY);
        return Optional.of(new SwarmHarnessProbe(engine, metrics,
                SwarmSpecs.serviceSpec(runId, job, facts.nodes().gpuKind(), batchMaxRetries, ingressUnavailable != null)));
    }

    /** The manager's own count of a replicated job's completed tasks (ServiceStatus, Engine API 1.41). */
    @Override
    public Optional<String> batchFinished(Deployment deployment) {
        if (!(deployment.workload() instanceof BatchJob batch)) return Optional.empty();
        String filters = URLEncoder.encode("{\"id\":[\"" + deployment.id() + "\"]}", StandardCharsets.UTF_8);
        for (JsonNode service : engine.get("/services?status=true&filters=" + filters)) {
            JsonNode status = service.path("ServiceStatus");
            if (!service.path("ID").asText().equals(deployment.id()) || !status.has("CompletedTasks")) continue;
            long completed = status.path("CompletedTasks").asLong();
            if (completed >= batch.completions()) {
                return Optional.of("service " + service.path("Spec").path("Name").asText() + ": " + completed + " of "
                        + batch.completions() + " tasks completed (ServiceStatus.CompletedTasks)");
            }
        }
        return Optional.empty();
    }

    @Override
    public AutoCloseable events(Deployment deployment, TaskEventListener listener) {
        return poller().subscribe(deployment.id(), listener);
    }

    /** The manager's /_ping: answers as long as its engine does (a paused or dead engine times out or refuses). */
    @Override
    public void checkHealth() {
        try {
            engine.docker().pingCmd().exec();
        } catch (RuntimeException e) {
            throw engine.unreachable(e);
        }
    }

    @Override
    public List<ObservationGap> observationGaps(Instant since) {
        return gaps.stream().filter(g -> g.to() == null || !g.to().isBefore(since)).toList();
    }

    /** The one task poller of this adapter, started by the first subscription. */
    private synchronized SwarmTaskPoller poller() {
        if (poller == null) poller = new SwarmTaskPoller(this::tasksOf, pollMillis, gaps);
        return poller;
    }

    private List<Task> tasksOf(List<String> serviceIds) {
        return engine.docker().listTasksCmd().withServiceFilter(serviceIds.toArray(String[]::new)).exec();
    }

    @Override
    public void scale(Deployment deployment, int replicas) {
        if (!(deployment.workload() instanceof Service)) {
            throw new AdapterException("only services can be scaled; '" + deployment.workload().name() + "' is a batch job");
        }
        if (replicas < 0) throw new AdapterException("replicas must be >= 0, was " + replicas);
        JsonNode service = engine.get("/services/" + deployment.id());
        ObjectNode spec = (ObjectNode) service.get("Spec");
        ((ObjectNode) spec.path("Mode").path("Replicated")).put("Replicas", replicas);
        engine.post("/services/" + deployment.id() + "/update?version=" + service.path("Version").path("Index").asLong(), spec);
    }

    /**
     * With the routing mesh: the published port on a manager node's address, where the mesh answers
     * for every replica. Without it (host-mode ports): each running replica's node address and port.
     */
    @Override
    public Optional<ServiceEntry> serviceEntry(Deployment deployment) {
        if (!(deployment.workload() instanceof Service service)) return Optional.empty();
        if (ingressUnavailable != null) {
            List<URI> replicas = SwarmSpecs.hostModeAddresses(runningTasksJson(deployment.id()), service.port(), this::nodeAddress);
            return replicas.isEmpty() ? Optional.empty() : Optional.of(new ServiceEntry(
                    "Swarm host-mode published ports, one per replica (routing mesh unavailable: " + ingressUnavailable
                            + "); the client spreads the load", replicas, false));
        }
        JsonNode inspected = engine.get("/services/" + deployment.id());
        int published = inspected.path("Endpoint").path("Ports").path(0).path("PublishedPort").asInt();
        String manager = engine.docker().infoCmd().exec().getSwarm().getNodeAddr();
        return published == 0 || manager == null ? Optional.empty() : Optional.of(new ServiceEntry(
                "Swarm ingress routing mesh", List.of(URI.create("http://" + manager + ":" + published)), true));
    }

    private JsonNode runningTasksJson(String serviceId) {
        String filters = URLEncoder.encode("{\"service\":[\"" + serviceId + "\"],\"desired-state\":[\"running\"]}", StandardCharsets.UTF_8);
        return engine.get("/tasks?filters=" + filters);
    }

    private String nodeAddress(String nodeId) {
        String cached = nodeAddresses.get(nodeId);
        if (cached != null) return cached;
        try {
            String address = SwarmSpecs.nodeAddress(engine.get("/nodes/" + nodeId));
            if (address != null) nodeAddresses.put(nodeId, address);
            return address;
        } catch (SwarmEngine.NotFound e) {
            return null; // node left the swarm since the task list was read
        }
    }

    @Override
    public void remove(Deployment deployment) {
        removeService(deployment.id());
    }

    private void removeService(String id) {
        try {
            engine.delete("/services/" + id);
        } catch (SwarmEngine.NotFound ignored) {
            // already gone
        }
    }

    /**
     * Removes services of other runs that hold no live lease and are older than
     * testbed.leftovers.minAgeSeconds (both on the manager's clock), and expired leases: a run on a
     * shared swarm never removes the objects of another run that is still going.
     */
    @Override
    public int removeLeftovers() {
        SwarmLease.Leases leases = SwarmLease.read(engine, leaseTtl);
        int removed = 0;
        java.util.Set<String> spared = new java.util.TreeSet<>();
        for (JsonNode service : servicesWithRunLabel()) {
            String owner = service.path("Spec").path("Labels").path(Labels.RUN_ID).asText();
            if (owner.equals(runId)) continue;
            String name = service.path("Spec").path("Name").asText();
            if (leases.live().containsKey(owner)) {
                if (spared.add(owner)) LOG.info("run {} holds a live lease on this swarm: its services are left alone", owner);
                continue;
            }
            String created = service.path("CreatedAt").asText();
            Duration age = created.isEmpty() ? Duration.ZERO : Duration.between(Instant.parse(created), leases.managerNow());
            if (age.compareTo(leftoverMinAge) < 0) {
                LOG.info("service {} of run {} has no live lease but is only {} s old (testbed.leftovers.minAgeSeconds={}): left alone",
                        name, owner, age.toSeconds(), leftoverMinAge.toSeconds());
                continue;
            }
            LOG.info("removing leftover service {} of run {} (no live lease, {} s old)", name, owner, age.toSeconds());
            removeService(service.path("ID").asText());
            removed++;
        }
        for (Map.Entry<String, String> expired : leases.expired().entrySet()) {
            if (expired.getKey().equals(runId)) continue;
            try {
                engine.delete("/configs/" + expired.getValue()); // bookkeeping: not counted as a leftover object
                LOG.info("removed the expired lease of run {}", expired.getKey());
            } catch (RuntimeException e) {
                LOG.warn("could not remove the expired lease of run {}: {}", expired.getKey(), e.getMessage());
            }
        }
        return removed;
    }

    private JsonNode servicesWithRunLabel() {
        String filters = URLEncoder.encode("{\"label\":[\"" + Labels.RUN_ID + "\"]}", StandardCharsets.UTF_8);
        return engine.get("/services?filters=" + filters);
    }

    @Override
    public Faults faults() {
        return faults;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (poller != null) poller.close();
        }
        try {
            if (faults instanceof SwarmFaults swarmFaults) swarmFaults.restoreAll();
            for (JsonNode service : servicesWithRunLabel()) {
                if (runId.equals(service.path("Spec").path("Labels").path(Labels.RUN_ID).asText())) {
                    removeService(service.path("ID").asText());
                }
            }
        } catch (AdapterException e) {
            LOG.warn("could not remove the services of run {}: {}", runId, e.getMessage());
        } finally {
            lease.close();
            engine.close();
        }
    }
}
