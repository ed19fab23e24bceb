package org.computeops.scenarios.harness;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one registry of {@code testbed.*} and {@code scenario.*} keys: the adapters' settings
 * ({@code AdapterSettings}), the harness's own, and the scenarios' parameters
 * ({@link ScenarioParameters}). A key given under either prefix that is not here is refused with
 * the nearest known one, so a misspelled or wrongly cased key never passes silently for its default.
 * SettingKeysTest checks that every key the sources read is listed.
 */
public final class SettingKeys {

    /** Keys read by the harness and infra/testbed, and written by the local testbeds into their testbed.properties. */
    private static final List<String> HARNESS = List.of(
            "testbed.orchestrator", "testbed.runId", "testbed.repoDir", "testbed.lastRunFile", "testbed.params",
            "testbed.repetition", "testbed.maxErrorRate", "testbed.failureDetection", "testbed.packages",
            "testbed.health.intervalMillis", "testbed.health.budgetSeconds",
            "testbed.nodeControl.timeoutSeconds", "testbed.nodeControl.confirmSeconds", "testbed.batch.maxRetries",
            "testbed.lease.renewSeconds", "testbed.lease.ttlSeconds", "testbed.leftovers.minAgeSeconds",
            "testbed.realNodes", "testbed.gpuLayout", "testbed.allowUnequal");

    private static final List<String> SWARM = List.of(
            "testbed.swarm.host", "testbed.swarm.gpuResource", "testbed.swarm.nodeControl", "testbed.swarm.pollMillis",
            "testbed.swarm.ingressUnavailable", "testbed.swarm.callTimeoutMillis", "testbed.swarm.metrics",
            "testbed.swarm.factsMillis");

    private static final List<String> KUBERNETES = List.of(
            "testbed.kubernetes", "testbed.kubeconfig", "testbed.k3s.image", "testbed.kubernetes.context",
            "testbed.kubernetes.connectTimeoutMillis", "testbed.kubernetes.requestTimeoutMillis", "testbed.kubernetes.retries",
            "testbed.kubernetes.evictionSeconds", "testbed.kubernetes.gpuResource", "testbed.kubernetes.namespace",
            "testbed.kubernetes.namespaceDeleteWaitSeconds", "testbed.kubernetes.nodeControl",
            "testbed.kubernetes.nodeMonitorGracePeriod", "testbed.kubernetes.nodeMonitorPeriod",
            "testbed.kubernetes.scheduledEventWaitMillis", "testbed.kubernetes.serviceAccess", "testbed.kubernetes.schedulerMetrics",
            "testbed.kubernetes.maxConcurrentRequests");

    private static final List<String> MESOS = List.of(
            "testbed.mesos.master", "testbed.mesos.role", "testbed.mesos.user", "testbed.mesos.frameworkName",
            "testbed.mesos.connectTimeoutMillis", "testbed.mesos.callTimeoutMillis", "testbed.mesos.subscribeTimeoutMillis",
            "testbed.mesos.offerTimeoutMillis", "testbed.mesos.missedHeartbeats", "testbed.mesos.backoffMinMillis",
            "testbed.mesos.backoffMaxMillis", "testbed.mesos.failoverTimeoutSeconds", "testbed.mesos.refuseSeconds",
            "testbed.mesos.idleRefuseSeconds", "testbed.mesos.defaultCpuMillis", "testbed.mesos.defaultMemoryMiB",
            "testbed.mesos.gpuAgentsOnlyForGpuTasks", "testbed.mesos.image");

    private static final List<String> SLURM = List.of(
            "testbed.slurm.url", "testbed.slurm.openapi", "testbed.slurm.user", "testbed.slurm.token", "testbed.slurm.tokenFile",
            "testbed.slurm.partition", "testbed.slurm.pollMillis", "testbed.slurm.callTimeoutMillis", "testbed.slurm.batchMode",
            "testbed.slurm.containers", "testbed.slurm.bundleDir", "testbed.slurm.workDir", "testbed.slurm.nodeControl",
            "testbed.slurm.releaseRequeued", "testbed.slurm.slurmConf", "testbed.slurm.timeLimitMinutes",
            "testbed.slurm.defaultMemoryMiB", "testbed.slurm.highPriorityPartition", "testbed.slurm.tuned");

    /** The scenarios' parameters (scenario.repetitions is read by infra/testbed compare). */
    private static final List<String> SCENARIO = List.of(
            "scenario.repetitions", "scenario.timeout.s", "scenario.batch.image", "scenario.service.image",
            "scenario.latency.tasks", "scenario.latency.taskSeconds", "scenario.latency.placement",
            "scenario.throughput.tasks", "scenario.throughput.parallelism", "scenario.throughput.placement",
            "scenario.gpu.cpuTasks", "scenario.gpu.surplusTasks", "scenario.gpu.taskSeconds", "scenario.gpu.placement",
            "scenario.queue.tasksPerClass", "scenario.queue.taskSeconds", "scenario.queue.placement",
            "scenario.load.rates", "scenario.load.replicas", "scenario.load.stepSeconds",
            "scenario.recovery.batchTaskSeconds", "scenario.recovery.batchTasks", "scenario.recovery.batchWait.s",
            "scenario.recovery.replicas", "scenario.recovery.timeout.s", "scenario.recovery.placement", "scenario.simulated.nodes",
            "scenario.rate.rates", "scenario.rate.seconds", "scenario.rate.tasks", "scenario.rate.tickMillis", "scenario.rate.placement",
            "scenario.runtimes.n", "scenario.runtimes.cold", "scenario.runtimes.reps", "scenario.runtimes.iters",
            "scenario.runtimes.k", "scenario.runtimes.ioReps", "scenario.runtimes.only", "scenario.runtimes.required");

    private static final Set<String> KNOWN = new TreeSet<>();

    static {
        for (List<String> group : List.of(HARNESS, SWARM, KUBERNETES, MESOS, SLURM, SCENARIO)) KNOWN.addAll(group);
    }

    private SettingKeys() {
    }

    public static Set<String> known() {
        return Set.copyOf(KNOWN);
    }

    static boolean governed(String key) {
        return key.startsWith("testbed.") || key.startsWith("scenario.");
    }

    /** Refuses the first unknown key under testbed. or scenario., naming the nearest known one and where it came from. */
    static void check(Map<String, String> given, String source) {
        for (String key : new TreeSet<>(given.keySet())) {
            if (!governed(key) || KNOWN.contains(key)) continue;
            String hint = nearest(key).map(k -> "did you mean " + k + "?").orElse("see the parameter table in README.md");
            throw new IllegalArgumentException("unknown setting " + key + " (" + source + "): " + hint
                    + " Known keys under " + key.substring(0, key.indexOf('.') + 1) + " are listed in README.md");
        }
    }

    /** The known key closest by edit distance (case differences cost nothing extra), if reasonably close. */
    static Optional<String> nearest(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return KNOWN.stream()
                .min(Comparator.comparingInt((String k) -> distance(lower, k.toLowerCase(Locale.ROOT))).thenComparing(k -> k))
                .filter(k -> distance(lower, k.toLowerCase(Locale.ROOT)) <= Math.max(3, key.length() / 3));
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
