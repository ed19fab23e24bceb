package org.computeops.results.measurements;

import org.computeops.results.files.RunFolder;
import org.computeops.results.model.TaskRecord;

import java.util.List;
import java.util.function.Predicate;

/** What a measurement is computed from: one scenario's task rows on one orchestrator, and the run's folder. */
public record Evidence(List<TaskRecord> tasks, RunFolder run) {

    public Evidence {
        tasks = List.copyOf(tasks);
    }

    public List<TaskRecord> tasks(Predicate<TaskRecord> which) {
        return tasks.stream().filter(which).toList();
    }
}
