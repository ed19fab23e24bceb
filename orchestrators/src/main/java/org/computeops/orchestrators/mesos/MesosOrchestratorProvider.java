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

    /** The testbed.* keys this adapter reads (the harness refuses any other under its prefix). */
    @Override
    public java.util.List<String> settingKeys() {
        return java.util.List.of("testbed.mesos.master", "testbed.mesos.role", "testbed.mesos.user", "testbed.mesos.frameworkName",
            "testbed.mesos.connectTimeoutMillis", "testbed.mesos.callTimeoutMillis", "testbed.mesos.subscribeTimeoutMillis",
            "testbed.mesos.offerTimeoutMillis", "testbed.mesos.missedHeartbeats", "testbed.mesos.backoffMinMillis",
            "testbed.mesos.backoffMaxMillis", "testbed.mesos.failoverTimeoutSeconds", "testbed.mesos.refuseSeconds",
            "testbed.mesos.idleRefuseSeconds", "testbed.mesos.defaultCpuMillis", "testbed.mesos.defaultMemoryMiB",
            "testbed.mesos.gpuAgentsOnlyForGpuTasks", "testbed.mesos.image");
    }
}
