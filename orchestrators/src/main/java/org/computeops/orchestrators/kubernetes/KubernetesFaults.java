package org.computeops.orchestrators.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.computeops.orchestrators.spi.Faults;
import org.computeops.orchestrators.spi.Labels;
import org.computeops.orchestrators.spi.NodeControlProgram;
import org.computeops.orchestrators.spi.StoppedNodes;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.AdapterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Node crashes through the testbed's node-control program ({@code testbed.kubernetes.nodeControl}):
 * it kills the node's agent (on the local testbed: a real node's kubelet, containerd and
 * containers, or a simulated node's KWOK process), so the node stops renewing its lease and the
 * control plane has to notice by itself: node-monitor-grace-period, then the pods'
 * tolerationSeconds, are inside every recovery measured.
 */
final class KubernetesFaults implements Faults {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesFaults.class);
    private static final String UNREACHABLE = "node.kubernetes.io/unreachable";

    interface Caller {
        <T> T call(String action, Supplier<T> request);
    }

    /** The controller manager's node-monitor flags, where the testbed knows them (no API shows them). */
    record NodeMonitorFlags(Optional<String> period, Optional<String> gracePeriod) {
    }

    private final KubernetesClient client;
    private final Caller caller;
    private final NodeControlProgram nodeControl;
    private final String namespace;
    private final Long evictionSeconds;
    private final NodeMonitorFlags flags;
    private final StoppedNodes stopped = new StoppedNodes();

    KubernetesFaults(KubernetesClient client, Caller caller, NodeControlProgram nodeControl, String namespace,
                     Long evictionSeconds, NodeMonitorFlags flags) {
        this.client = client;
        this.caller = caller;
        this.nodeControl = nodeControl;
        this.namespace = namespace;
        this.evictionSeconds = evictionSeconds;
        this.flags = flags;
    }

    private Node node(String name) {
        Node node = caller.call("reading node " + name, () -> client.nodes().withName(name).get());
        if (node == null) throw new AdapterException("no node named '" + name + "' in this cluster");
        return node;
    }

    @Override
    public void stopNode(String nodeId) {
        node(nodeId);
        stopped.add(nodeId);
        nodeControl.stop(nodeId);
        LOG.info("node {} stopped hard by {}", nodeId, nodeControl);
    }

    @Override
    public void restoreNode(String nodeId) {
        node(nodeId);
        nodeControl.start(nodeId);
        stopped.remove(nodeId);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!KubernetesSpecs.isReady(node(nodeId))) {
            if (System.nanoTime() > deadline) {
                throw new AdapterException("node " + nodeId + " was not Ready within 60 s after '" + nodeControl + " start " + nodeId + "'");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AdapterException("interrupted");
            }
        }
        LOG.info("node {} restored and Ready", nodeId);
    }

    /** Restores every node this adapter stopped (on close). */
    void restoreAll() {
        stopped.restoreAll(this::restoreNode);
    }

    /**
     * Any Ready node but the control plane's: real or simulated alike (the local testbed's node
     * control stops either kind; its control plane runs outside the nodes). Which kind a scenario
     * stops follows from where its tasks run.
     */
    @Override
    public boolean canStop(NodeInfo node) {
        return node.ready() && !node.labels().containsKey("node-role.kubernetes.io/control-plane");
    }

    @Override
    public Map<String, String> failureDetectionSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        NodeMonitorFlags effective = flags.gracePeriod().isPresent() ? flags : controllerManagerFlags();
        settings.put("node-monitor-grace-period (kube-controller-manager)", effective.gracePeriod()
                .orElse("not visible through the API (Kubernetes' default: 50s; set testbed.kubernetes.nodeMonitorGracePeriod to record the site's)"));
        settings.put("node-monitor-period (kube-controller-manager)", effective.period()
                .orElse("not visible through the API (Kubernetes' default: 5s)"));
        settings.put("pods' toleration of an unreachable node (tolerationSeconds)", evictionSeconds != null
                ? evictionSeconds + "s (testbed.kubernetes.evictionSeconds)"
                : admittedToleration().map(s -> s + "s (the cluster's default, as admitted on this run's pods)")
                .orElse("the cluster's default (DefaultTolerationSeconds admission: 300s unless the site changed it)"));
        settings.put("node fault", "the node's agent killed by '" + nodeControl + " stop NODE'");
        return settings;
    }

    /** What the DefaultTolerationSeconds admission plugin put on this run's pods. */
    private Optional<Long> admittedToleration() {
        List<Pod> pods = caller.call("listing pods of this run", () -> client.pods().inNamespace(namespace)
                .withLabel(Labels.RUN_ID).list().getItems());
        return pods.stream().flatMap(p -> p.getSpec().getTolerations() == null ? java.util.stream.Stream.<Toleration>empty()
                        : p.getSpec().getTolerations().stream())
                .filter(t -> UNREACHABLE.equals(t.getKey()) && t.getTolerationSeconds() != null)
                .map(Toleration::getTolerationSeconds).findFirst();
    }

    /** On clusters whose controller manager runs as a static pod (kubeadm and the like), its flags. */
    private NodeMonitorFlags controllerManagerFlags() {
        try {
            List<Pod> pods = client.pods().inNamespace("kube-system").withLabel("component", "kube-controller-manager").list().getItems();
            List<String> args = new ArrayList<>();
            for (Pod p : pods) {
                for (Container c : p.getSpec().getContainers()) {
                    if (c.getCommand() != null) args.addAll(c.getCommand());
                    if (c.getArgs() != null) args.addAll(c.getArgs());
                }
            }
            return new NodeMonitorFlags(flag(args, "--node-monitor-period").or(flags::period),
                    flag(args, "--node-monitor-grace-period").or(flags::gracePeriod));
        } catch (RuntimeException e) {
            return flags;  // not allowed to read kube-system: say we do not know
        }
    }

    static Optional<String> flag(List<String> args, String name) {
        return args.stream().filter(a -> a.startsWith(name + "=")).map(a -> a.substring(name.length() + 1)).findFirst();
    }
}
