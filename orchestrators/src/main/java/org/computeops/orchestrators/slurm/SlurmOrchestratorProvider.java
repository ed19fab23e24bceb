package org.computeops.orchestrators.slurm;

import org.computeops.orchestrators.spi.Orchestrator;
import org.computeops.orchestrators.spi.OrchestratorProvider;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the Slurm adapter from the {@code testbed.slurm.*} settings ({@link SlurmSettings}). */
public final class SlurmOrchestratorProvider implements OrchestratorProvider {

    private static final Logger LOG = LoggerFactory.getLogger(SlurmOrchestratorProvider.class);

    @Override
    public String name() {
        return "slurm";
    }

    @Override
    public Orchestrator open(AdapterSettings settings) {
        SlurmSettings slurm = SlurmSettings.from(settings);
        LOG.info("slurmrestd at {} (OpenAPI {}, user {})", slurm.url(), slurm.openapi(), slurm.user());
        return new SlurmOrchestrator(settings, slurm);
    }

    /** The testbed.* keys this adapter reads (the harness refuses any other under its prefix). */
    @Override
    public java.util.List<String> settingKeys() {
        return java.util.List.of("testbed.slurm.url", "testbed.slurm.openapi", "testbed.slurm.user", "testbed.slurm.token", "testbed.slurm.tokenFile",
            "testbed.slurm.partition", "testbed.slurm.pollMillis", "testbed.slurm.callTimeoutMillis", "testbed.slurm.batchMode",
            "testbed.slurm.containers", "testbed.slurm.bundleDir", "testbed.slurm.workDir", "testbed.slurm.nodeControl",
            "testbed.slurm.releaseRequeued", "testbed.slurm.slurmConf", "testbed.slurm.timeLimitMinutes",
            "testbed.slurm.defaultMemoryMiB", "testbed.slurm.highPriorityPartition", "testbed.slurm.tuned");
    }
}
