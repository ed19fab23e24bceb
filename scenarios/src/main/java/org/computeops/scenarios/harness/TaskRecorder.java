package org.computeops.scenarios.harness;

import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.TaskEvent;
import org.computeops.orchestrators.spi.TaskEventListener;
import org.computeops.results.PhaseTimes;
import org.computeops.results.TaskRecord;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Collects the task events of one deployment into task records; first reading of each phase wins. */
final class TaskRecorder implements TaskEventListener {

    private final String orchestrator;
    private final String scenario;
    private final Deployment deployment;
    private final Function<String, NodeInfo> nodes;
    private final Map<String, Builder> tasks = new LinkedHashMap<>();

    TaskRecorder(String orchestrator, String scenario, Deployment deployment, Function<String, NodeInfo> nodes) {
        this.orchestrator = orchestrator;
        this.scenario = scenario;
        this.deployment = deployment;
        this.nodes = nodes;
    }

    @Override
    public synchronized void onEvent(TaskEvent event) {
        Builder b = tasks.computeIfAbsent(event.taskId(), id -> new Builder());
        if (event.node() != null) b.node = event.node();
        b.phases.putIfAbsent(event.phase(), new PhaseTimes(event.serverTime(), event.observedAt()));
        if (event.detail() != null) b.detail = event.detail();
    }

    synchronized long count(Phase phase) {
        return tasks.values().stream().filter(b -> b.phases.containsKey(phase)).count();
    }

    synchronized String lastDetail(Phase phase) {
        return tasks.values().stream().filter(b -> b.phases.containsKey(phase)).map(b -> b.detail)
                .reduce((a, b) -> b).orElse(null);
    }

    synchronized List<TaskRecord> records() {
        List<TaskRecord> records = new ArrayList<>();
        tasks.forEach((id, b) -> {
            NodeInfo node = b.node == null ? null : nodes.apply(b.node);
            records.add(new TaskRecord(orchestrator, scenario, deployment.id(), deployment.workload().name(), id,
                    node == null ? b.node : node.name(), node != null && node.simulated(),
                    deployment.workload().resources().gpus(), deployment.submitStartedAt(), deployment.submittedAt(),
                    b.phases, b.detail));
        });
        return records;
    }

    private static final class Builder {
        String node;
        String detail;
        final Map<Phase, PhaseTimes> phases = new EnumMap<>(Phase.class);
    }
}
