package org.computeops.scenarios.harness;

import org.computeops.orchestrators.spi.ObservationGap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The orchestrator's health during a scenario: its health check ({@code Orchestrator.checkHealth})
 * every {@code testbed.health.intervalMillis}, from a thread of its own, a call taking longer than
 * the interval counting as failed. An outage is the time from the first failed check to the next
 * good one; one that lasts longer than {@code testbed.health.budgetSeconds} ends the scenario
 * through {@link #failIfOverBudget()} as broken by the testbed, within one wait step of the budget.
 */
final class HealthWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthWatch.class);
    /** The start of the message of a scenario ended by an outage; the Allure category "testbed outage" matches it. */
    static final String OUTAGE = "testbed outage: ";

    private final String orchestrator;
    private final Runnable check;
    private final Duration interval;
    private final Duration budget;
    private final ScheduledExecutorService ticker;
    private final ExecutorService caller;
    private final List<ObservationGap> outages = new ArrayList<>();
    private Instant outageSince;
    private String outageWhy;

    HealthWatch(String orchestrator, Runnable check, Duration interval, Duration budget) {
        this.orchestrator = orchestrator;
        this.check = check;
        this.interval = interval;
        this.budget = budget;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "health-" + orchestrator));
        this.caller = Executors.newCachedThreadPool(r -> daemon(r, "health-call-" + orchestrator));
        ticker.scheduleWithFixedDelay(this::probe, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    static HealthWatch of(String orchestrator, Runnable check, ScenarioParameters parameters) {
        Duration interval = Duration.ofMillis(parameters.intAtLeast("testbed.health.intervalMillis", 2000, 100));
        Duration budget = Duration.ofSeconds(parameters.positiveInt("testbed.health.budgetSeconds", 60));
        return new HealthWatch(orchestrator, check, interval, budget);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /**
     * A call to the orchestrator that may hang (a paused engine answers nothing), bounded by
     * {@code limit}: cancelled and a TimeoutException past it. The health check's own caller.
     */
    <T> T callWithin(java.util.concurrent.Callable<T> action, Duration limit)
            throws TimeoutException, java.util.concurrent.ExecutionException, InterruptedException {
        Future<T> call = caller.submit(action);
        try {
            return call.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw e;
        }
    }

    private void probe() {
        String failure = null;
        try {
            callWithin(() -> {
                check.run();
                return null;
            }, interval);
        } catch (TimeoutException e) {
            failure = "no answer to its health check within " + interval.toMillis() + " ms";
        } catch (java.util.concurrent.ExecutionException e) {
            failure = e.getCause() == null ? e.toString() : String.valueOf(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        record(failure, Instant.now());
    }

    /** One check's outcome at a time (null: healthy); package-visible for the unit test. */
    synchronized void record(String failure, Instant at) {
        if (failure == null) {
            if (outageSince != null) {
                ObservationGap over = new ObservationGap(outageSince, at, orchestrator + " unhealthy: " + outageWhy);
                outages.add(over);
                LOG.warn("{} answers its health check again after {} ms", orchestrator, Duration.between(outageSince, at).toMillis());
                outageSince = null;
            }
        } else if (outageSince == null) {
            outageSince = at;
            outageWhy = failure.replaceAll("\\s+", " ");
            LOG.warn("{} fails its health check (an outage over {} s ends the scenario): {}", orchestrator, budget.toSeconds(), outageWhy);
        }
    }

    /** Throws when the outage in progress has lasted longer than the budget. */
    void failIfOverBudget() {
        failIfOverBudget(Instant.now());
    }

    synchronized void failIfOverBudget(Instant now) {
        if (outageSince == null) return;
        Duration length = Duration.between(outageSince, now);
        if (length.compareTo(budget) > 0) {
            throw new TestbedOutage(OUTAGE + orchestrator + " has not answered its health check since " + outageSince + " ("
                    + length.toMillis() / 1000 + " s so far, over testbed.health.budgetSeconds=" + budget.toSeconds() + "): " + outageWhy,
                    new ObservationGap(outageSince, now, orchestrator + " unhealthy: " + outageWhy));
        }
    }

    /** Outages so far, the one in progress included (open-ended at {@code now}). */
    synchronized List<ObservationGap> outages(Instant now) {
        List<ObservationGap> all = new ArrayList<>(outages);
        if (outageSince != null) all.add(new ObservationGap(outageSince, now, orchestrator + " unhealthy (still): " + outageWhy));
        return all;
    }

    synchronized Optional<Instant> outageSince() {
        return Optional.ofNullable(outageSince);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        caller.shutdownNow();
    }

    /** A scenario ended because the orchestrator stopped answering: the testbed broke, not the product. */
    static final class TestbedOutage extends RuntimeException {
        private final transient ObservationGap outage;

        TestbedOutage(String message, ObservationGap outage) {
            super(message);
            this.outage = outage;
        }

        ObservationGap outage() {
            return outage;
        }
    }
}
