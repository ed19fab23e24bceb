package org.computeops.submit;

import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.ClusterInfo;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Faults;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Orchestrator;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.TaskEvent;
import org.computeops.orchestrators.spi.TaskEventListener;
import org.computeops.orchestrators.spi.Workload;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An orchestrator that plays a script of phases for each task once events() is called, and records what it was asked. */
final class FakeOrchestrator implements Orchestrator {

    final AdapterSettings settings;
    /** Per task, the phases it goes through, in order; null: the task never shows up. */
    final List<List<Phase>> script;
    String refuse;
    Workload submitted;
    volatile boolean eventsClosed;
    volatile boolean closed;

    FakeOrchestrator(AdapterSettings settings, List<List<Phase>> script) {
        this.settings = settings;
        this.script = script;
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public String runId() {
        return settings.runId();
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.BATCH);
    }

    @Override
    public ClusterInfo describe() {
        return new ClusterInfo("fake", "Fake 1.0", "fake://cluster", List.of(
                new NodeInfo("n1", "node-1", false, true, 4000, 8192, 0, Map.of()),
                new NodeInfo("n2", "node-2", false, true, 4000, 8192, 2, Map.of())));
    }

    @Override
    public void validate(Workload workload) {
        if (refuse != null) throw new AdapterException(refuse);
    }

    @Override
    public Deployment submit(Workload workload) {
        submitted = workload;
        Instant now = Instant.now();
        return new Deployment("fake-1", runId(), workload, now, now);
    }

    @Override
    public AutoCloseable events(Deployment deployment, TaskEventListener listener) {
        Thread t = new Thread(() -> {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < script.size(); i++) ids.add("task-" + i);
            int longest = script.stream().mapToInt(List::size).max().orElse(0);
            for (int step = 0; step < longest && !eventsClosed; step++) {
                for (int i = 0; i < script.size(); i++) {
                    if (step >= script.get(i).size()) continue;
                    Phase p = script.get(i).get(step);
                    String node = p == Phase.CREATED ? null : "node-" + (i % 2 + 1);
                    listener.onEvent(new TaskEvent(deployment.id(), ids.get(i), node, p, Instant.now(), null,
                            p == Phase.FAILED ? "exit code 3" : null));
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return () -> eventsClosed = true;
    }

    @Override
    public void scale(Deployment deployment, int replicas) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void remove(Deployment deployment) {
    }

    @Override
    public int removeLeftovers() {
        throw new AssertionError("submit must not remove other runs' objects");
    }

    @Override
    public Faults faults() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
        closed = true;
    }
}
