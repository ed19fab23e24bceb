package org.computeops.orchestrators.spi;

import java.util.List;

/** A job of {@code completions} tasks that each run to completion, at most {@code parallelism} at once. */
public record BatchJob(String name, String image, List<String> command, int completions, int parallelism,
                       Resources resources, Placement placement) implements Workload {

    public BatchJob {
        Workload.checkCommon(name, image, command, resources, placement);
        Workload.check(completions > 0, "job '" + name + "': completions must be > 0, was " + completions);
        Workload.check(parallelism > 0, "job '" + name + "': parallelism must be > 0, was " + parallelism);
        command = List.copyOf(command);
    }

    @Override
    public int taskCount() {
        return completions;
    }
}
