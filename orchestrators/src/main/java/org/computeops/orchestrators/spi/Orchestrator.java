package org.computeops.orchestrators.spi;

import java.util.Optional;
import java.util.Set;

/**
 * One orchestrator, spoken to in workload terms. Everything an instance creates carries the run
 * id ({@link Labels#RUN_ID}); {@link #close()} removes all of it.
 */
public interface Orchestrator extends AutoCloseable {

    /** Short name used in results: "swarm", "kubernetes", "mesos". */
    String name();

    String runId();

    Set<Capability> capabilities();

    /** Why this testbed lacks a capability, in words for the report; empty when it has it or cannot say. */
    default Optional<String> whyLacking(Capability capability) {
        return Optional.empty();
    }

    ClusterInfo describe();

    /**
     * Checks a workload against this cluster before anything is created (image present, enough
     * GPUs advertised, ...). Throws {@link AdapterException} naming what is wrong.
     */
    void validate(Workload workload);

    /** Creates the workload; returns once the orchestrator accepted it. */
    Deployment submit(Workload workload);

    /**
     * Streams the deployment's task events to the listener until the returned handle is closed.
     * Each phase of a task is delivered at most once and in order per task. A phase the
     * adapter could not observe (a state shorter than a poll) is left out, never invented:
     * the scenario counts the missing latency as an error.
     */
    AutoCloseable events(Deployment deployment, TaskEventListener listener);

    /**
     * The phases whose server timestamps this orchestrator gives finer than a second: a latency
     * ends there on the orchestrator's clock, elsewhere on this client's observation. None by
     * default (every end observed by the client).
     */
    default Set<Phase> subSecondServerPhases() {
        return Set.of();
    }

    void scale(Deployment deployment, int replicas);

    /**
     * Where a service answers, as reachable from this client: the orchestrator's own entry point
     * (Swarm's routing mesh, a Kubernetes Service), or its replicas' published addresses where it
     * publishes per task. Empty where there is none ({@link Capability#SERVICE_ENDPOINT} is then
     * missing) or while no replica runs yet.
     */
    default Optional<ServiceEntry> serviceEntry(Deployment deployment) {
        return Optional.empty();
    }

    void remove(Deployment deployment);

    /** Removes what earlier runs (other run ids) left behind, for example after a crash. Returns how many objects. */
    int removeLeftovers();

    Faults faults();

    /**
     * Asks the orchestrator's control plane whether it answers (Swarm: the manager's /_ping;
     * Kubernetes: /readyz; Slurm: slurmrestd's ping; Mesos: /health) and throws
     * {@link AdapterException} saying why when it does not. Called by the harness every
     * {@code testbed.health.intervalMillis} during every wait, from its own thread, so it must be
     * cheap; the harness gives up on a call that takes longer than the interval. By default a
     * {@link #describe()}.
     */
    default void checkHealth() {
        describe();
    }

    /**
     * The stretches since {@code since} in which this adapter could not observe the cluster
     * (failed task polls, watch reconnects), oldest first; the harness flags client-clock figures
     * that overlap one. None by default.
     */
    default java.util.List<ObservationGap> observationGaps(java.time.Instant since) {
        return java.util.List.of();
    }

    /**
     * The scheduler's own counters now, where the testbed exposes them; empty where it has none
     * (the report then says so, with {@link #whyNoSchedulerCounters()}).
     */
    default Optional<SchedulerCounters> schedulerCounters() {
        return Optional.empty();
    }

    /** Why {@link #schedulerCounters()} is empty, in words for the report. */
    default String whyNoSchedulerCounters() {
        return "the adapter reads no scheduler counters";
    }

    /**
     * Whether the orchestrator itself counts the batch as finished (all its completions reached),
     * in words naming its own count ("Job latency: Complete, 10000 succeeded"); empty while it does
     * not, or where the adapter cannot tell. The harness sets it against the ends it observed.
     */
    default Optional<String> batchFinished(Deployment deployment) {
        return Optional.empty();
    }

    /** The harness's headroom probes against this orchestrator (scale runs); empty where the adapter has none. */
    default Optional<HarnessProbe> harnessProbe() {
        return Optional.empty();
    }

    /** Removes everything this run created and releases connections. */
    @Override
    void close();
}
