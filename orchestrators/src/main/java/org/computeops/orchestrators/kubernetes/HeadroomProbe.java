package org.computeops.orchestrators.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.computeops.orchestrators.spi.AdapterSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The harness's headroom on Kubernetes (issue 13), a benchmark run by hand, not a test:
 * <ol>
 *   <li>the submit path: N pod creates with server-side dry run ({@code dryRun=All}: admission and
 *       validation run, nothing is stored, so etcd and the scheduler are not what is measured)
 *       from C threads through a client configured exactly as the adapter's; creates/s printed</li>
 *   <li>the observer: M pod state changes (JSON as a watch delivers it, decoded, then handed to
 *       the adapter's PodTaskTracker) on one thread, as the watch thread does; changes/s printed</li>
 * </ol>
 * Usage: {@code java -cp ... HeadroomProbe KUBECONFIG [CREATES [THREADS [CHANGES [SCHEDULER_METRICS_URL]]]]}; with
 * the URL, it first reads kube-scheduler's counters as the adapter does (SchedulerMetrics) and prints them.
 */
public final class HeadroomProbe {

    private HeadroomProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: HeadroomProbe KUBECONFIG [CREATES (5000) [THREADS (64) [CHANGES (200000)]]]");
            System.exit(2);
        }
        int creates = args.length > 1 ? Integer.parseInt(args[1]) : 5000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int changes = args.length > 3 ? Integer.parseInt(args[3]) : 200_000;
        AdapterSettings settings = new AdapterSettings("headroom", Map.of());
        Config config = KubernetesOrchestratorProvider.loadConfig(Path.of(args[0]), null);
        config.setRequestTimeout(30_000);
        KubernetesOrchestratorProvider.applyClientLimits(config, settings);
        System.out.println(KubernetesOrchestratorProvider.clientLimits(config));
        if (args.length > 4) {
            var counters = new SchedulerMetrics(java.net.URI.create(args[4]), config, Duration.ofSeconds(10)).read(Duration.ofSeconds(10));
            System.out.println("scheduler counters at " + counters.at() + " from " + counters.source() + ": scheduled " + counters.scheduled()
                    + ", " + counters.figures().size() + " figures, e.g. " + SchedulerMetrics.SLI + "_count = "
                    + counters.figures().get(SchedulerMetrics.SLI + "_count"));
        }
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
            submitPath(client, Math.min(200, creates), threads);   // warm-up: JIT, TLS, serializers
            submitPath(client, creates, threads);
        }
        observer(Math.min(20_000, changes));                      // warm-up
        observer(changes);
    }

    private static Pod pod(int i) {
        return new PodBuilder().withNewMetadata().withName("headroom-" + i).withNamespace("default")
                .addToLabels("computeops.io/run-id", "headroom").endMetadata()
                .withNewSpec().addNewContainer().withName("task").withImage("computeops/batch:1.0").endContainer()
                .addToNodeSelector("computeops.io/node-kind", "simulated").endSpec().build();
    }

    private static void submitPath(KubernetesClient client, int n, int threads) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong maxNanos = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    long s = System.nanoTime();
                    try {
                        client.pods().inNamespace("default").resource(pod(i)).dryRun().create();
                    } catch (KubernetesClientException e) {
                        if (failed.getAndIncrement() < 3) System.out.println("  create failed: HTTP " + e.getCode() + " " + e.getMessage());
                    }
                    maxNanos.accumulateAndGet(System.nanoTime() - s, Math::max);
                }
            }));
        }
        for (Future<?> f : done) f.get();
        pool.shutdown();
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("submit path: %d dry-run pod creates (dryRun=All) from %d threads in %.2f s: %.0f creates/s, %d failed, slowest %.0f ms%n",
                n, threads, secs, n / secs, failed.get(), maxNanos.get() / 1e6);
    }

    private static void observer(int n) {
        // a pod's life as the watch reports it: pending, bound, running, succeeded (4 changes each)
        int pods = Math.max(1, n / 4);
        List<String> json = new ArrayList<>(4);
        Instant t = Instant.parse("2026-11-29T10:00:00Z");
        Pod pending = new PodBuilder().withNewMetadata().withName("p").withCreationTimestamp(t.toString()).endMetadata()
                .withNewSpec().endSpec().withNewStatus().withPhase("Pending").endStatus().build();
        Pod bound = new PodBuilder(pending).editSpec().withNodeName("kwok-cpu-1").endSpec().editStatus()
                .addNewCondition().withType("PodScheduled").withStatus("True").withLastTransitionTime(t.toString()).endCondition().endStatus().build();
        Pod running = new PodBuilder(bound).editStatus().withPhase("Running").addNewContainerStatus().withName("task")
                .withNewState().withNewRunning().withStartedAt(t.plusSeconds(1).toString()).endRunning().endState().endContainerStatus().endStatus().build();
        Pod succeeded = new PodBuilder(bound).editStatus().withPhase("Succeeded").addNewContainerStatus().withName("task")
                .withNewState().withNewTerminated().withExitCode(0).withStartedAt(t.plusSeconds(1).toString())
                .withFinishedAt(t.plusSeconds(2).toString()).endTerminated().endState().endContainerStatus().endStatus().build();
        for (Pod p : List.of(pending, bound, running, succeeded)) json.add(Serialization.asJson(p));
        AtomicLong events = new AtomicLong();
        PodTaskTracker tracker = new PodTaskTracker("job/headroom", e -> events.incrementAndGet(), Duration.ofSeconds(2));
        long t0 = System.nanoTime();
        for (int i = 0; i < pods; i++) {
            String name = "headroom-" + i;
            for (String j : json) {
                Pod p = Serialization.unmarshal(j, Pod.class);
                p.getMetadata().setName(name);
                tracker.onPod(p, Instant.now());
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("observer: %d pod state changes (decoded from JSON, then PodTaskTracker) on one thread in %.2f s: %.0f changes/s, %d task events%n",
                pods * 4, secs, pods * 4 / secs, events.get());
    }
}
