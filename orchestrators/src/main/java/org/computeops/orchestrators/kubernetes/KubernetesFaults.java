package org.computeops.orchestrators.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.computeops.orchestrators.spi.Faults;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.TestbedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Node faults on simulated (KWOK) nodes: the label {@value KubernetesSpecs#KWOK_NOT_READY}=true
 * makes KWOK's node-not-ready stage (loaded by infra/kubernetes/up.sh) report the node
 * NotReady, exactly as a dead kubelet would look to the control plane; the node lifecycle
 * controller then taints it and evicts its pods. Real nodes are not stopped: the local testbed
 * has one, and it serves the scenarios' real containers.
 */
final class KubernetesFaults implements Faults {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesFaults.class);

    interface Caller {
        <T> T call(String action, Supplier<T> request);
    }

    private final KubernetesClient client;
    private final Caller caller;
    private final long evictionSeconds;
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();

    KubernetesFaults(KubernetesClient client, Caller caller, long evictionSeconds) {
        this.client = client;
        this.caller = caller;
        this.evictionSeconds = evictionSeconds;
    }

    private Node node(String name) {
        Node node = caller.call("reading node " + name, () -> client.nodes().withName(name).get());
        if (node == null) throw new TestbedException("no node named '" + name + "' in this cluster");
        return node;
    }

    @Override
    public void stopNode(String nodeId) {
        Node node = node(nodeId);
        if (!KubernetesSpecs.isKwok(node)) {
            throw new TestbedException("node '" + nodeId + "' runs a real kubelet; the testbed fails only simulated (KWOK)"
                    + " nodes: pick a node with computeops.io/node-kind=simulated");
        }
        caller.call("labelling node " + nodeId + " not-ready",
                () -> client.nodes().withName(nodeId).edit(n -> {
                    n.getMetadata().getLabels().put(KubernetesSpecs.KWOK_NOT_READY, "true");
                    return n;
                }));
        stopped.add(nodeId);
        LOG.info("node {} stopped (KWOK reports it NotReady)", nodeId);
        waitReady(nodeId, false, 30);
    }

    @Override
    public void restoreNode(String nodeId) {
        node(nodeId);
        caller.call("removing the not-ready label of node " + nodeId,
                () -> client.nodes().withName(nodeId).edit(n -> {
                    n.getMetadata().getLabels().remove(KubernetesSpecs.KWOK_NOT_READY);
                    return n;
                }));
        stopped.remove(nodeId);
        waitReady(nodeId, true, 60);
        LOG.info("node {} restored and Ready", nodeId);
    }

    /** Restores every node this adapter stopped (on close). */
    void restoreAll() {
        for (String n : Set.copyOf(stopped)) {
            try {
                restoreNode(n);
            } catch (RuntimeException e) {
                LOG.warn("could not restore node {}: {}", n, e.getMessage());
            }
        }
    }

    private void waitReady(String nodeId, boolean ready, int seconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (KubernetesSpecs.isReady(node(nodeId)) != ready) {
            if (System.nanoTime() > deadline) {
                throw new TestbedException("node " + nodeId + " did not become " + (ready ? "Ready" : "NotReady")
                        + " within " + seconds + " s (is KWOK running with the node-not-ready stage? infra/kubernetes/up.sh loads it)");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TestbedException("interrupted");
            }
        }
    }

    /**
     * Only simulated (KWOK) nodes are failed (see the class comment). Declared without
     * {@code @Override} so that it also compiles against an SPI without {@code Faults.canStop}.
     */
    public boolean canStop(NodeInfo node) {
        return node.simulated() && node.ready();
    }

    @Override
    public Map<String, String> failureDetectionSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("pod toleration of not-ready/unreachable nodes (tolerationSeconds)", evictionSeconds + "s");
        settings.put("node-monitor-grace-period (local testbed's kube-controller-manager)", "20s");
        settings.put("node-monitor-period (local testbed)", "2s");
        settings.put("simulated node failure", "KWOK node-not-ready stage, 1 s + up to 1 s jitter after the fault");
        return settings;
    }
}
