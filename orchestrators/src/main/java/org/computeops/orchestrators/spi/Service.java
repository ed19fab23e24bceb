package org.computeops.orchestrators.spi;

import java.util.List;

/** A long-running service of {@code replicas} tasks, reachable on {@code port} through the orchestrator's entry point. */
public record Service(String name, String image, List<String> command, int replicas, int port,
                      Resources resources, Placement placement) implements Workload {

    public Service {
        Workload.checkCommon(name, image, command, resources, placement);
        Workload.check(replicas >= 0, "service '" + name + "': replicas must be >= 0, was " + replicas);
        Workload.check(port > 0 && port < 65536, "service '" + name + "': port must be 1-65535, was " + port);
        command = List.copyOf(command);
    }

    @Override
    public int taskCount() {
        return replicas;
    }
}
