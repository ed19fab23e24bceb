package org.computeops.orchestrators.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Labels;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Priority;
import org.computeops.orchestrators.spi.Resources;
import org.computeops.orchestrators.spi.Service;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Request building: the objects the adapter sends, checked without a server. */
class KubernetesSpecsTest {

    private static final KubernetesSpecs.PodOptions LOCAL = new KubernetesSpecs.PodOptions("nvidia.com/gpu", true, 10L);
    private static final KubernetesSpecs.PodOptions EXTERNAL = new KubernetesSpecs.PodOptions("nvidia.com/gpu", false, 10L);

    private static BatchJob batch(Placement placement, Resources resources) {
        return new BatchJob("burst", "computeops/batch:1.0", List.of("sh", "-c", "true"), 50, 20, resources, placement);
    }

    @Test
    void aPriorityClassOfTheRunNamesItsPodsAndNeverPreempts() {
        Job normal = KubernetesSpecs.job("co-r1", "r1", "burst-1", batch(Placement.ANY, Resources.NONE), 3, LOCAL);
        assertThat(normal.getSpec().getTemplate().getSpec().getPriorityClassName()).isNull();
        Job high = KubernetesSpecs.job("co-r1", "r1", "high-1", batch(Placement.ANY, Resources.gpus(1)).withPriority(Priority.HIGH), 3, LOCAL);
        assertThat(high.getSpec().getTemplate().getSpec().getPriorityClassName()).isEqualTo("co-r1-high");
        Job low = KubernetesSpecs.job("co-r1", "r1", "low-1", batch(Placement.ANY, Resources.gpus(1)).withPriority(Priority.LOW), 3, LOCAL);
        assertThat(low.getSpec().getTemplate().getSpec().getPriorityClassName()).isEqualTo("co-r1-low");
        PriorityClass highClass = KubernetesSpecs.priorityClass("r1", Priority.HIGH);
        PriorityClass lowClass = KubernetesSpecs.priorityClass("r1", Priority.LOW);
        assertThat(highClass.getMetadata().getName()).isEqualTo("co-r1-high");
        assertThat(highClass.getMetadata().getLabels()).containsEntry(Labels.RUN_ID, "r1");
        assertThat(highClass.getValue()).isGreaterThan(lowClass.getValue());
        assertThat(lowClass.getValue()).isPositive();
        assertThat(highClass.getGlobalDefault()).isFalse();
        assertThat(highClass.getPreemptionPolicy()).isEqualTo("Never");
    }

    @Test
    void batchIsAJobWithCompletionsParallelismAndOnePodPerAttempt() {
        Job job = KubernetesSpecs.job("co-r1", "r1", "burst-1", batch(Placement.ANY, Resources.NONE), 3, LOCAL);
        assertThat(job.getMetadata().getName()).isEqualTo("burst");
        assertThat(job.getMetadata().getNamespace()).isEqualTo("co-r1");
        assertThat(job.getMetadata().getLabels()).containsEntry(Labels.RUN_ID, "r1").containsEntry(Labels.WORKLOAD, "burst")
                .containsEntry(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        assertThat(job.getSpec().getCompletions()).isEqualTo(50);
        assertThat(job.getSpec().getParallelism()).isEqualTo(20);
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(3);
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).containsEntry(Labels.RUN_ID, "r1")
                .containsEntry(Labels.WORKLOAD, "burst");
        assertThat(pod.getContainers()).singleElement().satisfies(c -> {
            assertThat(c.getImage()).isEqualTo("computeops/batch:1.0");
            assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
            assertThat(c.getCommand()).containsExactly("sh", "-c", "true");
        });
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    }

    @Test
    void gpusAreWholeDeviceLimitsAndCpuMemoryAreRequests() {
        Job job = KubernetesSpecs.job("ns", "r1", "burst-1", batch(Placement.ANY, new Resources(250, 64, 2)), 0, LOCAL);
        var resources = job.getSpec().getTemplate().getSpec().getContainers().get(0).getResources();
        assertThat(resources.getLimits()).containsOnlyKeys("nvidia.com/gpu").containsEntry("nvidia.com/gpu", new Quantity("2"));
        assertThat(resources.getRequests()).containsEntry("cpu", new Quantity("250m")).containsEntry("memory", new Quantity("64Mi"));

        var other = KubernetesSpecs.resources(Resources.gpus(1), "amd.com/gpu");
        assertThat(other.getLimits()).containsOnlyKeys("amd.com/gpu");
        assertThat(KubernetesSpecs.resources(Resources.NONE, "nvidia.com/gpu").getLimits()).isEmpty();
    }

    @Test
    void placementHintsBecomeNodeSelectorsAndTolerations() {
        PodSpec any = KubernetesSpecs.job("ns", "r", "burst-1", batch(Placement.ANY, Resources.NONE), 0, LOCAL).getSpec().getTemplate().getSpec();
        assertThat(any.getNodeSelector()).isEmpty();
        assertThat(keys(any.getTolerations())).contains("kwok.x-k8s.io/node");

        PodSpec sim = KubernetesSpecs.job("ns", "r", "burst-1", batch(Placement.SIMULATED_NODES, Resources.NONE), 0, LOCAL).getSpec().getTemplate().getSpec();
        assertThat(sim.getNodeSelector()).isEqualTo(Map.of("computeops.io/node-kind", "simulated"));
        assertThat(keys(sim.getTolerations())).contains("kwok.x-k8s.io/node");

        PodSpec real = KubernetesSpecs.job("ns", "r", "burst-1", batch(Placement.REAL_NODES, Resources.NONE), 0, LOCAL).getSpec().getTemplate().getSpec();
        assertThat(real.getNodeSelector()).isEqualTo(Map.of("computeops.io/node-kind", "real"));
        assertThat(keys(real.getTolerations())).doesNotContain("kwok.x-k8s.io/node");

        // An external cluster has no node-kind labels: every node is real, no selector.
        PodSpec external = KubernetesSpecs.job("ns", "r", "burst-1", batch(Placement.REAL_NODES, Resources.NONE), 0, EXTERNAL).getSpec().getTemplate().getSpec();
        assertThat(external.getNodeSelector()).isEmpty();
    }

    @Test
    void tasksLeaveAFailedNodeAfterTheConfiguredEvictionTime() {
        List<Toleration> tolerations = KubernetesSpecs.tolerations(Placement.ANY, 7L);
        assertThat(tolerations).filteredOn(t -> "NoExecute".equals(t.getEffect()))
                .extracting(Toleration::getKey).containsExactlyInAnyOrder("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable");
        assertThat(tolerations).filteredOn(t -> "NoExecute".equals(t.getEffect()))
                .allSatisfy(t -> assertThat(t.getTolerationSeconds()).isEqualTo(7L));
    }

    @Test
    void withoutAConfiguredEvictionTimeTheClusterDefaultApplies() {
        assertThat(KubernetesSpecs.tolerations(Placement.ANY, null)).noneMatch(t -> "NoExecute".equals(t.getEffect()));
    }

    @Test
    void controllerManagerFlagsAreReadFromItsCommandLine() {
        List<String> args = List.of("kube-controller-manager", "--node-monitor-grace-period=40s", "--v=2");
        assertThat(KubernetesFaults.flag(args, "--node-monitor-grace-period")).contains("40s");
        assertThat(KubernetesFaults.flag(args, "--node-monitor-period")).isEmpty();
    }

    @Test
    void serviceIsADeploymentPlusAClusterIpServiceSelectingItsPods() {
        Service web = new Service("web", "computeops/service:1.0", List.of(), 3, 8080, Resources.NONE, Placement.REAL_NODES);
        Deployment d = KubernetesSpecs.deployment("ns", "r2", "web-1", web, LOCAL);
        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        assertThat(d.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Always");
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand()).isEmpty();
        assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
                .singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8080));

        var svc = KubernetesSpecs.service("ns", "r2", "web-1", web);
        assertThat(svc.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(svc.getSpec().getSelector()).isEqualTo(d.getSpec().getSelector().getMatchLabels());
        assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getPort()).isEqualTo(8080);
            assertThat(p.getTargetPort().getIntVal()).isEqualTo(8080);
        });
        assertThat(svc.getMetadata().getLabels()).containsEntry(Labels.RUN_ID, "r2");
    }

    @Test
    void aSecondSubmitOfTheSameNameDoesNotSelectTheFirstOnesPods() {
        Service web = new Service("web", "computeops/service:1.0", List.of(), 2, 8080, Resources.NONE, Placement.REAL_NODES);
        var first = KubernetesSpecs.deployment("ns", "r3", "web-1", web, LOCAL).getSpec().getTemplate().getMetadata().getLabels();
        var second = KubernetesSpecs.service("ns", "r3", "web-2", web).getSpec().getSelector();
        assertThat(first).containsEntry(Labels.WORKLOAD, "web");
        assertThat(second).containsEntry(KubernetesSpecs.SUBMISSION, "web-2");
        assertThat(first.entrySet().containsAll(second.entrySet())).as("the second Service selects the first Deployment's pods").isFalse();
    }

    @Test
    void namespaceCarriesTheRunId() {
        assertThat(KubernetesSpecs.namespaceName("run-20260101-120000")).isEqualTo("co-run-20260101-120000");
        assertThat(KubernetesSpecs.namespace("co-x", "x").getMetadata().getLabels()).containsEntry(Labels.RUN_ID, "x");
    }

    @Test
    void nodeInventoryReadsAllocatableCpuMemoryAndGpus() {
        Node kwok = new NodeBuilder()
                .withNewMetadata().withName("kwok-gpu-0").addToAnnotations("kwok.x-k8s.io/node", "fake")
                .addToLabels("computeops.io/node-kind", "simulated").endMetadata()
                .withNewStatus().addToAllocatable("cpu", new Quantity("32")).addToAllocatable("memory", new Quantity("128Gi"))
                .addToAllocatable("nvidia.com/gpu", new Quantity("4"))
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                .build();
        NodeInfo info = KubernetesSpecs.nodeInfo(kwok, "nvidia.com/gpu");
        assertThat(info.name()).isEqualTo("kwok-gpu-0");
        assertThat(info.simulated()).isTrue();
        assertThat(info.ready()).isTrue();
        assertThat(info.cpuMillis()).isEqualTo(32_000);
        assertThat(info.memoryMiB()).isEqualTo(128 * 1024);
        assertThat(info.gpus()).isEqualTo(4);

        Node real = new NodeBuilder()
                .withNewMetadata().withName("co-k8s-real").addToLabels("computeops.io/node-kind", "real").endMetadata()
                .withNewSpec().withUnschedulable(true).endSpec()
                .withNewStatus().addToAllocatable("cpu", new Quantity("1500m")).addToAllocatable("memory", new Quantity("2048Ki"))
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                .build();
        NodeInfo r = KubernetesSpecs.nodeInfo(real, "nvidia.com/gpu");
        assertThat(r.simulated()).isFalse();
        assertThat(r.ready()).as("cordoned").isFalse();
        assertThat(r.cpuMillis()).isEqualTo(1500);
        assertThat(r.memoryMiB()).isEqualTo(2);
        assertThat(r.gpus()).isZero();
        assertThat(KubernetesSpecs.eligible(r, Placement.REAL_NODES, true)).isTrue();
        assertThat(KubernetesSpecs.eligible(info, Placement.REAL_NODES, true)).isFalse();
        assertThat(KubernetesSpecs.eligible(info, Placement.SIMULATED_NODES, true)).isTrue();
    }

    @Test
    void imageNamesAreNormalizedLikeTheContainerRuntimeStoresThem() {
        assertThat(KubernetesSpecs.normalizeImage("computeops/batch:1.0")).isEqualTo("docker.io/computeops/batch:1.0");
        assertThat(KubernetesSpecs.normalizeImage("busybox")).isEqualTo("docker.io/library/busybox:latest");
        assertThat(KubernetesSpecs.normalizeImage("registry.k8s.io/pause:3.6")).isEqualTo("registry.k8s.io/pause:3.6");
        assertThat(KubernetesSpecs.normalizeImage("localhost:5000/x")).isEqualTo("localhost:5000/x:latest");
    }

    private static List<String> keys(List<Toleration> tolerations) {
        return tolerations.stream().map(Toleration::getKey).toList();
    }
}
