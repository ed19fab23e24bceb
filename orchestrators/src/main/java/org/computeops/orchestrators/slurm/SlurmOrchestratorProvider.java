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
}
