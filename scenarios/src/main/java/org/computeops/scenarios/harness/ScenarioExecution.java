package org.computeops.scenarios.harness;

import io.qameta.allure.Allure;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.ObservationGap;
import org.computeops.orchestrators.spi.SchedulerCounters;
import org.computeops.orchestrators.spi.ServiceEntry;
import org.computeops.orchestrators.spi.Workload;
import org.computeops.results.measurements.ClockBound;
import org.computeops.results.measurements.ErrorBudget;
import org.computeops.results.measurements.Evidence;
import org.computeops.results.measurements.Measurement;
import org.computeops.results.measurements.MeasurementKinds;
import org.computeops.results.measurements.ObservationLag;
import org.computeops.results.measurements.SampleFiles;
import org.computeops.results.measurements.SimulatedNodes;
import org.computeops.results.measurements.SubmitCall;
import org.computeops.results.model.Figure;
import org.computeops.results.model.Phase;
import org.computeops.results.model.ScenarioResult;
import org.computeops.results.model.TaskRecord;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One scenario executed on one orchestrator: submits workloads, records their task events, and
 * when it ends (also on failure or interruption) finishes in a fixed sequence: stop observing,
 * remove the deployments, compute the declared measurements, decide the verdict, write
 * summary.json and tasks.csv, attach to Allure, log.
 */
public final class ScenarioExecution {

    private static final Logger LOG = LoggerFactory.getLogger(ScenarioExecution.class);

    private final OrchestratorSession session;
    private final String scenario;
    private final Instant startedAt = Instant.now();
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private volatile boolean onePlacementPerTask;
    private final List<Deployment> deployments = new ArrayList<>();
    private final Map<String, TaskRecorder> recorders = new LinkedHashMap<>();
    private final Map<String, AutoCloseable> subscriptions = new LinkedHashMap<>();
    private final List<Measurement> measurements = new ArrayList<>();
    private final ErrorBudget budget;
    private final int repetition;
    private boolean finished;
    private volatile HealthWatch health;
    /** The nodes as the session last described them when the scenario started (the baseline of {@link NodesDown}). */
    private volatile List<org.computeops.orchestrators.spi.NodeInfo> nodesAtStart = List.of();
    private final Set<String> stoppedOnPurpose = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ScenarioExecution(OrchestratorSession session, String scenario) {
        this.session = session;
        this.scenario = scenario;
        this.budget = new ErrorBudget(session.parameters().fraction("testbed.maxErrorRate", 0.10));
        this.repetition = session.parameters().positiveInt("testbed.repetition", 1);
        // every scenario says how many tasks ran on simulated nodes, how late this client saw
        // changes and how long its submit calls took
        measure(new SimulatedNodes());
        measure(new ObservationLag());
        measure(new SubmitCall());
        // a condition of every figure on the real nodes: the page's testbed table shows it
        String nodeCpuShares = session.parameters().testbedSettings().get("testbed.nodeCpuShares");
        if (nodeCpuShares != null) parameter("testbed.nodeCpuShares", nodeCpuShares);
    }

    public String scenario() {
        return scenario;
    }

    public OrchestratorSession session() {
        return session;
    }

    public ScenarioParameters parameters() {
        return session.parameters();
    }

    void execute(Set<Capability> needs, OrchestratorSession.ScenarioBody body) {
        String orchestrator = session.orchestrator().name();
        Allure.label("parentSuite", orchestrator);
        Allure.parameter("orchestrator", orchestrator);
        Set<Capability> missing = EnumSet.noneOf(Capability.class);
        missing.addAll(needs);
        missing.removeAll(session.orchestrator().capabilities());
        if (!missing.isEmpty()) {
            List<String> why = new ArrayList<>();
            for (Capability c : missing) why.add(c + session.orchestrator().whyLacking(c).map(w -> ": " + w).orElse(""));
            String reason = orchestrator + " on this testbed lacks what " + scenario + " needs: " + String.join("; ", why);
            finish("skipped", reason);
            Assumptions.abort(reason);
        }
        LOG.info("scenario {} on {} (repetition {}): starting", scenario, orchestrator, repetition);
        try {
            nodesAtStart = session.cluster() == null ? List.of() : session.cluster().nodes();
            health = HealthWatch.of(orchestrator, session.orchestrator()::checkHealth, session.parameters());
            Optional<SchedulerCounters> before = schedulerCounters();
            body.run(this);
            crossCheck(before, schedulerCounters());
            finish(null, null);
        } catch (TestAbortedException e) {
            finish("skipped", e.getMessage());
            throw e;
        } catch (AssertionError e) {
            HealthWatch.TestbedOutage outage = outageNow();
            if (outage != null) {
                // the orchestrator was down when the check failed: the testbed broke, not the product
                finish("broken", outage.getMessage() + " (the scenario's own check failed meanwhile: " + e.getMessage() + ")");
                throw outage;
            }
            String lost = nodesLostNow();
            if (lost != null) {
                // a node the testbed lost (not this scenario) kept the wait from ending: the testbed broke
                String message = NodesDown.message(orchestrator, lost, startedAt, e.getMessage());
                finish("broken", message);
                throw new NodesDown.NodeLost(message, e);
            }
            finish("failed", e.getMessage());
            throw e;
        } catch (Exception | Error e) {
            HealthWatch.TestbedOutage outage = outageIn(e);
            // an outage is named as such even when it surfaced as something else (a timeout, a failed call)
            String reason = outage != null ? outage.getMessage() : e.getMessage() == null ? e.toString() : e.getMessage();
            finish("broken", reason);
            if (e instanceof RuntimeException re) throw re;
            if (e instanceof Error err) throw err;
            throw new IllegalStateException(e);
        }
    }

    /** The scheduler's own counters now, where the orchestrator exposes them; empty (and logged) when a read fails. */
    private Optional<SchedulerCounters> schedulerCounters() {
        try {
            return session.orchestrator().schedulerCounters();
        } catch (RuntimeException e) {
            LOG.warn("could not read the scheduler's counters: {}", e.getMessage());
            parameter("scheduler's count", "unreadable: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Declares that every task of this scenario is placed exactly once (a burst; no node lost, no
     * preemption, no service rescheduling): the scheduler's own count must then match ours.
     */
    public void expectOnePlacementPerTask() {
        onePlacementPerTask = true;
    }

    /**
     * The scheduler's own count over the scenario beside ours (tasks that reached SCHEDULED), as a
     * parameter; where the scenario places each task once ({@link #expectOnePlacementPerTask()}),
     * more than 10 % (and more than 2 tasks) apart fails it naming both. Elsewhere (a node lost,
     * services replaced) the scheduler also counts placements of tasks we see as one, so the two
     * are only shown.
     */
    private void crossCheck(Optional<SchedulerCounters> before, Optional<SchedulerCounters> after) {
        if (before.isEmpty() || after.isEmpty()) {
            parameters.putIfAbsent("scheduler's count", "none: " + session.orchestrator().whyNoSchedulerCounters());
            return;
        }
        long ours = tasks().stream().filter(t -> t.reached(Phase.SCHEDULED)).count();
        parameter("scheduler's count / ours", after.get().scheduledSince(before.get()) + " / " + ours + " (" + after.get().source() + ")");
        SchedulerCounters.Histogram latency = after.get().latencyHistogram();
        long observations = after.get().latencyObservationsSince(before.get());
        if (latency != null && observations > 0) {
            parameter("scheduler's own latency p50 / p99", String.format(java.util.Locale.ROOT, "%.3f / %.3f s over %d tasks (%s: %s)",
                    after.get().latencyQuantileSince(before.get(), 0.5), after.get().latencyQuantileSince(before.get(), 0.99),
                    observations, latency.metric(), latency.times()));
        }
        if (onePlacementPerTask) after.get().disagreement(before.get(), ours).ifPresent(d -> {
            throw new AssertionError(d);
        });
    }

    /** Declares that the scenario stops this node itself (by id or name): its loss is no testbed fault. */
    public void stoppingNode(String nodeIdOrName) {
        stoppedOnPurpose.add(nodeIdOrName);
    }

    /** The nodes lost since the scenario started, in words, or null (also when the node list cannot be read within 15 s). */
    private String nodesLostNow() {
        HealthWatch watch = health;
        if (nodesAtStart.isEmpty() || watch == null) return null;
        try {
            List<org.computeops.orchestrators.spi.NodeInfo> now = watch.callWithin(() -> session.orchestrator().describe().nodes(),
                    Duration.ofSeconds(15));
            return NodesDown.lost(nodesAtStart, now, stoppedOnPurpose).orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("could not list the nodes after the scenario's wait ran out: {}", e.toString());
            return null;
        }
    }

    private static HealthWatch.TestbedOutage outageIn(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HealthWatch.TestbedOutage o) return o;
        }
        return null;
    }

    /** The outage in progress if it is over its budget now, else null. */
    private HealthWatch.TestbedOutage outageNow() {
        HealthWatch watch = health;
        if (watch == null) return null;
        try {
            watch.failIfOverBudget();
            return null;
        } catch (HealthWatch.TestbedOutage o) {
            return o;
        }
    }

    /**
     * Ends the scenario as broken by the testbed when the orchestrator has not answered its health
     * check for longer than testbed.health.budgetSeconds; every wait of the harness calls it, and
     * a scenario's own waits should too.
     */
    public void failIfTestbedDown() {
        HealthWatch watch = health;
        if (watch != null) watch.failIfOverBudget();
    }

    /** Sleeps, checking the orchestrator's health meanwhile (for a scenario's own pauses). */
    public void pause(Duration duration) {
        Instant until = Instant.now().plus(duration);
        while (Instant.now().isBefore(until)) {
            failIfTestbedDown();
            try {
                Thread.sleep(Math.min(100, Math.max(1, Duration.between(Instant.now(), until).toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while pausing", e);
            }
        }
    }

    /**
     * Writes this scenario's sample file {@code samples/ORCHESTRATOR-SCENARIO-rREP-NAME.csv} (for a
     * measurement whose figures do not come from task rows); returns its path relative to the run
     * folder, the input that measurement records.
     */
    public String samples(String name, List<String> header, List<List<Object>> rows) {
        return SampleFiles.write(session.folder(), SampleFiles.SCENARIO_DIR,
                session.orchestrator().name() + "-" + scenario + "-r" + repetition + "-" + name + ".csv", header, rows);
    }

    /** Records a parameter in the report (scenario parameters read through {@link #parameters()} are added too). */
    public void parameter(String name, Object value) {
        parameters.put(name, String.valueOf(value));
    }

    /**
     * Names the variant this execution is (e.g. {@code detection=tuned}): a parameter in the
     * report, and part of the Allure test case's name and identity, so that two variants of one
     * scenario are two test cases there, never retries of one another.
     */
    public void variant(String name, String value) {
        parameter(name, value);
        Allure.parameter(name, value);
        String orchestrator = session.orchestrator().name();
        Allure.getLifecycle().updateTestCase(r -> {
            r.setName(r.getName() + " (" + name + "=" + value + ")");
            r.setFullName(r.getFullName() + "[" + name + "=" + value + "]");
            r.setHistoryId(RunAllureListener.historyId(r.getFullName(), orchestrator));
            r.setTestCaseId(RunAllureListener.historyId(r.getFullName(), orchestrator));
        });
    }

    /**
     * Declares a measurement: its figures are computed from this scenario's task rows when it
     * ends, also when it ends early, and written with the kind and inputs that rebuild them.
     */
    public void measure(Measurement measurement) {
        Measurement bound = measurement instanceof ClockBound c ? c.onClocks(subSecondServerPhases()) : measurement;
        synchronized (measurements) {
            measurements.add(bound);
        }
    }

    /** The phases the orchestrator stamps finer than a second, in the results' words. */
    private Set<Phase> subSecondServerPhases() {
        Set<Phase> phases = EnumSet.noneOf(Phase.class);
        session.orchestrator().subSecondServerPhases().forEach(p -> phases.add(TaskRecorder.phase(p)));
        return phases;
    }

    /** A figure of a measurement computed now, from the task rows so far (for a scenario's own assertions). */
    public Figure figureNow(Measurement declared, String name) {
        Measurement measurement = declared instanceof ClockBound c ? c.onClocks(subSecondServerPhases()) : declared;
        return MeasurementKinds.compute(measurement, new Evidence(tasks(), session.folder())).stream()
                .filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(measurement.kind() + " makes no figure named " + name));
    }

    /** Validates, submits and starts recording the workload's task events. */
    public Deployment submit(Workload workload) {
        session.orchestrator().validate(workload);
        Deployment d = session.orchestrator().submit(workload);
        TaskRecorder recorder = new TaskRecorder(session.orchestrator().name(), scenario, repetition, d, session::resolveNode);
        synchronized (this) {
            deployments.add(d);
            recorders.put(d.id(), recorder);
        }
        AutoCloseable subscription = session.orchestrator().events(d, recorder);
        synchronized (this) {
            subscriptions.put(d.id(), subscription);
        }
        return d;
    }

    /**
     * Stops observing a deployment and removes it before the scenario ends (its task rows stay):
     * for scenarios that submit many workloads one after another (the sustained-rate steps), so
     * that neither the observers nor the orchestrator's store carry the finished ones along.
     */
    public void retire(Deployment d) {
        AutoCloseable subscription;
        synchronized (this) {
            subscription = subscriptions.remove(d.id());
            if (!deployments.remove(d)) return;
        }
        close(subscription);
        session.orchestrator().remove(d);
    }

    private static void close(AutoCloseable subscription) {
        if (subscription == null) return;
        try {
            subscription.close();
        } catch (Exception e) {
            LOG.warn("closing an event subscription failed: {}", e.getMessage());
        }
    }

    /** Waits until every task of a batch job succeeded; logs progress every 10 s. */
    public void awaitCompletion(Deployment job, Duration timeout) {
        if (!(job.workload() instanceof BatchJob batch)) {
            throw new IllegalArgumentException(job.workload().name() + " is not a batch job");
        }
        TaskRecorder recorder = recorders.get(job.id());
        Supplier<String> progress = () -> String.format("%d/%d succeeded, %d scheduled, %d running, %d failed, %d lost",
                recorder.count(Phase.SUCCEEDED), batch.completions(), recorder.count(Phase.SCHEDULED),
                recorder.count(Phase.RUNNING), recorder.count(Phase.FAILED), recorder.count(Phase.LOST))
                + (recorder.count(Phase.FAILED) > 0 ? " (last failure: " + recorder.lastDetail(Phase.FAILED) + ")" : "");
        // Short of its completions with every task ended and nothing arriving, a batch will not finish:
        // it fails then, not at the timeout (a 10,000-task burst waited 900 s for 20 lost pods).
        // The orchestrator's own word that the batch finished, asked every 10 s: ends it would not
        // have reported otherwise are ends this harness failed to observe.
        OrchestratorSays says = new OrchestratorSays(job);
        awaitProgress(job.workload().name(), timeout, () -> recorder.count(Phase.SUCCEEDED) >= batch.completions()
                || recorder.endedAndQuiet(STALLED, Instant.now()) || says.finishedLongerThan(UNSEEN_ENDS), progress);
        if (recorder.count(Phase.SUCCEEDED) >= batch.completions()) return;
        if (says.finished != null) {
            throw new AssertionError(scenario + ": " + job.workload().name() + ": the orchestrator reports it finished (" + says.finished
                    + ") but this harness saw " + progress.get() + " " + UNSEEN_ENDS.toSeconds() + " s later: "
                    + (batch.completions() - recorder.count(Phase.SUCCEEDED)) + " ends not observed");
        }
        throw new AssertionError(scenario + ": " + job.workload().name() + " stopped short: " + progress.get()
                + "; every task seen has ended and nothing changed for " + STALLED.toSeconds() + " s");
    }

    /** How long after the orchestrator reports a batch finished its last ends may still arrive here. */
    static final Duration UNSEEN_ENDS = Duration.ofSeconds(30);

    /** The orchestrator's own view of a batch, asked at most every 10 s (time-bounded: a slow answer is no answer). */
    private final class OrchestratorSays {
        private final Deployment job;
        private Instant nextAsk = Instant.now().plusSeconds(10);
        private Instant finishedAt;
        private String finished;

        OrchestratorSays(Deployment job) {
            this.job = job;
        }

        boolean finishedLongerThan(Duration grace) {
            Instant now = Instant.now();
            if (finished == null && now.isAfter(nextAsk) && health != null) {
                nextAsk = now.plusSeconds(10);
                try {
                    health.callWithin(() -> session.orchestrator().batchFinished(job), Duration.ofSeconds(5)).ifPresent(f -> {
                        finished = f;
                        finishedAt = Instant.now();
                    });
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    LOG.debug("asking whether {} finished: {}", job.workload().name(), e.toString());
                }
            }
            return finishedAt != null && finishedAt.plus(grace).isBefore(now);
        }
    }

    /** How long a batch whose tasks have all ended may stay short of its completions before it counts as stopped. */
    static final Duration STALLED = Duration.ofSeconds(120);

    /** Tasks of a deployment that run now: RUNNING reached, nothing terminal yet, optionally not on {@code excludedNode}. */
    public List<TaskRecord> running(Deployment deployment, String excludedNode) {
        return recorders.get(deployment.id()).records().stream()
                .filter(t -> t.reached(Phase.RUNNING) && !t.reached(Phase.SUCCEEDED) && !t.reached(Phase.FAILED) && !t.reached(Phase.LOST))
                .filter(t -> excludedNode == null || !excludedNode.equals(t.node()))
                .toList();
    }

    /** Waits until {@code count} tasks of the deployment run, none of them on {@code excludedNode} (may be null). */
    public void awaitRunning(Deployment deployment, int count, String excludedNode, Duration timeout) {
        awaitProgress(deployment.workload().name(), timeout, () -> running(deployment, excludedNode).size() >= count,
                () -> String.format("%d/%d running%s", running(deployment, excludedNode).size(), count,
                        excludedNode == null ? "" : " off " + excludedNode));
    }

    /** Waits for a condition, logging progress every 10 s; false when the timeout passed first. */
    public boolean awaitQuietly(String what, Duration timeout, Supplier<Boolean> done, Supplier<String> progress) {
        try {
            awaitProgress(what, timeout, done, progress);
            return true;
        } catch (AssertionError e) {
            LOG.warn(e.getMessage());
            return false;
        }
    }

    private void awaitProgress(String what, Duration timeout, Supplier<Boolean> done, Supplier<String> progress) {
        Instant deadline = Instant.now().plus(timeout);
        Instant nextLog = Instant.now().plusSeconds(10);
        while (!done.get()) {
            failIfTestbedDown();
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(scenario + ": " + what + " did not finish within " + timeout.toSeconds()
                        + " s (scenario.timeout.s): " + progress.get());
            }
            if (Instant.now().isAfter(nextLog)) {
                LOG.info("{} / {}: {}", scenario, what, progress.get());
                nextLog = Instant.now().plusSeconds(10);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
        LOG.info("{} / {}: {}", scenario, what, progress.get());
    }

    /**
     * The service's entry point once it answers: where the orchestrator publishes per replica,
     * waits until every replica's address is listed, then until each address answers HTTP 200.
     */
    public ServiceEntry awaitAnsweringEntry(Deployment service, int replicas, Duration timeout) {
        AtomicReference<Optional<ServiceEntry>> entry = new AtomicReference<>(Optional.empty());
        awaitQuietly("entry point listed", Duration.ofSeconds(Math.min(60, timeout.toSeconds())), () -> {
            entry.set(session.orchestrator().serviceEntry(service));
            return entry.get().map(e -> e.balancedByOrchestrator() || e.addresses().size() >= replicas).orElse(false);
        }, () -> "entry so far: " + entry.get().map(e -> e.addresses().toString()).orElse("none"));
        ServiceEntry found = entry.get().orElseThrow(() ->
                new AssertionError(session.orchestrator().name() + " gave no entry point for " + service.workload().name()));
        awaitAnswer(found.addresses(), timeout);
        return found;
    }

    /**
     * A new client (so a new connection) per probe: until the entry point is programmed
     * (kube-proxy's rules, a host port) a connection may reach something else that answers
     * (on this CI machine an egress proxy says 404), and a pooled connection would stay there.
     */
    private void awaitAnswer(List<URI> addresses, Duration timeout) {
        Map<URI, String> last = new ConcurrentHashMap<>();
        addresses.forEach(address -> last.put(address, "no answer yet"));
        boolean answered = awaitQuietly("entry point", Duration.ofSeconds(Math.min(120, timeout.toSeconds())), () -> {
            boolean all = true;
            for (URI address : addresses) {
                if (last.get(address).equals("HTTP 200")) continue;
                try {
                    var http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                    var request = java.net.http.HttpRequest.newBuilder(address).timeout(Duration.ofSeconds(2)).build();
                    last.put(address, "HTTP " + http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
                } catch (Exception e) {
                    last.put(address, e.toString());
                }
                all &= last.get(address).equals("HTTP 200");
            }
            return all;
        }, () -> "waiting for every address to answer (last: " + last + ")");
        if (!answered) throw new AssertionError("the service does not answer at every address of its entry point (last: " + last + ")");
    }

    /**
     * Re-reads the service's per-replica addresses every second and hands them on when they
     * change, so that load follows a scale-out; close the result to stop.
     */
    public AutoCloseable followEntry(Deployment service, Consumer<List<URI>> onChange) {
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "entry-follower");
            t.setDaemon(true);
            return t;
        });
        AtomicReference<List<URI>> known = new AtomicReference<>(List.of());
        refresher.scheduleWithFixedDelay(() -> {
            try {
                session.orchestrator().serviceEntry(service).map(ServiceEntry::addresses).ifPresent(addresses -> {
                    if (!addresses.equals(known.getAndSet(addresses))) onChange.accept(addresses);
                });
            } catch (RuntimeException e) {
                // keep the last addresses: one failed read must not stop the load
                LOG.warn("could not re-read the service entry: {}", e.toString());
            }
        }, 1, 1, TimeUnit.SECONDS);
        return refresher::shutdownNow;
    }

    public synchronized List<TaskRecord> tasks() {
        List<TaskRecord> all = new ArrayList<>();
        recorders.values().forEach(r -> all.addAll(r.records()));
        return all;
    }

    void finishInterrupted() {
        finish("broken", "interrupted before the end (JVM shut down); figures cover what was measured until then");
    }

    private synchronized void finish(String bodyStatus, String bodyReason) {
        if (finished) return;
        finished = true;
        stopObserving();
        HealthWatch watch = health;
        if (watch != null) watch.close();
        List<ObservationGap> gaps = observationGaps(watch);
        List<TaskRecord> tasks = tasks();
        removeDeployments();
        Evidence evidence = new Evidence(tasks, session.folder());
        List<Figure> figures = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        List<String> uncomputed = new ArrayList<>();
        for (Measurement m : declared()) {
            try {
                List<Figure> made = MeasurementKinds.compute(m, evidence);
                figures.addAll(made);
                violations.addAll(m.violations(made));
            } catch (RuntimeException e) {
                uncomputed.add(m.kind() + ": " + e.getMessage());
            }
        }
        Verdict verdict = Verdict.of(bodyStatus, bodyReason, figures, budget, violations, uncomputed);
        Map<String, String> params = new LinkedHashMap<>(session.parameters().used());
        params.putAll(parameters);
        if (!gaps.isEmpty()) {
            params.put("observation gaps", String.join("; ", gaps.stream().map(ObservationGap::toString).toList()));
            figures = flagClientClock(figures, gaps);
            List<String> flagged = figures.stream().filter(f -> f.note() != null && f.note().contains(GAP_FLAG)).map(Figure::name).toList();
            if (!flagged.isEmpty()) params.put("client-clock figures overlapping a gap", String.join(", ", flagged));
        }
        ScenarioResult result = new ScenarioResult(scenario, verdict.status(), verdict.reason(), startedAt, Instant.now(), params,
                figures, repetition);
        session.files().record(session.clusterResults(), result, tasks);
        attach(result, evidence);
        log(result);
        if (verdict.byFigures() && bodyStatus == null) throw new AssertionError(verdict.reason());
    }

    /** The note that marks a client-clock figure whose readings may be late by an observation gap. */
    static final String GAP_FLAG = "overlaps an observation gap";

    private List<ObservationGap> observationGaps(HealthWatch watch) {
        List<ObservationGap> gaps = new ArrayList<>();
        Instant now = Instant.now();
        try {
            gaps.addAll(session.orchestrator().observationGaps(startedAt));
        } catch (RuntimeException e) {
            LOG.warn("could not read the adapter's observation gaps: {}", e.toString());
        }
        if (watch != null) gaps.addAll(watch.outages(now));
        gaps.removeIf(g -> !g.overlaps(startedAt, now));
        gaps.sort(java.util.Comparator.comparing(ObservationGap::from));
        return gaps;
    }

    /**
     * Client-clock readings in a gap arrive when observation resumes, late by up to the gap: such
     * figures keep their value (it is what was measured) and say so in their note. The scenario's
     * figures cover its whole span, so any gap inside it overlaps every client-clock figure.
     */
    static List<Figure> flagClientClock(List<Figure> figures, List<ObservationGap> gaps) {
        if (gaps.isEmpty()) return figures;
        String note = GAP_FLAG + " (" + gaps.size() + " gap(s), longest "
                + gaps.stream().mapToLong(g -> g.length(Instant.now()).toMillis()).max().orElse(0) + " ms): client-clock readings may be late";
        List<Figure> flagged = new ArrayList<>();
        for (Figure f : figures) {
            if (readsClientObservation(f.clock())) {
                flagged.add(new Figure(f.name(), f.unit(), f.n(), f.p50(), f.p90(), f.p99(), f.max(), f.value(), f.clock(), f.errors(),
                        f.note() == null || f.note().isBlank() ? note : f.note() + "; " + note, f.measurement(), f.inputs()));
            } else {
                flagged.add(f);
            }
        }
        return flagged;
    }

    /**
     * Whether a figure's readings include one this client observed (an end on the client clock,
     * an observation lag, a call's duration); a client→server latency starts at the submit call and
     * ends on the orchestrator's stamp, neither of which an observation gap delays.
     */
    static boolean readsClientObservation(String clock) {
        return clock != null && clock.contains("client") && !clock.endsWith("server") || clock != null && clock.startsWith("client−");
    }

    private List<Measurement> declared() {
        synchronized (measurements) {
            return List.copyOf(measurements);
        }
    }

    private void stopObserving() {
        List<AutoCloseable> open;
        synchronized (this) {
            open = new ArrayList<>(subscriptions.values());
            subscriptions.clear();
        }
        open.forEach(ScenarioExecution::close);
    }

    private void removeDeployments() {
        List<Deployment> left;
        synchronized (this) {
            left = new ArrayList<>(deployments);
        }
        for (Deployment d : left) {
            try {
                session.orchestrator().remove(d);
            } catch (RuntimeException e) {
                LOG.warn("removing {} failed: {}", d.workload().name(), e.getMessage());
            }
        }
    }

    private void attach(ScenarioResult result, Evidence evidence) {
        String orchestrator = session.orchestrator().name();
        try {
            AllureAttachments.attachFigures(orchestrator, result);
            for (Measurement m : declared()) {
                m.charts(evidence).forEach((name, svg) -> AllureAttachments.attachSvg(orchestrator + " " + name, svg));
            }
        } catch (RuntimeException e) {
            LOG.debug("no Allure lifecycle to attach to: {}", e.getMessage());
        }
    }

    private void log(ScenarioResult result) {
        LOG.info("scenario {} on {}: {}{}", scenario, session.orchestrator().name(), result.status(),
                result.reason() == null ? "" : " - " + result.reason());
        for (Figure f : result.figures()) LOG.info("  {}", describe(f));
    }

    static String describe(Figure m) {
        if (m.value() != null) return String.format("%-32s %10s %s (n=%d, errors=%d, %s clock)", m.name(), fmt(m.value()), m.unit(), m.n(), m.errors(), m.clock());
        return String.format("%-32s n=%d p50=%s p90=%s p99=%s max=%s %s (errors=%d, %s clock)", m.name(), m.n(),
                fmt(m.p50()), fmt(m.p90()), fmt(m.p99()), fmt(m.max()), m.unit(), m.errors(), m.clock());
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
}
