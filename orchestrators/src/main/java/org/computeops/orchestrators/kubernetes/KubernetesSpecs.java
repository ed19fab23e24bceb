package org.computeops.orchestrators.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Labels;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Priority;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.orchestrators.spi.Service;
import org.computeops.orchestrators.spi.Workload;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes objects for workloads, and node inventory from Kubernetes nodes. Pure functions:
 * everything here is unit-tested without a server.
 */
final class KubernetesSpecs {

    /** Node label set by the local testbed (infra/kubernetes/up.sh): "real" or "simulated". */
    static final String NODE_KIND = "computeops.io/node-kind";
    static final String KIND_REAL = "real";
    static final String KIND_SIMULATED = "simulated";
    /** KWOK marks the nodes it simulates with this annotation, and taints them with the same key. */
    static final String KWOK_NODE = "kwok.x-k8s.io/node";
    static final String KWOK_FAKE = "fake";
    static final String DEFAULT_GPU_RESOURCE = "nvidia.com/gpu";
    static final String CONTAINER = "task";
    /** Pod label naming one submit of a workload: "NAME-N", unique within a run. */
    static final String SUBMISSION = "computeops.io/submission";

    private KubernetesSpecs() {
    }

    /** Options that shape every pod template. */
    record PodOptions(String gpuResource, boolean clusterHasNodeKinds, Long evictionSeconds) {
    }

    static String namespaceName(String runId) {
        return "co-" + runId;
    }

    static Map<String, String> runLabels(String runId) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.RUN_ID, runId);
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        return labels;
    }

    static Map<String, String> workloadLabels(String runId, Workload workload, String submission) {
        Map<String, String> labels = runLabels(runId);
        labels.put(Labels.WORKLOAD, workload.name());
        labels.put(SUBMISSION, submission);
        return labels;
    }

    /**
     * What selects one submission's pods. Not the workload name: two scenarios of a run may both
     * submit a "web", and the second Service must not pick up the first one's lingering pods.
     */
    static Map<String, String> selector(String runId, String submission) {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(Labels.RUN_ID, runId);
        selector.put(SUBMISSION, submission);
        return selector;
    }

    static Namespace namespace(String name, String runId) {
        return new NamespaceBuilder().withNewMetadata().withName(name).withLabels(runLabels(runId)).endMetadata().build();
    }

    /** The PriorityClass of a priority class in this run (cluster-scoped, so the run id is in its name). */
    static String priorityClassName(String runId, Priority priority) {
        return "co-" + runId + "-" + priority.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Values of the two classes: any two with HIGH above LOW; both above 0, the default of pods without a class. */
    static int priorityValue(Priority priority) {
        return switch (priority) {
            case NORMAL -> 0;
            case LOW -> 1000;
            case HIGH -> 100000;
        };
    }

    /**
     * A run's PriorityClass. preemptionPolicy Never: the class orders the scheduler's queue of
     * pending pods and never evicts running ones (as Slurm's partition PriorityTier without
     * preemption), so the queue scenario compares ordering alone.
     */
    static PriorityClass priorityClass(String runId, Priority priority) {
        return new PriorityClassBuilder()
                .withNewMetadata().withName(priorityClassName(runId, priority)).withLabels(runLabels(runId)).endMetadata()
                .withValue(priorityValue(priority))
                .withGlobalDefault(false)
                .withPreemptionPolicy("Never")
                .withDescription("computeops run " + runId + ": priority class " + priority)
                .build();
    }

    static Job job(String namespace, String runId, String submission, BatchJob batch, int backoffLimit, PodOptions options) {
        return new JobBuilder()
                .withNewMetadata().withName(batch.name()).withNamespace(namespace)
                .withLabels(workloadLabels(runId, batch, submission)).endMetadata()
                .withNewSpec()
                .withCompletions(batch.completions())
                .withParallelism(batch.parallelism())
                .withBackoffLimit(backoffLimit)
                .withTemplate(podTemplate(runId, submission, batch, "Never", options))
                .endSpec()
                .build();
    }

    static Deployment deployment(String namespace, String runId, String submission, Service service, PodOptions options) {
        return new DeploymentBuilder()
                .withNewMetadata().withName(service.name()).withNamespace(namespace)
                .withLabels(workloadLabels(runId, service, submission)).endMetadata()
                .withNewSpec()
                .withReplicas(service.replicas())
                .withNewSelector().withMatchLabels(selector(runId, submission)).endSelector()
                .withTemplate(podTemplate(runId, submission, service, "Always", options))
                .endSpec()
                .build();
    }

    static io.fabric8.kubernetes.api.model.Service service(String namespace, String runId, String submission, Service service) {
        return new ServiceBuilder()
                .withNewMetadata().withName(service.name()).withNamespace(namespace)
                .withLabels(workloadLabels(runId, service, submission)).endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(selector(runId, submission))
                .addNewPort().withName("main").withProtocol("TCP").withPort(service.port())
                .withNewTargetPort(service.port()).endPort()
                .endSpec()
                .build();
    }

    static PodTemplateSpec podTemplate(String runId, String submission, Workload workload, String restartPolicy, PodOptions options) {
        ContainerBuilder container = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(workload.image())
                .withImagePullPolicy("IfNotPresent")
                .withResources(resources(workload.resources(), options.gpuResource()));
        if (!workload.command().isEmpty()) container.withCommand(workload.command());
        if (workload instanceof Service service) {
            container.addNewPort().withName("main").withContainerPort(service.port()).withProtocol("TCP").endPort();
        }
        PodSpec spec = new PodSpecBuilder()
                .withRestartPolicy(restartPolicy)
                .withContainers(List.of((Container) container.build()))
                // Fast teardown; no API token or service env: the workloads never call the API.
                .withTerminationGracePeriodSeconds(1L)
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withNodeSelector(nodeSelector(workload.placement(), options.clusterHasNodeKinds()))
                .withTolerations(tolerations(workload.placement(), options.evictionSeconds()))
                .build();
        if (workload instanceof BatchJob batch && batch.priority() != Priority.NORMAL) {
            spec.setPriorityClassName(priorityClassName(runId, batch.priority()));
        }
        return new PodTemplateSpecBuilder()
                .withNewMetadata().withLabels(workloadLabels(runId, workload, submission)).endMetadata()
                .withSpec(spec)
                .build();
    }

    static io.fabric8.kubernetes.api.model.ResourceRequirements resources(Resources r, String gpuResource) {
        Map<String, Quantity> requests = new LinkedHashMap<>();
        Map<String, Quantity> limits = new LinkedHashMap<>();
        if (r.cpuMillis() > 0) requests.put("cpu", new Quantity(r.cpuMillis() + "m"));
        if (r.memoryMiB() > 0) requests.put("memory", new Quantity(r.memoryMiB() + "Mi"));
        // Extended resources (GPUs) are whole devices, set as limits; requests default to them.
        if (r.gpus() > 0) limits.put(gpuResource, new Quantity(Integer.toString(r.gpus())));
        return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
    }

    /**
     * Placement hints as node selectors. On a cluster whose nodes carry no
     * {@value #NODE_KIND} label (an external cluster), every node is a real one.
     */
    static Map<String, String> nodeSelector(Placement placement, boolean clusterHasNodeKinds) {
        return switch (placement) {
            case ANY -> Map.of();
            case REAL_NODES -> clusterHasNodeKinds ? Map.of(NODE_KIND, KIND_REAL) : Map.of();
            case SIMULATED_NODES -> Map.of(NODE_KIND, KIND_SIMULATED);
        };
    }

    /** {@code evictionSeconds} null: the cluster's default toleration of lost nodes (300 s as Kubernetes ships). */
    static List<Toleration> tolerations(Placement placement, Long evictionSeconds) {
        List<Toleration> tolerations = new ArrayList<>();
        if (placement != Placement.REAL_NODES) {
            tolerations.add(new TolerationBuilder().withKey(KWOK_NODE).withOperator("Exists").withEffect("NoSchedule").build());
        }
        // How long a task stays bound to a node that stopped answering before it is evicted.
        if (evictionSeconds == null) return tolerations;
        for (String taint : List.of("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")) {
            tolerations.add(new TolerationBuilder().withKey(taint).withOperator("Exists").withEffect("NoExecute")
                    .withTolerationSeconds(evictionSeconds).build());
        }
        return tolerations;
    }

    // --- nodes ---------------------------------------------------------------------------------

    static boolean isSimulated(Node node) {
        Map<String, String> labels = labelsOf(node);
        Map<String, String> annotations = node.getMetadata().getAnnotations() == null ? Map.of() : node.getMetadata().getAnnotations();
        return KIND_SIMULATED.equals(labels.get(NODE_KIND)) || KWOK_FAKE.equals(annotations.get(KWOK_NODE));
    }

    static boolean isReady(Node node) {
        if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) return false;
        if (node.getStatus() == null || node.getStatus().getConditions() == null) return false;
        for (NodeCondition c : node.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) return "True".equals(c.getStatus());
        }
        return false;
    }

    static NodeInfo nodeInfo(Node node, String gpuResource) {
        Map<String, Quantity> allocatable = node.getStatus() == null || node.getStatus().getAllocatable() == null
                ? Map.of() : node.getStatus().getAllocatable();
        String name = node.getMetadata().getName();
        return new NodeInfo(name, name, isSimulated(node), isReady(node),
                amount(allocatable.get("cpu")).multiply(BigDecimal.valueOf(1000)).longValue(),
                amount(allocatable.get("memory")).divide(BigDecimal.valueOf(1024L * 1024L), java.math.RoundingMode.DOWN).longValue(),
                amount(allocatable.get(gpuResource)).intValue(),
                labelsOf(node));
    }

    private static Map<String, String> labelsOf(Node node) {
        return node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    }

    private static BigDecimal amount(Quantity q) {
        if (q == null) return BigDecimal.ZERO;
        try {
            return Quantity.getAmountInBytes(q);
        } catch (ArithmeticException | IllegalArgumentException e) {
            return BigDecimal.ZERO;
        }
    }

    /** Whether a node fits a placement hint. */
    static boolean eligible(NodeInfo node, Placement placement, boolean clusterHasNodeKinds) {
        return switch (placement) {
            case ANY -> true;
            case REAL_NODES -> !node.simulated() && (!clusterHasNodeKinds || KIND_REAL.equals(node.labels().get(NODE_KIND)));
            case SIMULATED_NODES -> node.simulated();
        };
    }

    /**
     * The name a container runtime stores an image under: "computeops/batch:1.0" is
     * "docker.io/computeops/batch:1.0", "busybox" is "docker.io/library/busybox:latest".
     */
    static String normalizeImage(String image) {
        String name = image;
        int slash = name.indexOf('/');
        String first = slash < 0 ? "" : name.substring(0, slash);
        boolean hasRegistry = slash >= 0 && (first.contains(".") || first.contains(":") || first.equals("localhost"));
        if (!hasRegistry) name = "docker.io/" + (slash < 0 ? "library/" : "") + name;
        boolean hasTag = name.lastIndexOf(':') > name.lastIndexOf('/');
        if (!hasTag && !name.contains("@")) name = name + ":latest";
        return name;
    }
}
