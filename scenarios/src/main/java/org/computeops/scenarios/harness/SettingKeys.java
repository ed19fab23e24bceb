package org.computeops.scenarios.harness;

import org.computeops.orchestrators.spi.OrchestratorProvider;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one registry of {@code testbed.*} and {@code scenario.*} keys: the adapters' settings
 * (each adapter's {@link OrchestratorProvider#settingKeys()}), the harness's own, and the scenarios' parameters
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
            "testbed.realNodes", "testbed.gpuLayout", "testbed.nodeCpuShares", "testbed.allowUnequal");

    /** The scenarios' parameters (scenario.repetitions is read by infra/testbed compare). */
    private static final List<String> SCENARIO = List.of(
            "scenario.repetitions", "scenario.timeout.s", "scenario.batch.image", "scenario.service.image",
            "scenario.latency.tasks", "scenario.latency.taskSeconds", "scenario.latency.placement",
            "scenario.throughput.tasks", "scenario.throughput.parallelism", "scenario.throughput.placement",
            "scenario.gpu.cpuTasks", "scenario.gpu.surplusTasks", "scenario.gpu.taskSeconds", "scenario.gpu.placement",
            "scenario.queue.tasksPerClass", "scenario.queue.taskSeconds", "scenario.queue.placement",
            "scenario.load.rates", "scenario.load.replicas", "scenario.load.stepSeconds",
            "scenario.recovery.batchTaskSeconds", "scenario.recovery.batchTasks", "scenario.recovery.batchWait.s", "scenario.recovery.settle.s",
            "scenario.recovery.replicas", "scenario.recovery.timeout.s", "scenario.recovery.placement", "scenario.simulated.nodes",
            "scenario.rate.rates", "scenario.rate.seconds", "scenario.rate.tasks", "scenario.rate.tickMillis", "scenario.rate.placement",
            "scenario.headroom.calls", "scenario.headroom.threads", "scenario.headroom.changes",
            "scenario.runtimes.n", "scenario.runtimes.cold", "scenario.runtimes.reps", "scenario.runtimes.iters",
            "scenario.runtimes.k", "scenario.runtimes.ioReps", "scenario.runtimes.only", "scenario.runtimes.required");

    private static final Set<String> KNOWN = new TreeSet<>();

    static {
        KNOWN.addAll(HARNESS);
        KNOWN.addAll(SCENARIO);
        // each adapter names its own keys
        for (OrchestratorProvider provider : ServiceLoader.load(OrchestratorProvider.class)) KNOWN.addAll(provider.settingKeys());
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
