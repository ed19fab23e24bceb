package org.computeops.scenarios;

import org.computeops.orchestrators.spi.Capability;
import org.computeops.orchestrators.spi.HarnessProbe;
import org.computeops.results.measurements.HarnessHeadroom;
import org.computeops.scenarios.harness.CpuWindow;
import org.computeops.scenarios.harness.OrchestratorExtension;
import org.computeops.scenarios.harness.OrchestratorSession;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The harness's headroom (issue 13): its submit path's calls/s through the adapter's own client
 * against a call the server answers but does not keep, with the control plane's and the harness's
 * CPU meanwhile (which side was busy), and its observer's state changes/s. The figures
 * ({@link HarnessHeadroom}) sit beside the scale run's; slo.properties holds the targets (500 calls/s,
 * 2,000 changes/s). Named *Check: {@code infra/testbed scale} runs it, compare and test do not.
 */
@ExtendWith(OrchestratorExtension.class)
class HarnessHeadroomCheck {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HarnessHeadroomCheck.class);

    @Test
    @DisplayName("Harness headroom: submit calls/s and observed changes/s the harness itself can handle")
    void headroom(OrchestratorSession session) {
        session.execute("harness-headroom", EnumSet.of(Capability.BATCH), scenario -> {
            int calls = scenario.parameters().positiveInt("scenario.headroom.calls", 10_000);
            int threads = scenario.parameters().positiveInt("scenario.headroom.threads", 32);
            int changes = scenario.parameters().positiveInt("scenario.headroom.changes", 200_000);
            HarnessProbe probe = session.orchestrator().harnessProbe().orElseThrow(() -> new IllegalStateException(
                    "the " + session.orchestrator().name() + " adapter has no harness probe (Orchestrator#harnessProbe)"));
            scenario.parameter("submit call", probe.submitCall());
            scenario.parameter("client limits", probe.clientLimits());
            scenario.parameter("submit threads", threads);

            // warm-up (JIT, TLS, connections): after 200 calls Kubernetes' client still ran at 426 calls/s over
            // the next 3,000, at 582/s over 12,000 (headroom6/7-kubernetes)
            submit(probe, Math.min(2000, calls), threads, new ArrayList<>());
            CpuWindow cpu = CpuWindow.start(Optional.of(probe));
            List<List<Object>> rows = Collections.synchronizedList(new ArrayList<>());
            submit(probe, calls, threads, rows);
            CpuWindow.Used used = cpu.stop();
            String submitFile = scenario.samples("submit", List.of("i", "call", "start_us", "end_us", "ok"), sortedByCall(rows));
            String cpuFile = scenario.samples("cpu", List.of("wall_s", "server_cpu_s", "client_cpu_s", "server_source"),
                    List.of(List.of(used.wallSeconds(), used.serverSeconds().map(String::valueOf).orElse(""), used.clientSeconds(),
                            used.serverSource())));

            probe.replayObserver(Math.min(20_000, changes)); // warm-up
            List<List<Object>> batches = new ArrayList<>();
            long events = 0;
            int batch = Math.max(1, changes / 10);
            for (int b = 0, done = 0; done < changes; b++) {
                int n = Math.min(batch, changes - done);
                long start = System.nanoTime() / 1000;
                events += probe.replayObserver(n);
                batches.add(List.of(b, n, start, System.nanoTime() / 1000));
                done += n;
            }
            String observerFile = scenario.samples("observer", List.of("batch", "changes", "start_us", "end_us"), batches);
            scenario.measure(new HarnessHeadroom(submitFile, observerFile, cpuFile));

            long ok = rows.stream().filter(r -> Boolean.TRUE.equals(r.get(4))).count();
            assertThat(ok).as("submit-path calls the server answered as expected (of %d)", calls).isEqualTo(calls);
            assertThat(events).as("task events the observer made of %d replayed changes", changes).isGreaterThanOrEqualTo(changes / 4);
        });
    }

    /** n calls from a pool of threads, each stamped (µs of this JVM's monotonic clock) into rows. */
    private static void submit(HarnessProbe probe, int n, int threads, List<List<Object>> rows) {
        AtomicInteger next = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> firstFailure = new java.util.concurrent.atomic.AtomicReference<>();
        String call = probe.submitCall();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "headroom-submit");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        long start = System.nanoTime() / 1000;
                        boolean ok = true;
                        try {
                            probe.submitOnce(i);
                        } catch (RuntimeException e) {
                            ok = false;
                            if (firstFailure.compareAndSet(null, e.getMessage())) LOG.warn("a submit-path probe call failed: {}", e.getMessage());
                        }
                        rows.add(List.of(i, call, start, System.nanoTime() / 1000, ok));
                    }
                }));
            }
            for (Future<?> w : workers) w.get();
        } catch (Exception e) {
            throw new IllegalStateException("the submit probe failed: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<List<Object>> sortedByCall(List<List<Object>> rows) {
        List<List<Object>> sorted = new ArrayList<>(rows);
        sorted.sort((a, b) -> Integer.compare((Integer) a.get(0), (Integer) b.get(0)));
        return sorted;
    }
}
