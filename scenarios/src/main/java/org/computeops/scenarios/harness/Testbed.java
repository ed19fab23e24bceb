package org.computeops.scenarios.harness;

import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.ClusterInfo;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Orchestrator;
import org.computeops.orchestrators.spi.Orchestrators;
import org.computeops.orchestrators.spi.TestbedSettings;
import org.computeops.results.AllureAssets;
import org.computeops.results.OrchestratorResults;
import org.computeops.results.RunWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The orchestrator under test for this JVM, its results folder and the scenario parameters.
 * Opened once, it first removes what crashed runs left behind; on JVM exit (also Ctrl-C) it
 * writes the running scenario's results and removes everything the run created.
 */
public final class Testbed implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Testbed.class);

    private final ScenarioParameters parameters;
    private final Orchestrator orchestrator;
    private final RunWriter writer;
    private final Path allureResults;
    private final String runId;
    private final Map<String, NodeInfo> nodesByIdOrName = new ConcurrentHashMap<>();
    private volatile ClusterInfo cluster;
    private volatile ScenarioRun current;
    private final Thread shutdownHook = new Thread(this::onJvmExit, "testbed-shutdown");
    private volatile boolean closed;

    Testbed(ScenarioParameters parameters) {
        this.parameters = parameters;
        this.runId = parameters.string("testbed.runId", "run-" + System.currentTimeMillis());
        Path runsDir = Path.of(parameters.string("testbed.resultsDir", "results/runs"));
        this.allureResults = Path.of(System.getProperty("allure.results.directory",
                runsDir.resolve(runId).resolve("allure-results").toString()));
        String name = parameters.string("testbed.orchestrator", "");
        this.orchestrator = Orchestrators.open(name, new TestbedSettings(runId, parameters.testbedSettings()));
        this.writer = new RunWriter(runsDir, runId, Instant.now());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        int leftovers = orchestrator.removeLeftovers();
        if (leftovers > 0) LOG.info("removed {} object(s) left behind by earlier runs", leftovers);
        refreshCluster();
        LOG.info("run {} on {} {} ({} nodes, {} GPUs); results in {}", runId, orchestrator.name(), cluster.version(),
                cluster.nodes().size(), cluster.totalGpus(), writer.dir().toAbsolutePath());
        AllureAssets.writeEnvironment(allureResults, clusterResults(), runId);
    }

    public Orchestrator orchestrator() {
        return orchestrator;
    }

    public ScenarioParameters parameters() {
        return parameters;
    }

    public String runId() {
        return runId;
    }

    /** This run's results folder (results/runs/RUN_ID). */
    public Path resultsDir() {
        return writer.dir();
    }

    public ClusterInfo cluster() {
        return cluster;
    }

    void refreshCluster() {
        cluster = orchestrator.describe();
        for (NodeInfo n : cluster.nodes()) {
            nodesByIdOrName.put(n.id(), n);
            nodesByIdOrName.put(n.name(), n);
        }
    }

    NodeInfo node(String idOrName) {
        NodeInfo node = nodesByIdOrName.get(idOrName);
        if (node == null) {
            refreshCluster();
            node = nodesByIdOrName.get(idOrName);
        }
        return node;
    }

    OrchestratorResults clusterResults() {
        return new OrchestratorResults(orchestrator.name(), cluster.version(), cluster.endpoint(),
                cluster.nodes().size(), cluster.nodes(), List.of());
    }

    RunWriter writer() {
        return writer;
    }

    /**
     * Runs one scenario body. Skips (with the reason) when a capability is missing; whatever
     * happens, writes the scenario's figures and tasks and removes its deployments.
     */
    public void run(String scenario, Set<Capability> needs, ScenarioBody body) {
        parameters.forgetUsed();
        parameters.string("testbed.runId", runId);
        parameters.string("testbed.orchestrator", orchestrator.name());
        ScenarioRun run = new ScenarioRun(this, scenario);
        current = run;
        try {
            run.execute(needs, body);
        } finally {
            current = null;
        }
    }

    private void onJvmExit() {
        ScenarioRun run = current;
        if (run != null) {
            LOG.warn("interrupted: writing what scenario {} measured so far and removing its deployments", run.scenario());
            run.finishInterrupted();
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
        LOG.info("results of run {}: {}", runId, writer.summaryFile().toAbsolutePath());
    }

    @FunctionalInterface
    public interface ScenarioBody {
        void run(ScenarioRun run) throws Exception;
    }
}
