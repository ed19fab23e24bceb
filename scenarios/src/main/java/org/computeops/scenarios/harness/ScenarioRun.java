package org.computeops.scenarios.harness;

import io.qameta.allure.Allure;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.Deployment;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.Workload;
import org.computeops.results.AllureAssets;
import org.computeops.results.Clock;
import org.computeops.results.ComparisonPage;
import org.computeops.results.Measurements;
import org.computeops.results.Metric;
import org.computeops.results.ScenarioResult;
import org.computeops.results.SvgCharts;
import org.computeops.results.TaskRecord;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.Locale;

/**
 * One scenario on one orchestrator: submits workloads, records their task events, and at the end
 * (also on failure or interruption) computes the registered figures, applies the error budget,
 * writes summary.json, tasks.csv and the Allure attachments, and removes its deployments.
 */
public final class ScenarioRun {

    private static final Logger LOG = LoggerFactory.getLogger(ScenarioRun.class);

    private final Testbed testbed;
    private final String scenario;
    private final Instant startedAt = Instant.now();
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final List<Deployment> deployments = new ArrayList<>();
    private final Map<String, TaskRecorder> recorders = new LinkedHashMap<>();
    private final List<AutoCloseable> subscriptions = new ArrayList<>();
    private final List<Function<List<TaskRecord>, List<Metric>>> figures = new ArrayList<>();
    private final List<Function<List<TaskRecord>, Map<String, String>>> charts = new ArrayList<>();
    private final double maxErrorRate;
    private boolean finished;

    ScenarioRun(Testbed testbed, String scenario) {
        this.testbed = testbed;
        this.scenario = scenario;
        this.maxErrorRate = testbed.parameters().fraction("testbed.maxErrorRate", 0.10);
    }

    public String scenario() {
        return scenario;
    }

    public Testbed testbed() {
        return testbed;
    }

    public ScenarioParameters parameters() {
        return testbed.parameters();
    }

    void execute(Set<Capability> needs, Testbed.ScenarioBody body) {
        String orchestrator = testbed.orchestrator().name();
        Allure.label("parentSuite", orchestrator);
        Allure.parameter("orchestrator", orchestrator);
        Set<Capability> missing = EnumSet.noneOf(Capability.class);
        missing.addAll(needs);
        missing.removeAll(testbed.orchestrator().capabilities());
        if (!missing.isEmpty()) {
            List<String> why = new ArrayList<>();
            for (Capability c : missing) why.add(c + testbed.orchestrator().whyLacking(c).map(w -> ": " + w).orElse(""));
            String reason = orchestrator + " on this testbed lacks what " + scenario + " needs: " + String.join("; ", why);
            finish("skipped", reason);
            Assumptions.abort(reason);
        }
        LOG.info("scenario {} on {}: starting", scenario, orchestrator);
        try {
            body.run(this);
            finish(null, null);
        } catch (TestAbortedException e) {
            finish("skipped", e.getMessage());
            throw e;
        } catch (AssertionError e) {
            finish("failed", e.getMessage());
            throw e;
        } catch (Exception | Error e) {
            finish("broken", e.getMessage() == null ? e.toString() : e.getMessage());
            if (e instanceof RuntimeException re) throw re;
            if (e instanceof Error err) throw err;
            throw new IllegalStateException(e);
        }
    }

    /** Records a parameter in the report (scenario parameters read through {@link #parameters()} are added too). */
    public void parameter(String name, Object value) {
        parameters.put(name, String.valueOf(value));
    }

    /** Figures computed from this scenario's task records when it ends, also when it ends early. */
    public void figures(Function<List<TaskRecord>, List<Metric>> computation) {
        figures.add(computation);
    }

    /** A chart (name to SVG) drawn from the task records when the scenario ends. */
    public void charts(Function<List<TaskRecord>, Map<String, String>> drawing) {
        charts.add(drawing);
    }

    /**
     * The latency figures of DESIGN.md from submit to each phase, on the server clock (the
     * headline figure) and the client clock, with a histogram of the server-clock values.
     */
    public void latencies(Phase... phases) {
        latencies("", t -> true, phases);
    }

    /** As {@link #latencies(Phase...)}, over the tasks {@code which} selects, with {@code prefix} before each figure's name. */
    public void latencies(String prefix, Predicate<TaskRecord> which, Phase... phases) {
        for (Phase phase : phases) {
            String name = prefix + "submit_to_" + phase.name().toLowerCase() + "_ms";
            figures(all -> {
                List<TaskRecord> tasks = all.stream().filter(which).toList();
                return List.of(Measurements.latency(name, tasks, phase, Clock.SERVER), Measurements.latency(name, tasks, phase, Clock.CLIENT));
            });
            charts(all -> {
                List<Double> values = all.stream().filter(which).map(t -> Measurements.latencyMs(t, phase, Clock.SERVER))
                        .filter(java.util.Objects::nonNull).toList();
                return values.isEmpty() ? Map.of() : Map.of(name, SvgCharts.histogram(name, values, "ms", 20));
            });
        }
    }

    /** Validates, submits and starts recording the workload's task events. */
    public Deployment submit(Workload workload) {
        testbed.orchestrator().validate(workload);
        Deployment d = testbed.orchestrator().submit(workload);
        TaskRecorder recorder = new TaskRecorder(testbed.orchestrator().name(), scenario, d, testbed::node);
        synchronized (this) {
            deployments.add(d);
            recorders.put(d.id(), recorder);
        }
        subscriptions.add(testbed.orchestrator().events(d, recorder));
        return d;
    }

    /** Waits until every task of a batch job succeeded; logs progress every 10 s. */
    public void awaitCompletion(Deployment job, Duration timeout) {
        if (!(job.workload() instanceof BatchJob batch)) {
            throw new IllegalArgumentException(job.workload().name() + " is not a batch job");
        }
        TaskRecorder recorder = recorders.get(job.id());
        awaitProgress(job.workload().name(), timeout, () -> recorder.count(Phase.SUCCEEDED) >= batch.completions(),
                () -> String.format("%d/%d succeeded, %d scheduled, %d running, %d failed",
                        recorder.count(Phase.SUCCEEDED), batch.completions(), recorder.count(Phase.SCHEDULED),
                        recorder.count(Phase.RUNNING), recorder.count(Phase.FAILED))
                        + (recorder.count(Phase.FAILED) > 0 ? " (last failure: " + recorder.lastDetail(Phase.FAILED) + ")" : ""));
    }

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

    public synchronized List<TaskRecord> tasks() {
        List<TaskRecord> all = new ArrayList<>();
        recorders.values().forEach(r -> all.addAll(r.records()));
        return all;
    }

    void finishInterrupted() {
        finish("broken", "interrupted before the end (JVM shut down); figures cover what was measured until then");
    }

    private synchronized void finish(String forcedStatus, String forcedReason) {
        if (finished) return;
        finished = true;
        for (AutoCloseable s : subscriptions) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.warn("closing an event subscription failed: {}", e.getMessage());
            }
        }
        List<TaskRecord> tasks = tasks();
        for (Deployment d : deployments) {
            try {
                testbed.orchestrator().remove(d);
            } catch (RuntimeException e) {
                LOG.warn("removing {} failed: {}", d.workload().name(), e.getMessage());
            }
        }
        List<Metric> metrics = new ArrayList<>();
        for (var f : figures) metrics.addAll(f.apply(tasks));
        long simulated = tasks.stream().filter(TaskRecord::nodeSimulated).count();
        if (simulated > 0) {
            // A comparison must show when figures come from nodes that start no container.
            metrics.add(Metric.value(ComparisonPage.SIMULATED_TASKS, "tasks", tasks.size(), simulated, "-",
                    "tasks bound to simulated nodes (no container started): their start-up and run times show the control plane only"));
        }

        String status = forcedStatus == null ? "passed" : forcedStatus;
        String reason = forcedReason;
        List<String> overBudget = new ArrayList<>();
        for (Metric m : metrics) {
            if ("ms".equals(m.unit()) && Measurements.errorRate(m) > maxErrorRate) {
                overBudget.add(String.format("%s: %d of %d tasks without a usable reading", m.name(), m.errors(), m.n() + m.errors()));
            }
        }
        if (!overBudget.isEmpty() && "passed".equals(status)) {
            status = "failed";
            reason = "error budget exceeded (more than " + Math.round(maxErrorRate * 100) + " % of tasks): " + String.join("; ", overBudget);
        }
        Map<String, String> params = new LinkedHashMap<>(testbed.parameters().used());
        params.putAll(parameters);
        ScenarioResult result = new ScenarioResult(scenario, status, reason, startedAt, Instant.now(), params, metrics);
        testbed.writer().record(testbed.clusterResults(), result, tasks);
        try {
            AllureAssets.attachMetrics(testbed.orchestrator().name(), result);
            for (var chart : charts) {
                chart.apply(tasks).forEach((name, svg) -> AllureAssets.attachSvg(testbed.orchestrator().name() + " " + name, svg));
            }
        } catch (RuntimeException e) {
            LOG.debug("no Allure lifecycle to attach to: {}", e.getMessage());
        }
        LOG.info("scenario {} on {}: {}{}", scenario, testbed.orchestrator().name(), status, reason == null ? "" : " - " + reason);
        for (Metric m : metrics) LOG.info("  {}", describe(m));
        if ("failed".equals(status) && forcedStatus == null) throw new AssertionError(reason);
    }

    static String describe(Metric m) {
        if (m.value() != null) return String.format("%-32s %10s %s (n=%d, errors=%d, %s clock)", m.name(), fmt(m.value()), m.unit(), m.n(), m.errors(), m.clock());
        return String.format("%-32s n=%d p50=%s p90=%s p99=%s max=%s %s (errors=%d, %s clock)", m.name(), m.n(),
                fmt(m.p50()), fmt(m.p90()), fmt(m.p99()), fmt(m.max()), m.unit(), m.errors(), m.clock());
    }

    private static String fmt(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }
}
