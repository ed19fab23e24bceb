package org.computeops.scenarios.harness;

import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.ClusterInfo;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Orchestrator;
import org.computeops.orchestrators.spi.Orchestrators;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.computeops.results.files.RunFiles;
import org.computeops.results.files.RunFolder;
import org.computeops.results.model.Node;
import org.computeops.results.model.OrchestratorResults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The orchestrator under test for this JVM, opened once: its adapter, the run's folder and the
 * scenario parameters. It first removes what crashed runs left behind; on JVM exit (also Ctrl-C)
 * it writes the running scenario's results and removes everything the run created.
 */
public final class OrchestratorSession implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OrchestratorSession.class);

    private final ScenarioParameters parameters;
    private final Orchestrator orchestrator;
    private final RunFiles files;
    private final Map<String, Node> nodesByIdOrName = new ConcurrentHashMap<>();
    private volatile ClusterInfo cluster;
    private volatile ScenarioExecution current;
    private final Thread shutdownHook = new Thread(this::onJvmExit, "session-shutdown");
    private volatile boolean closed;

    OrchestratorSession(RunContext run) {
        this.parameters = run.parameters();
        String name = parameters.string("testbed.orchestrator", "");
        this.orchestrator = Orchestrators.open(name, new AdapterSettings(run.folder().runId(), parameters.testbedSettings()));
        this.files = new RunFiles(run.folder(), Instant.now());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        int leftovers = orchestrator.removeLeftovers();
        if (leftovers > 0) LOG.info("removed {} object(s) left behind by earlier runs", leftovers);
        refreshCluster();
        LOG.info("run {} on {} {} ({} nodes, {} GPUs); results in {}", runId(), orchestrator.name(), cluster.version(),
                cluster.nodes().size(), cluster.totalGpus(), folder().dir());
        AllureAttachments.writeEnvironment(folder().allureResults(), clusterResults(), runId());
        warmUp();
    }

    /** Tasks of the warm-up job: enough status changes through the watch path to get it compiled. */
    private static final int WARM_UP_TASKS = 6;

    /**
     * One unmeasured job of a few tasks through the same code path before the first scenario,
     * the same on every orchestrator, on the nodes the headline figures use (real ones where
     * the cluster has any): the first calls and the first watch events of each kind cost a JVM
     * class loading and JIT that would otherwise land in the first scenario's figures (on the
     * local Kubernetes testbed a one-task job left the first 20-task burst's pod updates
     * received about a second after the scheduler's stamp, a raw watch saw them within 110 ms).
     */
    private void warmUp() {
        if (!orchestrator.capabilities().contains(Capability.BATCH)) return;
        String image = parameters.string("scenario.batch.image", "computeops/batch:1.0");
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(WARM_UP_TASKS);
        long started = System.nanoTime();
        org.computeops.orchestrators.spi.Placement where = cluster.nodes().stream().anyMatch(n -> !n.simulated())
                ? org.computeops.orchestrators.spi.Placement.REAL_NODES : org.computeops.orchestrators.spi.Placement.ANY;
        try {
            org.computeops.orchestrators.spi.Deployment d = orchestrator.submit(new org.computeops.orchestrators.spi.BatchJob("warm-up",
                    image, List.of("true"), WARM_UP_TASKS, WARM_UP_TASKS, org.computeops.orchestrators.spi.Resources.NONE, where));
            try (AutoCloseable ignored = orchestrator.events(d, e -> {
                if (e.phase().terminal()) done.countDown();
            })) {
                if (!done.await(120, java.util.concurrent.TimeUnit.SECONDS)) LOG.warn("warm-up job did not finish within 120 s");
            } finally {
                orchestrator.remove(d);
            }
            LOG.info("warm-up job done in {} ms (not measured)", (System.nanoTime() - started) / 1_000_000);
        } catch (Exception e) {
            LOG.warn("warm-up job failed (the first scenario pays the first calls): {}", e.toString());
        }
    }

    public Orchestrator orchestrator() {
        return orchestrator;
    }

    public ScenarioParameters parameters() {
        return parameters;
    }

    public String runId() {
        return folder().runId();
    }

    /** This run's folder (results/runs/RUN_ID). */
    public RunFolder folder() {
        return files.folder();
    }

    public ClusterInfo cluster() {
        return cluster;
    }

    void refreshCluster() {
        cluster = orchestrator.describe();
        for (NodeInfo n : cluster.nodes()) {
            Node node = node(n);
            nodesByIdOrName.put(n.id(), node);
            nodesByIdOrName.put(n.name(), node);
        }
    }

    private static Node node(NodeInfo n) {
        return new Node(n.id(), n.name(), n.simulated(), n.ready(), n.cpuMillis(), n.memoryMiB(), n.gpus(), n.labels());
    }

    /**
     * A node by id or name; describes the cluster again once when it is unknown (called while
     * events arrive, never when a scenario finishes, so an API outage then loses nothing).
     */
    Node resolveNode(String idOrName) {
        Node node = nodesByIdOrName.get(idOrName);
        if (node == null) {
            try {
                refreshCluster();
            } catch (RuntimeException e) {
                LOG.warn("could not describe the cluster to resolve node {}: {}", idOrName, e.getMessage());
            }
            node = nodesByIdOrName.get(idOrName);
        }
        return node;
    }

    OrchestratorResults clusterResults() {
        List<Node> nodes = cluster.nodes().stream().map(OrchestratorSession::node).toList();
        return new OrchestratorResults(orchestrator.name(), cluster.version(), cluster.endpoint(), nodes.size(), nodes, List.of());
    }

    RunFiles files() {
        return files;
    }

    /**
     * Executes one scenario. Skips it (with the reason) when a capability is missing; whatever
     * happens, writes its figures and tasks and removes its deployments.
     */
    public void execute(String scenario, Set<Capability> needs, ScenarioBody body) {
        parameters.forgetUsed();
        parameters.string("testbed.runId", runId());
        parameters.string("testbed.orchestrator", orchestrator.name());
        ScenarioExecution execution = new ScenarioExecution(this, scenario);
        current = execution;
        try {
            execution.execute(needs, body);
        } finally {
            current = null;
        }
    }

    private void onJvmExit() {
        ScenarioExecution execution = current;
        if (execution != null) {
            LOG.warn("interrupted: writing what scenario {} measured so far and removing its deployments", execution.scenario());
            execution.finishInterrupted();
        }
        closeQuietly();
    }

    private void closeQuietly() {
        if (closed) return;
        closed = true;
        orchestrator.close();
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // already shutting down: the hook does the work
        }
        closeQuietly();
        LOG.info("results of run {}: {}", runId(), folder().summaryFile());
    }

    @FunctionalInterface
    public interface ScenarioBody {
        void run(ScenarioExecution scenario) throws Exception;
    }
}
