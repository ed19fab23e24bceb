package org.computeops.scenarios.harness;

import io.qameta.allure.Allure;
import org.computeops.results.measurements.Evidence;
import org.computeops.results.measurements.Measurement;
import org.computeops.results.measurements.MeasurementKinds;
import org.computeops.results.measurements.SampleFiles;
import org.computeops.results.model.Figure;
import org.computeops.results.model.ScenarioResult;
import org.computeops.runtimes.Runtimes;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One container-runtime scenario, over every runtime that is ready: the body runs each runtime as an Allure step
 * ({@link #perRuntime}), writes its per-sample rows ({@link #samples}) into the run folder and declares the
 * measurements that compute its figures from them; then, as for an orchestrator scenario, the figures are computed,
 * the verdict decided and the result written to summary.json (under {@value RuntimeSession#NAME}) and Allure. A
 * runtime that fails a step is named in the reason and the others still run; the scenario then fails.
 */
public final class RuntimeScenario {

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeScenario.class);

    /** The scenario's body. */
    @FunctionalInterface
    public interface Body {
        void run(RuntimeScenario scenario) throws Exception;
    }

    /** One runtime's part of a scenario. */
    @FunctionalInterface
    public interface Step {
        void run(RuntimeSession.Ready runtime) throws Exception;
    }

    private final RuntimeSession session;
    private final String scenario;
    private final int repetition;
    private final Instant startedAt = Instant.now();
    private final List<Measurement> measurements = new ArrayList<>();
    private final Map<String, String> failures = new LinkedHashMap<>();
    private final Map<String, String> parameters = new LinkedHashMap<>();

    RuntimeScenario(RuntimeSession session, String scenario) {
        this.session = session;
        this.scenario = scenario;
        this.repetition = session.parameters().positiveInt("testbed.repetition", 1);
    }

    public RuntimeSession session() {
        return session;
    }

    public ScenarioParameters parameters() {
        return session.parameters();
    }

    /** A condition of this run shown with its figures (e.g. the load average). */
    public void condition(String key, String value) {
        parameters.put(key, value);
    }

    public void measure(Measurement m) {
        measurements.add(m);
    }

    /**
     * Writes this scenario's sample file {@code runtimes/SCENARIO-rREP-NAME.csv}; returns its path relative to the
     * run folder, the input its measurements record.
     */
    public String samples(String name, List<String> header, List<List<Object>> rows) {
        return SampleFiles.write(session.folder(), scenario + "-r" + repetition + "-" + name + ".csv", header, rows);
    }

    /** Runs {@code step} for each runtime in {@code runtimes} as an Allure step; a failure is recorded, the rest run. */
    public void perRuntime(List<RuntimeSession.Ready> runtimes, Step step) {
        for (RuntimeSession.Ready r : runtimes) {
            long t0 = System.nanoTime();
            try {
                Allure.step(r.id(), () -> step.run(r));
                LOG.info("{} {}: done in {} s", scenario, r.id(), (System.nanoTime() - t0) / 1_000_000_000L);
            } catch (Exception | AssertionError e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                failures.put(r.id(), why);
                LOG.warn("{} {}: {}", scenario, r.id(), why);
            }
        }
    }

    void execute(Body body) {
        Allure.label("parentSuite", RuntimeSession.NAME);
        Allure.parameter("runtimes", session.ready().size() + " ready");
        String status = null;
        String reason = null;
        RuntimeException rethrow = null;
        Error error = null;
        condition("cpus", Integer.toString(Runtimes.cpus()));
        condition("loadavg.start", Runtimes.loadAverage());
        try {
            if (session.setupProblem() != null) throw new IllegalStateException(session.setupProblem());
            if (!session.unexpectedlyAbsent().isEmpty()) {
                throw new AssertionError("installed runtimes that cannot run: " + String.join("; ", session.unexpectedlyAbsent()));
            }
            body.run(this);
        } catch (TestAbortedException e) {
            status = "skipped";
            reason = e.getMessage();
            rethrow = e;
        } catch (AssertionError e) {
            status = "failed";
            reason = e.getMessage();
            error = e;
        } catch (Exception e) {
            status = "broken";
            reason = e.getMessage() == null ? e.toString() : e.getMessage();
            rethrow = e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
        condition("loadavg.end", Runtimes.loadAverage());
        Evidence evidence = new Evidence(List.of(), session.folder());
        List<Figure> figures = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Measurement m : measurements) {
            try {
                List<Figure> made = MeasurementKinds.compute(m, evidence);
                figures.addAll(made);
                problems.addAll(m.violations(made));
            } catch (RuntimeException e) {
                problems.add("could not compute " + m.kind() + " " + m.inputs() + ": " + e.getMessage());
            }
        }
        failures.forEach((id, why) -> problems.add(id + ": " + why));
        if (status == null && !problems.isEmpty()) {
            status = "failed";
            reason = String.join("; ", problems);
        }
        if (status == null) status = "passed";
        Map<String, String> params = new LinkedHashMap<>(session.parameters().used());
        params.putAll(parameters);
        ScenarioResult result = new ScenarioResult(scenario, status, reason, startedAt, Instant.now(), params, figures, repetition);
        session.files().record(session.results(), result, List.of());
        try {
            AllureAttachments.attachFigures(RuntimeSession.NAME, result);
        } catch (RuntimeException e) {
            LOG.debug("no Allure lifecycle to attach to: {}", e.getMessage());
        }
        LOG.info("scenario {} on the container runtimes: {}{}", scenario, status, reason == null ? "" : " - " + reason);
        for (Figure f : figures) LOG.info("  {}", ScenarioExecution.describe(f));
        if (rethrow != null) throw rethrow;
        if (error != null) throw error;
        if (!"passed".equals(status)) throw new AssertionError(reason);
    }
}
