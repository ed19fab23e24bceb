package org.computeops.orchestrators.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.ClusterInfo;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Faults;
import org.computeops.orchestrators.spi.Labels;
import org.computeops.orchestrators.spi.NodeControlProgram;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Orchestrator;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Priority;
import org.computeops.orchestrators.spi.Service;
import org.computeops.orchestrators.spi.ServiceEntry;
import org.computeops.orchestrators.spi.TaskEventListener;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.computeops.orchestrators.spi.Workload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Kubernetes through fabric8 kubernetes-client. Each run gets its own namespace, labelled with
 * the run id and deleted on {@link #close()}; batch workloads are Jobs, services are a Deployment
 * plus a ClusterIP Service; GPUs are {@code nvidia.com/gpu} limits; placement hints become node
 * selectors and tolerations on the {@code computeops.io/node-kind} label of the local testbed.
 */
public final class KubernetesOrchestrator implements Orchestrator {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesOrchestrator.class);

    private final String runId;
    private final KubernetesClient client;
    private final String endpoint;
    private final String source;
    private final String namespace;
    /** True when the namespace was given (-Dtestbed.kubernetes.namespace): it is not ours to delete. */
    private final boolean sharedNamespace;
    private final Duration leaseRenew;
    private final Duration leaseTtl;
    private final Duration leftoverMinAge;
    private final KubernetesLease lease;
    private final String gpuResource;
    private final int backoffLimit;
    /** Pods' toleration of a lost node; null: the cluster's default. */
    private final Long evictionSeconds;
    private final NodeControlProgram nodeControl;
    private final AtomicInteger submissions = new AtomicInteger();
    /** This run's PriorityClasses (cluster-scoped), by name. */
    private final java.util.Set<String> priorityClasses = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<Deployment, String> submissionOf = new ConcurrentHashMap<>();
    private final Duration namespaceDeleteWait;
    private final Duration scheduledEventWait;
    private final Runnable onClose;
    private final List<AutoCloseable> subscriptions = new CopyOnWriteArrayList<>();
    private final NamespaceWatch watch;
    private final KubernetesFaults faults;
    private final boolean clusterIpReachable;
    /** kube-scheduler's /metrics (testbed.kubernetes.schedulerMetrics); null: not configured. */
    private final SchedulerMetrics schedulerMetrics;
    private final Duration requestTimeout;
    /** A few simulated nodes whose leases the health check reads (their simulator alive); empty: none. */
    private final List<String> simulatedSample;
    /**
     * The node list the per-submit checks reuse for testbed.kubernetes.factsMillis (listing 1,000
     * nodes twice per submission held the harness to 32 submissions/s); describe() reads afresh.
     */
    private final org.computeops.orchestrators.spi.Remembered<List<Node>> recentNodes;
    private volatile boolean closed;

    KubernetesOrchestrator(AdapterSettings settings, KubernetesClient client, String source, Runnable onClose) {
        this.runId = settings.runId();
        this.client = client;
        this.source = source;
        this.onClose = onClose;
        this.endpoint = client.getConfiguration().getMasterUrl();
        this.gpuResource = settings.get("testbed.kubernetes.gpuResource", KubernetesSpecs.DEFAULT_GPU_RESOURCE);
        this.clusterIpReachable = "cluster-ip".equals(settings.getChoice("testbed.kubernetes.serviceAccess", "none", "none", "cluster-ip"));
        this.backoffLimit = settings.getInt("testbed.batch.maxRetries", 3, 0, 1000);
        this.evictionSeconds = settings.get("testbed.kubernetes.evictionSeconds").isPresent()
                ? Long.valueOf(settings.getLong("testbed.kubernetes.evictionSeconds", 0, 0, 86_400)) : null;
        this.nodeControl = settings.get("testbed.kubernetes.nodeControl")
                .map(program -> new NodeControlProgram(Path.of(program), "testbed.kubernetes.nodeControl", settings)).orElse(null);
        this.namespaceDeleteWait = Duration.ofSeconds(settings.getLong("testbed.kubernetes.namespaceDeleteWaitSeconds", 600, 1, 3600));
        this.scheduledEventWait = Duration.ofMillis(settings.getLong("testbed.kubernetes.scheduledEventWaitMillis", 3000, 0, 600_000));
        this.recentNodes = org.computeops.orchestrators.spi.Remembered.refreshedInBackground(this::nodes,
                settings.getLong("testbed.kubernetes.factsMillis", 2000, 0, 60_000), System::nanoTime);
        this.requestTimeout = Duration.ofMillis(client.getConfiguration().getRequestTimeout());
        this.schedulerMetrics = settings.get("testbed.kubernetes.schedulerMetrics").filter(u -> !u.isBlank())
                .map(u -> new SchedulerMetrics(schedulerMetricsUri(u), client.getConfiguration(), requestTimeout)).orElse(null);
        if (backoffLimit < 0) throw new AdapterException("testbed.batch.maxRetries must be >= 0, was " + backoffLimit);
        if (evictionSeconds != null && evictionSeconds < 0) throw new AdapterException("testbed.kubernetes.evictionSeconds must be >= 0, was " + evictionSeconds);
        this.leaseRenew = Duration.ofSeconds(settings.getLong("testbed.lease.renewSeconds", 5, 1, 3600));
        this.leaseTtl = Duration.ofSeconds(settings.getLong("testbed.lease.ttlSeconds", 30, 2, 86_400));
        this.leftoverMinAge = Duration.ofSeconds(settings.getLong("testbed.leftovers.minAgeSeconds", 120, 0, 30L * 86_400));
        if (leaseTtl.compareTo(leaseRenew.multipliedBy(2)) < 0) {
            throw new AdapterException("testbed.lease.ttlSeconds must be at least twice testbed.lease.renewSeconds (" + leaseRenew.toSeconds()
                    + "), was " + leaseTtl.toSeconds());
        }
        String given = settings.get("testbed.kubernetes.namespace").orElse(null);
        this.sharedNamespace = given != null;
        this.namespace = given != null ? given : KubernetesSpecs.namespaceName(runId);
        this.faults = new KubernetesFaults(client, this::call, nodeControl, namespace, evictionSeconds,
                new KubernetesFaults.NodeMonitorFlags(settings.get("testbed.kubernetes.nodeMonitorPeriod"),
                        settings.get("testbed.kubernetes.nodeMonitorGracePeriod")));
        checkServer();
        prepareNamespace();
        this.lease = call("taking this run's Lease in namespace " + KubernetesLease.NAMESPACE,
                () -> new KubernetesLease(client, runId, leaseRenew, leaseTtl));
        this.watch = call("watching pods and scheduler events in namespace " + namespace,
                () -> new NamespaceWatch(client, namespace, runId, scheduledEventWait));
        this.simulatedSample = call("listing a few simulated nodes", () -> client.nodes()
                .withLabel(KubernetesSpecs.NODE_KIND, "simulated")
                .list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder().withLimit(3L).build()).getItems().stream()
                .map(n -> n.getMetadata().getName()).toList());
        warmUp();
    }

    /**
     * The first request of each kind costs this JVM a second or more (class loading, JIT,
     * serializers), which would land between the server creating a workload and the client
     * returning from submit. Server-side dry runs pay that before any measurement.
     */
    private void warmUp() {
        try {
            KubernetesSpecs.PodOptions options = new KubernetesSpecs.PodOptions(gpuResource, false, evictionSeconds);
            BatchJob job = new BatchJob("warm-up", "warm-up", java.util.List.of(), 1, 1,
                    org.computeops.orchestrators.spi.Resources.NONE, Placement.ANY);
            Service svc = new Service("warm-up", "warm-up", java.util.List.of(), 1, 80,
                    org.computeops.orchestrators.spi.Resources.NONE, Placement.ANY);
            client.batch().v1().jobs().inNamespace(namespace)
                    .resource(KubernetesSpecs.job(namespace, runId, "warm-up", job, backoffLimit, options)).dryRun().create();
            client.apps().deployments().inNamespace(namespace)
                    .resource(KubernetesSpecs.deployment(namespace, runId, "warm-up", svc, options)).dryRun().create();
            client.services().inNamespace(namespace)
                    .resource(KubernetesSpecs.service(namespace, runId, "warm-up", svc)).dryRun().create();
        } catch (RuntimeException e) {
            LOG.debug("warm-up dry run failed (harmless): {}", e.toString());
        }
    }

    // --- connection and namespace ----------------------------------------------------------------

    <T> T call(String action, Supplier<T> request) {
        try {
            return request.get();
        } catch (KubernetesClientException e) {
            throw KubernetesErrors.translate(action, e, endpoint, source);
        } catch (AdapterException e) {
            throw e;
        } catch (RuntimeException e) {
            throw KubernetesErrors.translate(action, e, endpoint, source);
        }
    }

    private void checkServer() {
        String version = call("asking the API server for its version",
                () -> client.getKubernetesVersion().getGitVersion());
        // /version is open to anyone: prove the credentials too.
        call("listing nodes (checking the kubeconfig's credentials)", () -> client.nodes().list());
        LOG.info("Kubernetes {} at {} (kubeconfig: {})", version, endpoint, source);
    }

    private void prepareNamespace() {
        if (sharedNamespace) {
            Namespace ns = call("reading namespace " + namespace, () -> client.namespaces().withName(namespace).get());
            if (ns == null) {
                throw new AdapterException("namespace '" + namespace + "' (testbed.kubernetes.namespace) does not exist at "
                        + endpoint + "; create it, or leave the setting out so each run creates its own.");
            }
            call("listing pods in namespace " + namespace, () -> client.pods().inNamespace(namespace).list());
        } else {
            ensureOwnNamespace();
        }
        // Pods are refused until the namespace's default ServiceAccount exists.
        waitForDefaultServiceAccount();
    }

    /**
     * Creates the run's namespace when it is missing. Another run's leftover clean-up (or a
     * person) may have deleted it meanwhile: a namespace still terminating is waited for, then
     * created again.
     */
    private void ensureOwnNamespace() {
        long deadline = System.nanoTime() + namespaceDeleteWait.toNanos();
        while (true) {
            Namespace existing = call("reading namespace " + namespace, () -> client.namespaces().withName(namespace).get());
            if (existing != null && existing.getMetadata().getDeletionTimestamp() == null) return;
            if (existing == null) {
                try {
                    call("creating namespace " + namespace,
                            () -> client.namespaces().resource(KubernetesSpecs.namespace(namespace, runId)).create());
                    LOG.info("created namespace {} for run {}", namespace, runId);
                    waitForDefaultServiceAccount();
                    return;
                } catch (AdapterException e) {
                    if (!e.getMessage().contains("(409)")) throw e; // raced with a deletion in progress: retry
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AdapterException("namespace " + namespace + " is still being deleted after "
                        + namespaceDeleteWait.toSeconds() + " s; wait for it or use another testbed.runId");
            }
            sleep(250);
        }
    }

    private void waitForDefaultServiceAccount() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (call("reading the default ServiceAccount of " + namespace,
                () -> client.serviceAccounts().inNamespace(namespace).withName("default").get()) == null) {
            if (System.nanoTime() > deadline) {
                throw new AdapterException("namespace " + namespace + " got no 'default' ServiceAccount within 30 s:"
                        + " is kube-controller-manager running (its serviceaccount controller creates it)?");
            }
            sleep(100);
        }
    }

    // --- Orchestrator ------------------------------------------------------------------------------

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public String runId() {
        return runId;
    }

    String namespace() {
        return namespace;
    }

    @Override
    public Set<Phase> subSecondServerPhases() {
        // only the scheduler's Scheduled event has a sub-second eventTime; pod and container times are whole seconds
        return EnumSet.of(Phase.SCHEDULED);
    }

    @Override
    public Set<Capability> capabilities() {
        List<Node> nodes = nodes();
        Set<Capability> caps = EnumSet.of(Capability.BATCH, Capability.SERVICE, Capability.SCALE);
        List<NodeInfo> infos = nodes.stream().map(n -> KubernetesSpecs.nodeInfo(n, gpuResource)).toList();
        if (infos.stream().filter(NodeInfo::ready).mapToInt(NodeInfo::gpus).sum() > 0) caps.add(Capability.GPU);
        if (infos.stream().anyMatch(NodeInfo::simulated)) caps.add(Capability.SIMULATED_NODES);
        if (nodeControl != null) caps.add(Capability.NODE_FAILURE);
        if (clusterIpReachable) caps.add(Capability.SERVICE_ENDPOINT);
        caps.add(Capability.PRIORITY_CLASSES);
        caps.add(Capability.BATCH_SURVIVES_NODE_LOSS); // a Job replaces the pods it lost
        return caps;
    }

    @Override
    public Optional<String> whyLacking(Capability capability) {
        return switch (capability) {
            case NODE_FAILURE -> nodeControl == null
                    ? Optional.of("no node control program (testbed.kubernetes.nodeControl) to stop a node with") : Optional.empty();
            case SERVICE_ENDPOINT -> clusterIpReachable ? Optional.empty()
                    : Optional.of("Service addresses are not reachable from this client (testbed.kubernetes.serviceAccess=cluster-ip where it runs on a node)");
            default -> Optional.empty();
        };
    }

    private List<Node> nodes() {
        return call("listing nodes", () -> client.nodes().list().getItems());
    }

    /** Stretches in which a watch of the run's namespace was broken (informers and the lean pod watch), until re-established. */
    @Override
    public List<org.computeops.orchestrators.spi.ObservationGap> observationGaps(Instant since) {
        return watch.observationGaps(since);
    }

    private static URI schedulerMetricsUri(String value) {
        try {
            URI uri = URI.create(value.strip());
            if (uri.getHost() == null) throw new IllegalArgumentException("no host");
            return uri;
        } catch (IllegalArgumentException e) {
            throw new AdapterException("testbed.kubernetes.schedulerMetrics must be an http(s) URL of kube-scheduler's /metrics"
                    + " (e.g. https://127.0.0.1:10259/metrics), was '" + value + "'");
        }
    }

    /**
     * kube-scheduler's own counters now, read with this adapter's identity (SchedulerMetrics);
     * an AdapterException when the endpoint is configured but cannot be read, so that a missing
     * reading never passes for a zero.
     */
    @Override
    public Optional<org.computeops.orchestrators.spi.SchedulerCounters> schedulerCounters() {
        return schedulerMetrics == null ? Optional.empty() : Optional.of(schedulerMetrics.read(requestTimeout));
    }

    @Override
    public String whyNoSchedulerCounters() {
        return schedulerMetrics == null
                ? "no kube-scheduler metrics endpoint configured (testbed.kubernetes.schedulerMetrics)"
                : "kube-scheduler's metrics are read from " + schedulerMetrics.endpoint();
    }

    /** The API server's own readiness (/readyz: etcd and its informers included), one cheap call. */
    @Override
    public void checkHealth() {
        String answer = call("asking the API server's /readyz", () -> client.raw("/readyz"));
        if (answer == null || !answer.strip().equals("ok")) {
            throw new AdapterException("the Kubernetes API server at " + client.getMasterUrl() + " is not ready: /readyz answered "
                    + (answer == null ? "nothing" : "'" + answer.strip().lines().findFirst().orElse("") + "'"));
        }
        checkSimulator();
    }

    /**
     * The simulated tier's agent (one KWOK process for all simulated nodes on the local testbed)
     * alive: when none of a few sampled simulated nodes has renewed its Lease within its duration
     * (plus 10 s), the simulator is gone and every simulated node with it; that is an outage of
     * the testbed, not a figure. One stopped node (the failure scenario's) does not trip it.
     */
    private void checkSimulator() {
        if (simulatedSample.isEmpty()) return;
        Instant now = Instant.now();
        List<String> stale = new ArrayList<>();
        for (String node : simulatedSample) {
            var lease = call("reading simulated node " + node + "'s Lease",
                    () -> client.leases().inNamespace("kube-node-lease").withName(node).get());
            if (lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null) {
                stale.add(node + " (no Lease)");
                continue;
            }
            Instant renewed = lease.getSpec().getRenewTime().toInstant();
            int duration = lease.getSpec().getLeaseDurationSeconds() == null ? 40 : lease.getSpec().getLeaseDurationSeconds();
            if (Duration.between(renewed, now).compareTo(Duration.ofSeconds(duration + 10L)) <= 0) return;
            stale.add(node + " (renewed " + renewed + ")");
        }
        throw new AdapterException("the simulated nodes' agent renews no lease (KWOK gone?): " + String.join(", ", stale)
                + "; the simulated tier is broken");
    }

    @Override
    public ClusterInfo describe() {
        String version = call("asking the API server for its version", () -> client.getKubernetesVersion().getGitVersion());
        List<NodeInfo> nodes = nodes().stream().map(n -> KubernetesSpecs.nodeInfo(n, gpuResource)).toList();
        return new ClusterInfo(name(), "Kubernetes " + version, endpoint, nodes);
    }

    private static boolean hasNodeKinds(List<NodeInfo> nodes) {
        return nodes.stream().anyMatch(n -> n.labels().containsKey(KubernetesSpecs.NODE_KIND));
    }

    @Override
    public void validate(Workload workload) {
        List<Node> nodes = recentNodes.get();
        List<NodeInfo> infos = nodes.stream().map(n -> KubernetesSpecs.nodeInfo(n, gpuResource)).toList();
        boolean kinds = hasNodeKinds(infos);
        Placement placement = workload.placement();
        List<NodeInfo> eligible = infos.stream().filter(NodeInfo::ready)
                .filter(n -> KubernetesSpecs.eligible(n, placement, kinds)).toList();
        if (eligible.isEmpty()) {
            throw new AdapterException("workload '" + workload.name() + "' asks for " + describe(placement)
                    + " but no ready node of the cluster at " + endpoint + " is one (" + infos.size() + " nodes, "
                    + infos.stream().filter(NodeInfo::simulated).count() + " simulated)");
        }
        int gpus = workload.resources().gpus();
        if (gpus > 0) {
            int largest = eligible.stream().mapToInt(NodeInfo::gpus).max().orElse(0);
            if (largest == 0) {
                int anywhere = infos.stream().filter(NodeInfo::ready).mapToInt(NodeInfo::gpus).max().orElse(0);
                throw new AdapterException("workload '" + workload.name() + "' asks for " + gpus + " GPU(s) per task but no ready "
                        + (placement == Placement.ANY ? "node" : describe(placement).replace("nodes", "node")) + " advertises " + gpuResource
                        + " at " + endpoint + (anywhere > 0 ? " (other nodes do: change the placement)"
                        : " (this cluster has no GPU nodes; on other resource names set testbed.kubernetes.gpuResource)"));
            }
            if (largest < gpus) {
                throw new AdapterException("workload '" + workload.name() + "' asks for " + gpus
                        + " GPUs per task but the largest eligible node advertises only " + largest + " " + gpuResource);
            }
        }
        // On the local testbed images cannot be pulled: the real node must already have it
        // (simulated nodes run nothing, so any name does for them).
        if (kinds && placement != Placement.SIMULATED_NODES) {
            List<Node> real = nodes.stream().filter(n -> !KubernetesSpecs.isSimulated(n) && KubernetesSpecs.isReady(n)).toList();
            String wanted = KubernetesSpecs.normalizeImage(workload.image());
            boolean present = real.stream().anyMatch(n -> imagesOf(n).contains(wanted));
            if (!real.isEmpty() && !present) {
                throw new AdapterException("image '" + workload.image() + "' of workload '" + workload.name()
                        + "' is not on the real node(s) " + real.stream().map(n -> n.getMetadata().getName()).toList()
                        + " and no registry is reachable: `infra/testbed up kubernetes` imports the images built by"
                        + " infra/images/build.sh, or use an image the nodes have");
            }
        }
    }

    private static List<String> imagesOf(Node node) {
        List<String> names = new ArrayList<>();
        if (node.getStatus() == null || node.getStatus().getImages() == null) return names;
        for (ContainerImage image : node.getStatus().getImages()) {
            if (image.getNames() != null) names.addAll(image.getNames());
        }
        return names;
    }

    private static String describe(Placement placement) {
        return switch (placement) {
            case ANY -> "any node";
            case REAL_NODES -> "real nodes";
            case SIMULATED_NODES -> "simulated nodes";
        };
    }

    private KubernetesSpecs.PodOptions podOptions() {
        boolean kinds = recentNodes.get().stream().anyMatch(n -> n.getMetadata().getLabels() != null
                && n.getMetadata().getLabels().containsKey(KubernetesSpecs.NODE_KIND));
        return new KubernetesSpecs.PodOptions(gpuResource, kinds, evictionSeconds);
    }

    @Override
    public Deployment submit(Workload workload) {
        validate(workload);
        if (!sharedNamespace) ensureOwnNamespace();
        KubernetesSpecs.PodOptions options = podOptions();
        String submission = workload.name() + "-" + submissions.incrementAndGet();
        String id;
        Instant started;
        Instant submitted;
        if (workload instanceof BatchJob batch) {
            if (batch.priority() != Priority.NORMAL) ensurePriorityClass(batch.priority());
            var job = KubernetesSpecs.job(namespace, runId, submission, batch, backoffLimit, options);
            id = "job/" + batch.name();
            watch.track(submission, id);
            started = Instant.now();
            call("creating Job " + namespace + "/" + batch.name(),
                    () -> client.batch().v1().jobs().inNamespace(namespace).resource(job).create());
            submitted = Instant.now();
        } else if (workload instanceof Service service) {
            var deployment = KubernetesSpecs.deployment(namespace, runId, submission, service, options);
            var svc = KubernetesSpecs.service(namespace, runId, submission, service);
            id = "deployment/" + service.name();
            watch.track(submission, id);
            started = Instant.now();
            call("creating Deployment " + namespace + "/" + service.name(),
                    () -> client.apps().deployments().inNamespace(namespace).resource(deployment).create());
            submitted = Instant.now();
            call("creating Service " + namespace + "/" + service.name(),
                    () -> client.services().inNamespace(namespace).resource(svc).create());
        } else {
            throw new AdapterException("unknown workload type " + workload.getClass().getName());
        }
        LOG.info("created {} in namespace {} ({} tasks)", id, namespace, workload.taskCount());
        Deployment handle = new Deployment(id, runId, workload, started, submitted);
        submissionOf.put(handle, submission);
        return handle;
    }

    /** Creates this run's PriorityClass of the class once (cluster-scoped; removed in close and as a leftover). */
    private void ensurePriorityClass(Priority priority) {
        String name = KubernetesSpecs.priorityClassName(runId, priority);
        if (!priorityClasses.add(name)) return;
        var existing = call("reading PriorityClass " + name, () -> client.scheduling().v1().priorityClasses().withName(name).get());
        if (existing == null) {
            call("creating PriorityClass " + name,
                    () -> client.scheduling().v1().priorityClasses().resource(KubernetesSpecs.priorityClass(runId, priority)).create());
            LOG.info("created PriorityClass {} (value {})", name, KubernetesSpecs.priorityValue(priority));
        }
    }

    /** The Service's ClusterIP: reachable from this client only where it runs on a cluster node (the local testbed). */
    @Override
    public Optional<ServiceEntry> serviceEntry(Deployment deployment) {
        if (!clusterIpReachable || !(deployment.workload() instanceof Service service)) return Optional.empty();
        var svc = call("reading Service " + namespace + "/" + service.name(),
                () -> client.services().inNamespace(namespace).withName(service.name()).get());
        if (svc == null || svc.getSpec().getClusterIP() == null) return Optional.empty();
        return Optional.of(new ServiceEntry("Kubernetes ClusterIP Service (kube-proxy)",
                List.of(URI.create("http://" + svc.getSpec().getClusterIP() + ":" + service.port())), true));
    }

    @Override
    public AutoCloseable events(Deployment deployment, TaskEventListener listener) {
        String submission = submissionOf.get(deployment);
        if (submission == null) {
            throw new AdapterException(deployment.id() + " was not submitted through this adapter instance: subscribe with the Deployment its submit returned");
        }
        AutoCloseable handle = watch.subscribe(submission, listener);
        AutoCloseable tracked = new AutoCloseable() {
            private boolean done;

            @Override
            public synchronized void close() throws Exception {
                if (done) return;
                done = true;
                handle.close();
                subscriptions.remove(this);
            }
        };
        subscriptions.add(tracked);
        return tracked;
    }

    @Override
    public void scale(Deployment deployment, int replicas) {
        if (!(deployment.workload() instanceof Service service)) {
            throw new AdapterException("only services can be scaled; '" + deployment.workload().name() + "' is a batch job");
        }
        if (replicas < 0) throw new AdapterException("replicas must be >= 0, was " + replicas);
        call("scaling Deployment " + namespace + "/" + service.name() + " to " + replicas,
                () -> client.apps().deployments().inNamespace(namespace).withName(service.name()).scale(replicas));
    }

    @Override
    public Optional<String> batchFinished(Deployment deployment) {
        if (!(deployment.workload() instanceof BatchJob batch)) return Optional.empty();
        var job = call("reading Job " + namespace + "/" + batch.name(),
                () -> client.batch().v1().jobs().inNamespace(namespace).withName(batch.name()).get());
        if (job == null || job.getStatus() == null || job.getStatus().getConditions() == null) return Optional.empty();
        return job.getStatus().getConditions().stream()
                .filter(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus())).findFirst()
                .map(c -> "Job " + batch.name() + ": Complete, " + job.getStatus().getSucceeded() + " succeeded (" + c.getMessage() + ")");
    }

    @Override
    public void remove(Deployment deployment) {
        Workload w = deployment.workload();
        if (w instanceof BatchJob) {
            call("deleting Job " + namespace + "/" + w.name(),
                    () -> client.batch().v1().jobs().inNamespace(namespace).withName(w.name()).withPropagationPolicy(
                            io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete());
        } else {
            call("deleting Service " + namespace + "/" + w.name(),
                    () -> client.services().inNamespace(namespace).withName(w.name()).delete());
            call("deleting Deployment " + namespace + "/" + w.name(),
                    () -> client.apps().deployments().inNamespace(namespace).withName(w.name()).withPropagationPolicy(
                            io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete());
        }
    }

    /**
     * Whether another run's object may be removed as a leftover: its run holds no live Lease and it
     * is at least {@code minAge} old, so that two runs on one cluster never remove each other's objects.
     */
    static boolean removable(HasMetadata o, Map<String, Instant> live, Instant now, Duration minAge, String ownRunId) {
        String owner = o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(Labels.RUN_ID);
        if (owner == null || owner.equals(ownRunId)) return false;
        if (live.containsKey(owner)) {
            LOG.info("run {} holds a live Lease: its {} {} is left alone", owner, o.getKind(), o.getMetadata().getName());
            return false;
        }
        String created = o.getMetadata().getCreationTimestamp();
        if (created != null && Duration.between(java.time.ZonedDateTime.parse(created).toInstant(), now).compareTo(minAge) < 0) {
            LOG.info("{} {} of run {} has no live Lease but is younger than testbed.leftovers.minAgeSeconds={}: left alone",
                    o.getKind(), o.getMetadata().getName(), owner, minAge.toSeconds());
            return false;
        }
        return true;
    }

    @Override
    public int removeLeftovers() {
        int removed = 0;
        Instant now = Instant.now();
        Map<String, Instant> live = call("reading the runs' Leases", () -> KubernetesLease.live(client, now, runId, leaseTtl));
        // PriorityClasses are cluster-scoped: they outlive a namespace and are removed by label
        // (a user limited to a namespace may not list them: then only said, the rest still removed)
        try {
            for (var pc : call("listing PriorityClasses labelled " + Labels.RUN_ID,
                    () -> client.scheduling().v1().priorityClasses().withLabel(Labels.RUN_ID).list().getItems())) {
                if (!removable(pc, live, now, leftoverMinAge, runId)) continue;
                LOG.info("removing leftover PriorityClass {} of run {}", pc.getMetadata().getName(), pc.getMetadata().getLabels().get(Labels.RUN_ID));
                call("deleting leftover PriorityClass " + pc.getMetadata().getName(),
                        () -> client.scheduling().v1().priorityClasses().withName(pc.getMetadata().getName()).delete());
                removed++;
            }
        } catch (AdapterException e) {
            LOG.warn("leftover PriorityClasses not checked: {}", e.getMessage());
        }
        if (sharedNamespace) {
            List<HasMetadata> objects = new ArrayList<>();
            objects.addAll(call("listing Jobs", () -> client.batch().v1().jobs().inNamespace(namespace).withLabel(Labels.RUN_ID).list().getItems()));
            objects.addAll(call("listing Deployments", () -> client.apps().deployments().inNamespace(namespace).withLabel(Labels.RUN_ID).list().getItems()));
            objects.addAll(call("listing Services", () -> client.services().inNamespace(namespace).withLabel(Labels.RUN_ID).list().getItems()));
            for (HasMetadata o : objects) {
                String owner = o.getMetadata().getLabels().get(Labels.RUN_ID);
                if (removable(o, live, now, leftoverMinAge, runId)) {
                    LOG.info("removing leftover {} {} of run {}", o.getKind(), o.getMetadata().getName(), owner);
                    call("deleting leftover " + o.getKind() + " " + o.getMetadata().getName(),
                            () -> client.resource(o).withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete());
                    removed++;
                }
            }
            return removed;
        }
        List<Namespace> namespaces = call("listing namespaces labelled " + Labels.RUN_ID,
                () -> client.namespaces().withLabel(Labels.RUN_ID).list().getItems());
        for (Namespace ns : namespaces) {
            String owner = ns.getMetadata().getLabels().get(Labels.RUN_ID);
            if (ns.getMetadata().getDeletionTimestamp() != null || !removable(ns, live, now, leftoverMinAge, runId)) continue;
            LOG.info("removing leftover namespace {} of run {}", ns.getMetadata().getName(), owner);
            call("deleting leftover namespace " + ns.getMetadata().getName(),
                    () -> client.namespaces().withName(ns.getMetadata().getName()).delete());
            removed++;
        }
        return removed;
    }

    @Override
    public Faults faults() {
        return faults;
    }

    @Override
    public Optional<org.computeops.orchestrators.spi.HarnessProbe> harnessProbe() {
        return Optional.of(new KubernetesHarnessProbe(client, namespace, runId));
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        for (AutoCloseable w : List.copyOf(subscriptions)) {
            try {
                w.close();
            } catch (Exception e) {
                LOG.debug("closing a watch: {}", e.toString());
            }
        }
        watch.close();
        try {
            faults.restoreAll();
            if (!priorityClasses.isEmpty()) {
                client.scheduling().v1().priorityClasses().withLabel(Labels.RUN_ID, runId).delete();
            }
            if (sharedNamespace) {
                var background = io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND;
                client.batch().v1().jobs().inNamespace(namespace).withLabel(Labels.RUN_ID, runId)
                        .withPropagationPolicy(background).delete();
                client.apps().deployments().inNamespace(namespace).withLabel(Labels.RUN_ID, runId)
                        .withPropagationPolicy(background).delete();
                client.services().inNamespace(namespace).withLabel(Labels.RUN_ID, runId).delete();
            } else {
                client.namespaces().withName(namespace).delete();
                waitForNamespaceGone();
            }
        } catch (RuntimeException e) {
            LOG.warn("could not remove what run {} created in namespace {}: {}", runId, namespace,
                    KubernetesErrors.translate("cleaning up", e, endpoint, source).getMessage());
        } finally {
            lease.close();
            client.close();
            if (onClose != null) onClose.run();
        }
    }

    private void waitForNamespaceGone() {
        long started = System.nanoTime();
        long deadline = started + namespaceDeleteWait.toNanos();
        long nextNote = started + 30_000_000_000L;
        while (client.namespaces().withName(namespace).get() != null) {
            if (System.nanoTime() > nextNote) {
                // 10,000 pods take minutes to go: say so rather than hang quietly
                LOG.info("namespace {} still terminating after {} s", namespace, (System.nanoTime() - started) / 1_000_000_000L);
                nextNote += 30_000_000_000L;
            }
            if (System.nanoTime() > deadline) {
                LOG.warn("namespace {} is still terminating after {} s; the next run removes it", namespace,
                        namespaceDeleteWait.toSeconds());
                return;
            }
            sleep(250);
        }
        LOG.info("deleted namespace {}", namespace);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdapterException("interrupted");
        }
    }
}
