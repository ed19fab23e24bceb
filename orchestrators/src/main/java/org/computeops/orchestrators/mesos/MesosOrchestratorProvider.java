package org.computeops.orchestrators.mesos;

import org.computeops.orchestrators.spi.Faults;
import org.computeops.orchestrators.spi.Orchestrator;
import org.computeops.orchestrators.spi.OrchestratorProvider;
import org.computeops.orchestrators.spi.AdapterSettings;

/**
 * Opens the Mesos adapter against {@code testbed.mesos.master} (a master URL; a standby master
 * redirects to the leader). Role, user and timeouts: see {@link MesosSettings}.
 */
public final class MesosOrchestratorProvider implements OrchestratorProvider {

    @Override
    public String name() {
        return "mesos";
    }

    @Override
    public Orchestrator open(AdapterSettings settings) {
        return new MesosOrchestrator(settings.runId(), MesosSettings.from(settings),
                Faults.unsupported("node faults on Mesos need access to the agents' hosts; the scheduler API cannot stop an agent"));
    }
}
