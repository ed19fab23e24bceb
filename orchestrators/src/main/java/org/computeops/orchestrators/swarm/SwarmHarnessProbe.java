package org.computeops.orchestrators.swarm;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.core.DockerClientConfig;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.HarnessProbe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The harness's headroom on Swarm. Docker has no dry run: the submit probe sends the service
 * create the adapter would send with an empty image, which the manager's control API refuses in its
 * validation (InvalidArgument) after the engine has decoded and forwarded it, so nothing is stored.
 * The observer probe feeds the adapter's task poller task lists as the engine's /tasks returns them,
 * every task changed since the previous list (decoded, then split per service and diffed as
 * {@link SwarmTaskPoller} does); the manager engine's CPU comes from its metrics endpoint.
 */
final class SwarmHarnessProbe implements HarnessProbe {

    /** Tasks per replayed list (one poll). */
    static final int LIST_TASKS = 1000;
    private static final String[] STATES = {"pending", "assigned", "running", "complete"};
    private static final ObjectMapper DOCKER_JSON = DockerClientConfig.getDefaultObjectMapper();

    private final SwarmEngine engine;
    private final SwarmMetrics metrics;
    private final ObjectNode refusedSpec;

    /** {@code spec}: a service spec as the adapter builds it; the probe empties its image. */
    SwarmHarnessProbe(SwarmEngine engine, SwarmMetrics metrics, ObjectNode spec) {
        this.engine = engine;
        this.metrics = metrics;
        this.refusedSpec = spec.deepCopy();
        ((ObjectNode) refusedSpec.path("TaskTemplate").path("ContainerSpec")).put("Image", "");
    }

    @Override
    public String submitCall() {
        return "service create with an empty image (decoded by the engine, refused by the manager's validation: InvalidArgument, nothing stored)";
    }

    @Override
    public String clientLimits() {
        return "client: docker-java over Apache HttpClient 5, at most " + SwarmEngine.MAX_CONNECTIONS + " connections to the manager";
    }

    @Override
    public void submitOnce(int i) {
        ObjectNode spec = refusedSpec.deepCopy();
        spec.put("Name", spec.path("Name").asText() + "-probe-" + i);
        try {
            engine.post("/services/create", spec);
        } catch (AdapterException e) {
            if (e.getMessage() != null && e.getMessage().contains("image reference must be provided")) return;
            throw e;
        }
        throw new AdapterException("the Swarm manager accepted a service with an empty image (" + spec.path("Name").asText()
                + "): the probe cannot run against it; the service is removed with the run's leftovers");
    }

    @Override
    public long replayObserver(int changes) {
        AtomicLong events = new AtomicLong();
        SwarmTaskDiff diff = new SwarmTaskDiff("probe", e -> events.incrementAndGet());
        for (int cycle = 0, sent = 0; sent < changes; cycle++) {
            for (int s = 0; s < STATES.length && sent < changes; s++) {
                int n = Math.min(LIST_TASKS, changes - sent);
                diff.apply(decode(taskList(cycle, n, STATES[s])), Instant.now());
                sent += n;
            }
        }
        return events.get();
    }

    /** A /tasks answer of n tasks in one state, as Docker 20.10 writes it (the fields the poller reads and a few it skips). */
    static byte[] taskList(int cycle, int n, String state) {
        ArrayNode list = DOCKER_JSON.createArrayNode();
        String now = Instant.now().toString();
        for (int i = 0; i < n; i++) {
            ObjectNode t = list.addObject();
            t.put("ID", "probe" + cycle + "x" + i).put("ServiceID", "probe-service").put("NodeID", "node" + (i % 1000))
                    .put("Slot", i + 1).put("CreatedAt", now).put("UpdatedAt", now).put("DesiredState", "running");
            t.putObject("Version").put("Index", 1000 + i);
            t.putObject("Labels");
            t.putObject("Spec").putObject("ContainerSpec").put("Image", "computeops/batch:1.0").putArray("Command").add("true");
            t.putObject("Status").put("Timestamp", now).put("State", state).put("Message", state);
        }
        try {
            return DOCKER_JSON.writeValueAsBytes(list);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Task> decode(byte[] json) {
        try {
            return DOCKER_JSON.readValue(json, new TypeReference<List<Task>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<ServerCpu> serverCpu() {
        if (metrics == null) return Optional.empty();
        return HarnessProbe.processCpuSeconds(metrics.scrape())
                .map(s -> new ServerCpu(s, "the manager engine's metrics endpoint, process_cpu_seconds_total"));
    }
}
