package org.computeops.orchestrators.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.HarnessProbe;
import org.computeops.orchestrators.spi.Labels;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The harness's headroom on Kubernetes: pod creates through the adapter's own client that the API
 * server decodes, authorizes and admits and then refuses in validation (an empty image: 422, nothing
 * stored), as the Swarm probe's service creates are refused by the manager's validation, so that
 * neither etcd nor the scheduler is what is measured; the pod observer fed pod versions as the
 * watch delivers them; and the API server's own CPU from its /metrics. (Server-side dry-run creates
 * were measured first: they also run the storage layer's create path, 2.8 ms of API-server CPU each,
 * so on 2 cores the API server and this client together ran out of CPU at 249 calls/s.)
 */
final class KubernetesHarnessProbe implements HarnessProbe {

    private final KubernetesClient client;
    private final String namespace;
    private final String runId;

    KubernetesHarnessProbe(KubernetesClient client, String namespace, String runId) {
        this.client = client;
        this.namespace = namespace;
        this.runId = runId;
    }

    @Override
    public String submitCall() {
        return "pod create with an empty image (decoded, authorized and admitted by the API server, refused by its validation: 422 Invalid, nothing stored)";
    }

    @Override
    public String clientLimits() {
        return KubernetesOrchestratorProvider.clientLimits(client.getConfiguration());
    }

    @Override
    public void submitOnce(int i) {
        Pod pod = new PodBuilder().withNewMetadata().withName("co-probe-" + i).withNamespace(namespace)
                .addToLabels(Labels.RUN_ID, runId).endMetadata()
                .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("task").withImage("")
                .withCommand("true").endContainer()
                .addToNodeSelector(KubernetesSpecs.NODE_KIND, KubernetesSpecs.KIND_SIMULATED).endSpec().build();
        try {
            client.pods().inNamespace(namespace).resource(pod).create();
        } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
            if (e.getCode() == 422 && String.valueOf(e.getMessage()).contains("image")) return;
            throw e;
        }
        throw new AdapterException("the API server accepted a pod with an empty image (co-probe-" + i
                + "): the probe cannot run against it; the pod is removed with the run's namespace");
    }

    @Override
    public long replayObserver(int changes) {
        // a pod's life as the watch reports it: pending, bound, running, succeeded (4 versions each)
        Instant t = Instant.parse("2026-11-29T10:00:00Z");
        Pod pending = new PodBuilder().withNewMetadata().withName("p").withCreationTimestamp(t.toString()).endMetadata()
                .withNewSpec().endSpec().withNewStatus().withPhase("Pending").endStatus().build();
        Pod bound = new PodBuilder(pending).editSpec().withNodeName("kwok-node-1").endSpec().editStatus()
                .addNewCondition().withType("PodScheduled").withStatus("True").withLastTransitionTime(t.toString()).endCondition().endStatus().build();
        Pod running = new PodBuilder(bound).editStatus().withPhase("Running").addNewContainerStatus().withName("task")
                .withNewState().withNewRunning().withStartedAt(t.plusSeconds(1).toString()).endRunning().endState().endContainerStatus().endStatus().build();
        Pod succeeded = new PodBuilder(bound).editStatus().withPhase("Succeeded").addNewContainerStatus().withName("task")
                .withNewState().withNewTerminated().withExitCode(0).withStartedAt(t.plusSeconds(1).toString())
                .withFinishedAt(t.plusSeconds(2).toString()).endTerminated().endState().endContainerStatus().endStatus().build();
        List<String> versions = List.of(pending, bound, running, succeeded).stream().map(Serialization::asJson).toList();
        AtomicLong events = new AtomicLong();
        PodTaskTracker tracker = new PodTaskTracker("job/probe", e -> events.incrementAndGet(), Duration.ofSeconds(2));
        for (int i = 0, sent = 0; sent < changes; i++) {
            for (int v = 0; v < versions.size() && sent < changes; v++, sent++) {
                Pod p = Serialization.unmarshal(versions.get(v), Pod.class);
                p.getMetadata().setName("probe-" + i);
                p.getMetadata().setResourceVersion(Integer.toString(v + 1));
                tracker.onPod(p, Instant.now());
            }
        }
        tracker.flushAll(Instant.now());
        return events.get();
    }

    @Override
    public Optional<ServerCpu> serverCpu() {
        String text;
        try {
            text = client.raw("/metrics");
        } catch (RuntimeException e) {
            throw new AdapterException("the API server's /metrics cannot be read: " + e.getMessage());
        }
        return text == null ? Optional.empty()
                : HarnessProbe.processCpuSeconds(text).map(s -> new ServerCpu(s, "kube-apiserver /metrics process_cpu_seconds_total"));
    }
}
