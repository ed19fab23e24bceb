package org.computeops.orchestrators.spi;

import java.util.List;

/**
 * A job of {@code completions} tasks that each run to completion, at most {@code parallelism} at
 * once, in a priority class ({@link Priority#NORMAL}: none).
 */
public record BatchJob(String name, String image, List<String> command, int completions, int parallelism,
                       Resources resources, Placement placement, Priority priority) implements Workload {

    public BatchJob(String name, String image, List<String> command, int completions, int parallelism,
                    Resources resources, Placement placement) {
        this(name, image, command, completions, parallelism, resources, placement, Priority.NORMAL);
    }

    public BatchJob {
        Workload.checkCommon(name, image, command, resources, placement);
        Workload.check(priority != null, "job '" + name + "': priority must not be null (Priority.NORMAL: no class)");
        Workload.check(completions > 0, "job '" + name + "': completions must be > 0, was " + completions);
        Workload.check(parallelism > 0, "job '" + name + "': parallelism must be > 0, was " + parallelism);
        command = List.copyOf(command);
    }

    @Override
    public int taskCount() {
        return completions;
    }

    /** The same job in another priority class. */
    public BatchJob withPriority(Priority p) {
        return new BatchJob(name, image, command, completions, parallelism, resources, placement, p);
    }
}
