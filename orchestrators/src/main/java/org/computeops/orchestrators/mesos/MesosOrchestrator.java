package org.computeops.orchestrators.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.ClusterInfo;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Faults;
import org.computeops.orchestrators.spi.Labels;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Orchestrator;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Priority;
import org.computeops.orchestrators.spi.Service;
import org.computeops.orchestrators.spi.TaskEvent;
import org.computeops.orchestrators.spi.TaskEventListener;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.Workload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Mesos as a framework of its own: offers are matched against pending tasks here, because Mesos
 * itself never places or reschedules anything. Batch jobs are N tasks relaunched on failure up to
 * {@code testbed.batch.maxRetries}; services are R tasks kept at R after TASK_LOST/UNREACHABLE/GONE.
 */
public final class MesosOrchestrator implements Orchestrator, MesosSchedulerClient.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(MesosOrchestrator.class);

    private final String runId;
    private final MesosSettings settings;
    private final MesosSchedulerClient client;
    private final Faults faults;
    private final ScheduledExecutorService timer;

    private final Map<String, Dep> deployments = new LinkedHashMap<>();
    private final Map<String, TaskRec> tasks = new ConcurrentHashMap<>();
    private final Map<String, String> hostByAgent = new ConcurrentHashMap<>();
    private volatile String fatal;
    private volatile int offersReceived;
    private volatile int rescinds;
    private volatile int failures;

    /** One submitted workload and what the framework still has to do for it. */
    private static final class Dep {
        final String id;
        final Workload workload;
        final OfferMatcher.Demand demand;
        final Deque<Slot> pending = new ArrayDeque<>();
        final Set<String> active = new java.util.LinkedHashSet<>();
        final List<TaskEvent> history = new ArrayList<>();
        final List<TaskEventListener> listeners = new CopyOnWriteArrayList<>();
        int replicas;
        int nextIndex;
        long lastLaunchNanos = System.nanoTime();
        boolean removed;
        String shortfall;
        String lastError;

        Dep(String id, Workload workload, OfferMatcher.Demand demand) {
            this.id = id;
            this.workload = workload;
            this.demand = demand;
        }

        boolean batch() {
            return workload instanceof BatchJob;
        }

        int parallelism() {
            return workload instanceof BatchJob b ? b.parallelism() : Integer.MAX_VALUE;
        }
    }

    private record Slot(int index, int attempt, String taskId, long pendingSinceNanos) {
    }

    private static final class TaskRec {
        final Dep dep;
        final Slot slot;
        final String agentId;
        final String host;
        Phase last = Phase.SCHEDULED;
        boolean killRequested;
        boolean finished;

        TaskRec(Dep dep, Slot slot, String agentId, String host) {
            this.dep = dep;
            this.slot = slot;
            this.agentId = agentId;
            this.host = host;
        }
    }

    MesosOrchestrator(String runId, MesosSettings settings, Faults faults) {
        this.runId = runId;
        this.settings = settings;
        this.faults = faults;
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.RUN_ID, runId);
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        this.client = new MesosSchedulerClient(settings.clientConfig(labels), this);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mesos-watchdog");
            t.setDaemon(true);
            return t;
        });
        client.start();
        timer.scheduleWithFixedDelay(this::tick, 200, 200, TimeUnit.MILLISECONDS);
    }

    @Override
    public String name() {
        return "mesos";
    }

    @Override
    public String runId() {
        return runId;
    }

    /** The framework id the master gave us. */
    public String frameworkId() {
        return client.frameworkId();
    }

    MesosSchedulerClient client() {
        return client;
    }

    @Override
    public Set<Phase> subSecondServerPhases() {
        // the framework's own queueing and ACCEPT, then the agents' status updates (fractional seconds)
        return EnumSet.of(Phase.CREATED, Phase.SCHEDULED, Phase.STARTED, Phase.RUNNING, Phase.SUCCEEDED, Phase.FAILED);
    }

    @Override
    public Set<Capability> capabilities() {
        Set<Capability> caps = EnumSet.of(Capability.BATCH, Capability.SERVICE, Capability.SCALE);
        if (describe().totalGpus() > 0) caps.add(Capability.GPU);
        return caps;
    }

    /** Why Mesos has no priority classes (Capability.PRIORITY_CLASSES). */
    static final String NO_PRIORITY = "Mesos has no priority classes for tasks: it offers resources to frameworks, and the"
            + " order of a framework's waiting tasks is the framework's own (this adapter's scheduler would have to order its queue)";

    @Override
    public Optional<String> whyLacking(Capability capability) {
        return capability == Capability.PRIORITY_CLASSES ? Optional.of(NO_PRIORITY) : Optional.empty();
    }

    @Override
    public ClusterInfo describe() {
        checkAlive();
        String version;
        List<NodeInfo> nodes = new ArrayList<>();
        JsonNode v = client.operator(MesosCalls.JSON.objectNode().put("type", "GET_VERSION"));
        version = "Mesos " + v.path("get_version").path("version_info").path("version").asText("unknown");
        JsonNode agents = client.operator(MesosCalls.JSON.objectNode().put("type", "GET_AGENTS"));
        for (JsonNode a : agents.path("get_agents").path("agents")) {
            JsonNode info = a.path("agent_info");
            String id = MesosCalls.value(info.path("id"));
            String host = info.path("hostname").asText(id);
            if (id != null) hostByAgent.put(id, host);
            JsonNode res = a.has("total_resources") ? a.path("total_resources") : info.path("resources");
            nodes.add(new NodeInfo(id, host, false, a.path("active").asBoolean(true),
                    Math.round(scalar(res, "cpus") * 1000), Math.round(scalar(res, "mem")),
                    (int) Math.floor(scalar(res, "gpus")), attributes(info)));
        }
        return new ClusterInfo(name(), version, client.leader().newBuilder().encodedPath("/").build().toString(), nodes);
    }

    private static double scalar(JsonNode resources, String name) {
        double sum = 0;
        for (JsonNode r : resources) {
            if (name.equals(r.path("name").asText())) sum += r.path("scalar").path("value").asDouble(0);
        }
        return sum;
    }

    private static Map<String, String> attributes(JsonNode agentInfo) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode a : agentInfo.path("attributes")) {
            JsonNode text = a.path("text").path("value");
            JsonNode sc = a.path("scalar").path("value");
            out.put(a.path("name").asText(), text.isMissingNode() ? sc.asText() : text.asText());
        }
        return out;
    }

    @Override
    public void validate(Workload workload) {
        if (workload instanceof BatchJob job && job.priority() != Priority.NORMAL) {
            throw new AdapterException("workload '" + workload.name() + "' asks for priority class " + job.priority() + ": " + NO_PRIORITY);
        }
        checkAlive();
        if (workload.placement() == Placement.SIMULATED_NODES) {
            throw new AdapterException("workload '" + workload.name() + "' asks for simulated nodes; a Mesos cluster has none");
        }
        OfferMatcher.Demand d = demand(workload);
        List<NodeInfo> nodes;
        try {
            nodes = describe().nodes().stream().filter(NodeInfo::ready).toList();
        } catch (AdapterException e) {
            throw new OperatorApiUnavailable(e.getMessage());
        }
        if (nodes.isEmpty()) {
            throw new AdapterException("the Mesos master " + settings.master() + " has no active agent");
        }
        if (nodes.stream().noneMatch(n -> n.gpus() >= d.gpus())) {
            throw new AdapterException("workload '" + workload.name() + "' asks for " + d.gpus() + " GPU(s) per task but the largest agent has "
                    + nodes.stream().mapToInt(NodeInfo::gpus).max().orElse(0)
                    + " (agents advertise GPUs as the scalar resource 'gpus', e.g. --resources=gpus:2)");
        }
        if (nodes.stream().noneMatch(n -> n.cpuMillis() >= d.milliCpus() && n.memoryMiB() * 1000 >= d.milliMem() && n.gpus() >= d.gpus())) {
            throw new AdapterException("no Mesos agent has " + d.describe() + " in total for workload '" + workload.name() + "'");
        }
    }

    private OfferMatcher.Demand demand(Workload w) {
        long cpu = w.resources().cpuMillis() > 0 ? w.resources().cpuMillis() : settings.defaultMilliCpus();
        long mem = w.resources().memoryMiB() > 0 ? w.resources().memoryMiB() : settings.defaultMemMiB();
        return OfferMatcher.Demand.of(cpu, mem, w.resources().gpus());
    }

    @Override
    public Deployment submit(Workload workload) {
        checkAlive();
        try {
            validate(workload);
        } catch (OperatorApiUnavailable e) {
            LOG.warn("cannot check workload {} against the agents: {}", workload.name(), e.getMessage());
        }
        Instant started = Instant.now();
        Dep dep;
        synchronized (this) {
            String id = runId + "." + workload.name();
            for (int n = 2; deployments.containsKey(id); n++) id = runId + "." + workload.name() + "-" + n;
            dep = new Dep(id, workload, demand(workload));
            deployments.put(id, dep);
            addSlots(dep, workload.taskCount());
        }
        revive();
        Instant submitted = Instant.now();
        LOG.info("queued {} task(s) of {} as {} ({})", workload.taskCount(), workload.name(), dep.id, dep.demand.describe());
        return new Deployment(dep.id, runId, workload, started, submitted);
    }

    /** Caller holds the lock. */
    private void addSlots(Dep dep, int count) {
        for (int i = 0; i < count; i++) {
            enqueue(dep, dep.nextIndex++, 0);
            dep.replicas++;
        }
    }

    /** Caller holds the lock. */
    private void enqueue(Dep dep, int index, int attempt) {
        String taskId = dep.id + "." + index + "." + attempt;
        dep.pending.add(new Slot(index, attempt, taskId, System.nanoTime()));
        // The framework is the scheduler: its own queueing is the task's creation (its clock, sub-second).
        emit(dep, taskId, null, Phase.CREATED, Instant.now(), attempt == 0 ? "queued for an offer" : "relaunch attempt " + attempt);
    }

    @Override
    public AutoCloseable events(Deployment deployment, TaskEventListener listener) {
        Dep dep;
        synchronized (this) {
            dep = dep(deployment);
            dep.history.forEach(listener::onEvent);
            dep.listeners.add(listener);
        }
        return () -> dep.listeners.remove(listener);
    }

    @Override
    public void scale(Deployment deployment, int replicas) {
        checkAlive();
        if (!(deployment.workload() instanceof Service)) {
            throw new AdapterException("only services can be scaled; '" + deployment.workload().name() + "' is a batch job");
        }
        if (replicas < 0) throw new AdapterException("replicas must be >= 0, was " + replicas);
        List<TaskRec> toKill = new ArrayList<>();
        boolean grow;
        synchronized (this) {
            Dep dep = dep(deployment);
            if (dep.removed) throw new AdapterException("deployment " + dep.id + " was removed; it cannot be scaled");
            grow = replicas > dep.replicas;
            if (grow) {
                addSlots(dep, replicas - dep.replicas);
            } else {
                // Shrink from the highest index: pending slots first, then running tasks.
                while (dep.replicas > replicas) {
                    int highest = highestIndex(dep);
                    dep.replicas--;
                    Iterator<Slot> it = dep.pending.descendingIterator();
                    boolean dropped = false;
                    while (it.hasNext()) {
                        Slot s = it.next();
                        if (s.index() == highest) {
                            it.remove();
                            emit(dep, s.taskId(), null, Phase.LOST, null, "scaled down before it was scheduled");
                            dropped = true;
                            break;
                        }
                    }
                    if (!dropped) {
                        for (String id : dep.active) {
                            TaskRec t = tasks.get(id);
                            if (t.slot.index() == highest && !t.killRequested) {
                                t.killRequested = true;
                                toKill.add(t);
                                break;
                            }
                        }
                    }
                }
            }
        }
        if (grow) revive();
        kill(toKill);
    }

    private int highestIndex(Dep dep) {
        int max = -1;
        for (Slot s : dep.pending) max = Math.max(max, s.index());
        for (String id : dep.active) {
            TaskRec t = tasks.get(id);
            if (!t.killRequested) max = Math.max(max, t.slot.index());
        }
        return max;
    }

    @Override
    public void remove(Deployment deployment) {
        List<TaskRec> toKill = new ArrayList<>();
        synchronized (this) {
            Dep dep = deployments.get(deployment.id());
            if (dep == null || dep.removed) return;
            dep.removed = true;
            for (Slot s : dep.pending) emit(dep, s.taskId(), null, Phase.LOST, null, "removed before it was scheduled");
            dep.pending.clear();
            for (String id : dep.active) {
                TaskRec t = tasks.get(id);
                t.killRequested = true;
                toKill.add(t);
            }
        }
        if (fatal == null) kill(toKill);
    }

    private void kill(List<TaskRec> list) {
        for (TaskRec t : list) {
            client.call(MesosCalls.kill(client.frameworkId(), t.slot.taskId(), t.agentId));
        }
    }

    /**
     * Tears down frameworks of other runs (same framework name, another run-id label) through the
     * master's {@code /master/teardown} endpoint; RECONCILE only sees this framework's own tasks.
     */
    /** Stretches without a subscription stream (dropped, heartbeats missed, a leader change): see {@link MesosSchedulerClient}. */
    @Override
    public List<org.computeops.orchestrators.spi.ObservationGap> observationGaps(Instant since) {
        return client.observationGaps(since);
    }

    @Override
    public int removeLeftovers() {
        checkAlive();
        JsonNode frameworks = client.operator(MesosCalls.JSON.objectNode().put("type", "GET_FRAMEWORKS"));
        int removed = 0;
        for (JsonNode f : frameworks.path("get_frameworks").path("frameworks")) {
            JsonNode info = f.path("framework_info");
            String id = MesosCalls.value(info.path("id"));
            if (!settings.frameworkName().equals(info.path("name").asText()) || id == null || id.equals(client.frameworkId())) continue;
            String owner = null;
            for (JsonNode l : info.path("labels").path("labels")) {
                if (Labels.RUN_ID.equals(l.path("key").asText())) owner = l.path("value").asText();
            }
            if (owner == null || owner.equals(runId)) continue;
            int code = client.postForm("/master/teardown", "frameworkId", id);
            if (code / 100 == 2) {
                LOG.info("tore down leftover framework {} of run {}", id, owner);
                removed++;
            } else {
                LOG.warn("could not tear down leftover framework {} of run {}: HTTP {}", id, owner, code);
            }
        }
        return removed;
    }

    @Override
    public Faults faults() {
        return faults;
    }

    /** Why the deployment's tasks are still waiting for an offer, if they are. */
    public synchronized Optional<String> pendingReason(Deployment deployment) {
        Dep dep = dep(deployment);
        if (dep.pending.isEmpty()) return Optional.empty();
        return Optional.of(pendingReason(dep));
    }

    private String pendingReason(Dep dep) {
        if (dep.lastError != null) return dep.lastError;
        if (dep.shortfall != null) return "no offer fits " + dep.demand.describe() + " (last offer short of " + dep.shortfall + ")";
        if (offersReceived == 0) return "no offers at all for role '" + settings.role() + "' (testbed.mesos.role): no agent with unreserved or "
                + settings.role() + "-reserved resources, or the role is not allowed to this framework";
        return "waiting for an offer for " + dep.demand.describe();
    }

    @Override
    public void close() {
        try {
            if (fatal == null && client.streamId() != null) client.call(MesosCalls.teardown(client.frameworkId()));
        } catch (RuntimeException e) {
            LOG.warn("TEARDOWN failed: {}", e.getMessage());
        } finally {
            timer.shutdownNow();
            client.close();
        }
    }

    // ---- events from the master ----

    @Override
    public void onSubscribed(String frameworkId, int subscription) {
        if (subscription == 1) return;
        try {
            afterResubscribe(frameworkId);
        } catch (RuntimeException e) {
            LOG.error("reconciliation after resubscribing failed: {}", e.getMessage());
        }
    }

    private void afterResubscribe(String frameworkId) {
        // After a resubscription, ask for the state of every task we know (updates may have been dropped).
        Map<String, String> known = new LinkedHashMap<>();
        tasks.forEach((id, t) -> {
            if (!t.finished) known.put(id, t.agentId);
        });
        if (!known.isEmpty()) client.call(MesosCalls.reconcile(frameworkId, known));
        // Then implicit reconciliation: tasks we do not know (left from before a failover) show up and get killed.
        client.call(MesosCalls.reconcile(frameworkId, Map.of()));
        boolean pending;
        synchronized (this) {
            pending = deployments.values().stream().anyMatch(d -> !d.pending.isEmpty());
        }
        if (pending) client.call(MesosCalls.revive(frameworkId));
    }

    @Override
    public void onEvent(JsonNode event) {
        try {
            handle(event);
        } catch (RuntimeException e) {
            // A refused call (4xx) must not tear down the subscription: log it and carry on.
            LOG.error("handling Mesos {} event failed: {}", event.path("type").asText(), e.getMessage());
        }
    }

    private void handle(JsonNode event) {
        String type = event.path("type").asText();
        switch (type) {
            case "OFFERS" -> offers(event.path("offers").path("offers"));
            case "UPDATE" -> update(event.path("update").path("status"));
            case "RESCIND" -> {
                rescinds++;
                // Offers are answered as soon as they arrive; a launch on a rescinded offer comes back as TASK_DROPPED/LOST.
                LOG.info("offer {} rescinded", MesosCalls.value(event.path("rescind").path("offer_id")));
            }
            case "FAILURE" -> {
                failures++;
                JsonNode f = event.path("failure");
                LOG.warn("Mesos FAILURE: agent {} executor {} status {}", MesosCalls.value(f.path("agent_id")),
                        MesosCalls.value(f.path("executor_id")), f.path("status").asText("-"));
            }
            default -> LOG.debug("ignoring Mesos event {}", type);
        }
    }

    @Override
    public void onDisconnected(String why) {
        LOG.warn("Mesos stream lost ({}); resubscribing", why);
    }

    @Override
    public void onFatal(String message) {
        fatal = message;
    }

    private void offers(JsonNode offers) {
        for (JsonNode offer : offers) {
            offersReceived++;
            OfferMatcher m = new OfferMatcher(offer, settings.role());
            hostByAgent.put(m.agentId(), m.hostname());
            List<ObjectNode> launch = new ArrayList<>();
            List<TaskRec> launched = new ArrayList<>();
            boolean anyPending;
            synchronized (this) {
                boolean gpuAgent = m.available(OfferMatcher.GPUS) > 0;
                for (Dep dep : deployments.values()) {
                    if (dep.removed) continue;
                    // GPU_RESOURCES frameworks are asked to keep non-GPU work off GPU agents (mesos.proto); opt-in, as Swarm and Kubernetes do not.
                    if (gpuAgent && dep.demand.gpus() == 0 && settings.gpuAgentsOnlyForGpuTasks()) continue;
                    int running = dep.active.size();
                    while (!dep.pending.isEmpty() && running < dep.parallelism()) {
                        Slot slot = dep.pending.peek();
                        String short_ = m.shortfall(dep.demand);
                        if (short_ != null) {
                            dep.shortfall = short_;
                            break;
                        }
                        List<ObjectNode> slices = m.take(dep.demand);
                        dep.pending.poll();
                        running++;
                        TaskRec t = new TaskRec(dep, slot, m.agentId(), m.hostname());
                        launched.add(t);
                        tasks.put(slot.taskId(), t); // before ACCEPT, so scale/remove meanwhile can see it
                        dep.active.add(slot.taskId());
                        launch.add(MesosCalls.taskInfo(slot.taskId(), slot.taskId(), m.agentId(), slices,
                                dep.workload.image(), dep.workload.command(), taskLabels(dep)));
                    }
                }
                anyPending = deployments.values().stream().anyMatch(d -> !d.removed && !d.pending.isEmpty());
            }
            if (launch.isEmpty()) {
                client.call(MesosCalls.decline(client.frameworkId(), List.of(m.offerId()),
                        anyPending ? settings.refuseSeconds() : settings.idleRefuseSeconds()));
                continue;
            }
            // The ACCEPT call is the scheduling decision: stamped when issued, not after the round trip.
            Instant acceptIssued = Instant.now();
            try {
                client.call(MesosCalls.accept(client.frameworkId(), List.of(m.offerId()), launch, settings.refuseSeconds()));
            } catch (RuntimeException e) {
                LOG.warn("ACCEPT of offer {} failed, tasks go back to the queue: {}", m.offerId(), e.getMessage());
                synchronized (this) {
                    for (int i = launched.size() - 1; i >= 0; i--) {
                        TaskRec t = launched.get(i);
                        tasks.remove(t.slot.taskId());
                        t.dep.active.remove(t.slot.taskId());
                        t.dep.lastError = "ACCEPT refused: " + e.getMessage();
                        if (!t.dep.removed && !t.killRequested) t.dep.pending.addFirst(t.slot);
                    }
                }
                continue;
            }
            synchronized (this) {
                for (TaskRec t : launched) {
                    t.dep.shortfall = null;
                    t.dep.lastError = null;
                    t.dep.lastLaunchNanos = System.nanoTime();
                    emit(t.dep, t.slot.taskId(), t.host, Phase.SCHEDULED, acceptIssued, "offer " + m.offerId() + " accepted (ACCEPT issued at the server time)");
                }
            }
        }
    }

    private Map<String, String> taskLabels(Dep dep) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.RUN_ID, runId);
        labels.put(Labels.WORKLOAD, dep.workload.name());
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        return labels;
    }

    private void update(JsonNode status) {
        String taskId = MesosCalls.value(status.path("task_id"));
        String state = status.path("state").asText();
        String agentId = MesosCalls.value(status.path("agent_id"));
        TaskRec t = taskId == null ? null : tasks.get(taskId);
        Instant serverTime = status.has("timestamp") ? seconds(status.path("timestamp").asDouble()) : null;
        String detail = state + (status.has("reason") ? " " + status.path("reason").asText() : "")
                + (status.has("message") ? ": " + status.path("message").asText() : "");
        boolean relaunch = false;
        boolean killStray = false;
        synchronized (this) {
            if (t == null) {
                // Not ours in this run (e.g. reported by an implicit RECONCILE): never leave it running.
                killStray = isActive(state);
                LOG.info("update for unknown task {}: {}", taskId, detail);
            } else if (t.finished) {
                // Already replaced (for example after TASK_UNREACHABLE): the framework owns partitioned tasks that come back.
                killStray = isActive(state) && !t.killRequested;
                if (killStray) t.killRequested = true;
            } else {
                Phase phase = phase(state, t.killRequested);
                String node = t.host;
                if (phase != null && phase.ordinal() > t.last.ordinal()) {
                    t.last = phase;
                    emit(t.dep, taskId, node, phase, serverTime, detail);
                }
                if (phase != null && phase.terminal()) {
                    t.finished = true;
                    t.dep.active.remove(taskId);
                    relaunch = afterTerminal(t, phase);
                }
            }
        }
        // Acknowledge only after the update is processed; only updates carrying a uuid are retried and acknowledged.
        if (status.hasNonNull("uuid")) {
            String agent = agentId != null ? agentId : t != null ? t.agentId : null;
            if (agent != null) client.call(MesosCalls.acknowledge(client.frameworkId(), agent, taskId, status.path("uuid").asText()));
        }
        if (killStray) {
            LOG.info("killing stray task {} ({})", taskId, state);
            client.call(MesosCalls.kill(client.frameworkId(), taskId, agentId));
        }
        if (relaunch) revive();
    }

    /** Caller holds the lock. Returns true when a replacement was queued. */
    private boolean afterTerminal(TaskRec t, Phase phase) {
        Dep dep = t.dep;
        if (dep.removed || t.killRequested || phase == Phase.SUCCEEDED) return false;
        if (dep.batch() && t.slot.attempt() >= settings.batchMaxRetries()) {
            LOG.warn("task {} of {} failed {} time(s); giving up (testbed.batch.maxRetries={})",
                    t.slot.index(), dep.workload.name(), t.slot.attempt() + 1, settings.batchMaxRetries());
            return false;
        }
        enqueue(dep, t.slot.index(), t.slot.attempt() + 1);
        return true;
    }

    static Phase phase(String state, boolean killRequested) {
        return switch (state) {
            case "TASK_STAGING" -> Phase.SCHEDULED;
            case "TASK_STARTING" -> Phase.STARTED;
            case "TASK_RUNNING" -> Phase.RUNNING;
            case "TASK_FINISHED" -> Phase.SUCCEEDED;
            case "TASK_FAILED", "TASK_ERROR" -> Phase.FAILED;
            case "TASK_KILLED" -> killRequested ? Phase.LOST : Phase.FAILED;
            case "TASK_LOST", "TASK_UNREACHABLE", "TASK_GONE", "TASK_GONE_BY_OPERATOR", "TASK_DROPPED", "TASK_UNKNOWN" -> Phase.LOST;
            default -> null; // TASK_KILLING and anything newer: no phase change
        };
    }

    private static boolean isActive(String state) {
        return state.equals("TASK_RUNNING") || state.equals("TASK_STARTING") || state.equals("TASK_STAGING");
    }

    /** TaskStatus.timestamp: fractional seconds since the epoch, from the clock of whoever made the update. */
    static Instant seconds(double ts) {
        long secs = (long) Math.floor(ts);
        long nanos = Math.round((ts - secs) * 1e9);
        return Instant.ofEpochSecond(secs, nanos);
    }

    private void emit(Dep dep, String taskId, String node, Phase phase, Instant serverTime, String detail) {
        TaskEvent e = new TaskEvent(dep.id, taskId, node, phase, Instant.now(), serverTime, detail);
        dep.history.add(e);
        for (TaskEventListener l : dep.listeners) {
            try {
                l.onEvent(e);
            } catch (RuntimeException ex) {
                LOG.warn("task event listener failed: {}", ex.toString());
            }
        }
    }

    private void revive() {
        if (fatal != null) return;
        try {
            client.call(MesosCalls.revive(client.frameworkId()));
        } catch (RuntimeException e) {
            LOG.warn("REVIVE failed (offers may come later): {}", e.getMessage());
        }
    }

    /** Heartbeat watchdog and offer timeout for pending tasks. */
    private void tick() {
        try {
            client.checkHeartbeat();
            long now = System.nanoTime();
            long limit = settings.offerTimeout().toNanos();
            synchronized (this) {
                for (Dep dep : deployments.values()) {
                    for (Iterator<Slot> it = dep.pending.iterator(); it.hasNext(); ) {
                        Slot s = it.next();
                        // Counted from the later of queueing and the deployment's last launch, so slots held back by parallelism are not timed out.
                        if (now - Math.max(s.pendingSinceNanos(), dep.lastLaunchNanos) < limit) continue;
                        if (dep.batch() && dep.active.size() >= dep.parallelism()) continue;
                        it.remove();
                        String why = "not scheduled within " + settings.offerTimeout().toMillis() + " ms (testbed.mesos.offerTimeoutMillis): " + pendingReason(dep);
                        LOG.warn("task {}: {}", s.taskId(), why);
                        emit(dep, s.taskId(), null, Phase.FAILED, null, why);
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("watchdog: {}", e.toString());
        }
    }

    /** The operator API ({@code /api/v1}) failed, e.g. it needs credentials the scheduler API does not. */
    static final class OperatorApiUnavailable extends AdapterException {
        OperatorApiUnavailable(String message) {
            super(message);
        }
    }

    private Dep dep(Deployment deployment) {
        Dep dep = deployments.get(deployment.id());
        if (dep == null) throw new AdapterException("unknown Mesos deployment " + deployment.id() + " (not submitted through this adapter instance)");
        return dep;
    }

    private void checkAlive() {
        if (fatal != null) throw new AdapterException("the Mesos framework stopped: " + fatal);
    }

    int offersReceived() {
        return offersReceived;
    }

    int rescinds() {
        return rescinds;
    }

    int failures() {
        return failures;
    }
}
