package org.computeops.reportcheck;

import org.computeops.results.files.RunFiles;
import org.computeops.results.files.RunFolder;
import org.computeops.results.measurements.Evidence;
import org.computeops.results.measurements.ClockBound;
import org.computeops.results.measurements.GpuPlacement;
import org.computeops.results.measurements.HttpLoad;
import org.computeops.results.measurements.Latency;
import org.computeops.results.measurements.Measurement;
import org.computeops.results.measurements.MeasurementKinds;
import org.computeops.results.measurements.Recovery;
import org.computeops.results.measurements.SimulatedNodes;
import org.computeops.results.measurements.Throughput;
import org.computeops.results.model.Figure;
import org.computeops.results.model.Node;
import org.computeops.results.model.OrchestratorResults;
import org.computeops.results.model.Phase;
import org.computeops.results.model.PhaseTimes;
import org.computeops.results.model.ScenarioResult;
import org.computeops.results.model.TaskRecord;
import org.computeops.scenarios.harness.AllureAttachments;
import org.computeops.scenarios.harness.RunAllureListener;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * A realistic run without a testbed, for checking the report: two orchestrators (Swarm on real
 * nodes; Kubernetes with KWOK-simulated nodes beside one real kubelet), five scenarios, task rows
 * whose figures are computed by the real measurement classes, and Allure results written by the
 * harness's own RunAllureListener running a tiny JUnit suite once per orchestrator, exactly as a
 * scenario JVM does. Kubernetes overcommits one GPU (a failed placement rule), fails two
 * requests under load (an SLO breach) and breaks one scenario (testbed unreachable), which Swarm
 * skips (a capability), so every Allure category and the SLO step have something to show.
 *
 * <p>{@code java -cp ... org.computeops.reportcheck.SyntheticRun REPO_DIR RUN_ID} writes
 * {@code REPO_DIR/results/runs/RUN_ID}; build its report with the results CLI's {@code publish}.
 */
public final class SyntheticRun {

    static final List<String> ORCHESTRATORS = List.of("swarm", "kubernetes");
    private static double slowdown = 1.0;

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]).toAbsolutePath().normalize();
        String runId = args[1];
        // an optional third argument slows the start of every latency task down (to see a regression flagged)
        slowdown = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
        RunFolder folder = RunFolder.of(RunFolder.runsDir(repo), runId);
        if (folder.exists()) throw new IllegalStateException(folder.dir() + " exists already");
        Instant start = Instant.now().minusSeconds(600);
        RunFiles files = new RunFiles(folder, start);
        Random random = new Random(runId.hashCode());
        for (String o : ORCHESTRATORS) {
            OrchestratorResults cluster = cluster(o);
            Instant t0 = start.plusSeconds(o.equals("swarm") ? 0 : 300);
            record(files, cluster, "scheduling-latency", latencyTasks(o, t0, random), List.of(new Latency(Phase.SCHEDULED), new Latency(Phase.RUNNING)));
            record(files, cluster, "batch-throughput", latencyTasks(o, t0.plusSeconds(30), random).stream()
                    .map(t -> rename(t, "batch-throughput")).toList(), List.of(new Throughput(Phase.SUCCEEDED)));
            Map<String, Integer> gpus = new LinkedHashMap<>();
            cluster.nodes().stream().filter(n -> n.gpus() > 0).forEach(n -> gpus.put(n.name(), n.gpus()));
            record(files, cluster, "gpu-placement", gpuTasks(o, t0.plusSeconds(60), gpus, random),
                    List.of(new GpuPlacement(gpus), new Latency(Phase.RUNNING, Latency.Tasks.GPU), new Latency(Phase.RUNNING, Latency.Tasks.CPU)));
            Instant fault = t0.plusSeconds(120);
            String stopped = o.equals("swarm") ? "swarm-worker-2" : "kubelet-real-0";
            record(files, cluster, "failure-recovery", recoveryTasks(o, fault, stopped, random),
                    List.of(new Recovery("web", "batch", stopped, fault, 4, 4)));
            writeGatling(folder.dir().resolve("gatling").resolve(o).resolve("load"), o, random);
            record(files, cluster, "service-under-load", List.of(), List.of(new HttpLoad("gatling/" + o + "/load",
                    o.equals("swarm") ? "client spreads the load over host-mode ports (no IPVS)" : "kube-proxy ClusterIP")));
            // one scenario that did not run to its end: skipped on Swarm (a capability), broken on Kubernetes (the testbed)
            files.record(cluster, new ScenarioResult("gpu-sharing", o.equals("swarm") ? "skipped" : "broken",
                    o.equals("swarm") ? "swarm on this testbed lacks what gpu-sharing needs: GPU_SHARING: generic resources cannot be shared"
                            : "cannot reach the testbed: the API server at https://127.0.0.1:6443 refused the connection",
                    t0.plusSeconds(200), t0.plusSeconds(201), Map.of(), List.of()), List.of());
            AllureAttachments.writeEnvironment(folder.allureResults(), cluster, runId);
        }
        allureResults(repo, runId);
        System.out.println(folder.dir());
    }

    static OrchestratorResults cluster(String o) {
        List<Node> nodes = new ArrayList<>();
        if (o.equals("swarm")) {
            for (int i = 0; i < 3; i++) nodes.add(new Node("s" + i, "swarm-worker-" + i, false, true, 2000, 4096, i == 0 ? 0 : 2, Map.of()));
            return new OrchestratorResults(o, "Docker Engine 26.1.5", "unix:///run/computeops/swarm.sock", nodes.size(), nodes, List.of());
        }
        nodes.add(new Node("k0", "kubelet-real-0", false, true, 2000, 4096, 0, Map.of()));
        for (int i = 0; i < 10; i++) nodes.add(new Node("kw" + i, "kwok-node-" + i, true, true, 8000, 32768, i < 4 ? 4 : 0, Map.of()));
        return new OrchestratorResults(o, "v1.35.4", "https://127.0.0.1:6443", nodes.size(), nodes, List.of());
    }

    static void record(RunFiles files, OrchestratorResults cluster, String scenario, List<TaskRecord> tasks, List<Measurement> declared) {
        List<Measurement> all = new ArrayList<>(List.of(new SimulatedNodes()));
        all.addAll(declared);
        Evidence evidence = new Evidence(tasks, files.folder());
        List<Figure> figures = new ArrayList<>();
        List<String> violations = new ArrayList<>();
        for (Measurement m : all) {
            List<Figure> made = MeasurementKinds.compute(m instanceof ClockBound c ? c.onClocks(java.util.EnumSet.allOf(Phase.class)) : m, evidence);
            figures.addAll(made);
            violations.addAll(m.violations(made));
        }
        String status = violations.isEmpty() ? "passed" : "failed";
        String reason = violations.isEmpty() ? null : "threshold broken: " + String.join("; ", violations);
        Instant started = tasks.stream().map(TaskRecord::submitStartedAt).min(Instant::compareTo).orElse(Instant.now());
        files.record(cluster, new ScenarioResult(scenario, status, reason, started, started.plusSeconds(60),
                Map.of("scenario.synthetic.tasks", Integer.toString(tasks.size())), figures), tasks);
    }

    private static TaskRecord task(String o, String scenario, String workload, String id, String node, boolean simulated, int gpus,
                                   Instant submit, Map<Phase, Double> serverMs, Map<Phase, Double> clientMs) {
        Map<Phase, PhaseTimes> phases = new EnumMap<>(Phase.class);
        for (Phase p : clientMs.keySet()) {
            Double s = serverMs.get(p);
            phases.put(p, new PhaseTimes(s == null ? null : submit.plusNanos((long) (s * 1e6)), submit.plusNanos((long) (clientMs.get(p) * 1e6))));
        }
        return new TaskRecord(o, scenario, scenario + "-d", workload, id, node, simulated, gpus, submit, submit.plusMillis(8), phases, null);
    }

    private static TaskRecord rename(TaskRecord t, String scenario) {
        return new TaskRecord(t.orchestrator(), scenario, t.deploymentId(), t.workload(), t.taskId(), t.node(), t.nodeSimulated(), t.gpus(),
                t.submitStartedAt(), t.submittedAt(), t.phases(), t.lastDetail());
    }

    /** Swarm: 40 tasks on 3 real nodes; Kubernetes: 10 on the real kubelet, 30 on KWOK nodes (no container). */
    static List<TaskRecord> latencyTasks(String o, Instant t0, Random r) {
        List<TaskRecord> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            boolean k8s = o.equals("kubernetes");
            boolean simulated = k8s && i >= 10;
            String node = k8s ? (simulated ? "kwok-node-" + (i % 10) : "kubelet-real-0") : "swarm-worker-" + (i % 3);
            double sched = k8s ? 15 + r.nextDouble() * 60 + i * 2 : 40 + r.nextDouble() * 120 + i * 6;
            double run = sched + slowdown * (simulated ? 300 + r.nextDouble() * 200 : 600 + r.nextDouble() * 900 + i * 10);
            double done = run + 2000 + r.nextDouble() * 50;
            Map<Phase, Double> server = new EnumMap<>(Map.of(Phase.SCHEDULED, sched, Phase.RUNNING, run, Phase.SUCCEEDED, done));
            Map<Phase, Double> client = new EnumMap<>(Map.of(Phase.SCHEDULED, sched + 20, Phase.RUNNING, run + 25, Phase.SUCCEEDED, done + 30));
            tasks.add(task(o, "scheduling-latency", "latency", o + "-lat-" + i, node, simulated, 0, t0.plusMillis(i * 3L), server, client));
        }
        return tasks;
    }

    /** 1-GPU tasks beyond the cluster's GPUs must wait; on Kubernetes one is started too early (an overcommit). */
    static List<TaskRecord> gpuTasks(String o, Instant t0, Map<String, Integer> gpus, Random r) {
        List<TaskRecord> tasks = new ArrayList<>();
        List<String> nodes = new ArrayList<>(gpus.keySet());
        int capacity = gpus.values().stream().mapToInt(Integer::intValue).sum();
        boolean k8s = o.equals("kubernetes");
        for (int i = 0; i < capacity + 2; i++) {
            String node = nodes.get(i % nodes.size());
            boolean waits = i >= capacity;
            double sched = 20 + r.nextDouble() * 40 + (waits ? 8000 : 0);
            if (k8s && i == capacity) sched = 30; // started while every GPU of its node was held
            double run = sched + 500 + r.nextDouble() * 300;
            double done = run + 5000;
            Map<Phase, Double> server = new EnumMap<>(Map.of(Phase.SCHEDULED, sched, Phase.RUNNING, run, Phase.SUCCEEDED, done));
            Map<Phase, Double> client = new EnumMap<>(Map.of(Phase.SCHEDULED, sched + 15, Phase.RUNNING, run + 20, Phase.SUCCEEDED, done + 20));
            tasks.add(task(o, "gpu-placement", "gpu", o + "-gpu-" + i, node, k8s, 1, t0.plusMillis(i * 2L), server, client));
        }
        for (int i = 0; i < 6; i++) {
            String node = k8s ? "kwok-node-" + (4 + i) : "swarm-worker-0";
            double sched = 20 + r.nextDouble() * 40, run = sched + 400 + r.nextDouble() * 200;
            Map<Phase, Double> server = new EnumMap<>(Map.of(Phase.SCHEDULED, sched, Phase.RUNNING, run, Phase.SUCCEEDED, run + 5000));
            Map<Phase, Double> client = new EnumMap<>(Map.of(Phase.SCHEDULED, sched + 15, Phase.RUNNING, run + 20, Phase.SUCCEEDED, run + 5020));
            tasks.add(task(o, "gpu-placement", "cpu", o + "-cpu-" + i, node, k8s, 0, t0.plusMillis(i * 2L), server, client));
        }
        return tasks;
    }

    /** 4 replicas, one on the stopped node, replaced after the orchestrator notices; 4 batch tasks through the fault. */
    static List<TaskRecord> recoveryTasks(String o, Instant fault, String stopped, Random r) {
        List<TaskRecord> tasks = new ArrayList<>();
        boolean k8s = o.equals("kubernetes");
        List<String> nodes = k8s ? List.of("kubelet-real-0", "kwok-node-4", "kwok-node-5", "kwok-node-6")
                : List.of("swarm-worker-0", "swarm-worker-1", "swarm-worker-2", "swarm-worker-0");
        Instant submit = fault.minusSeconds(30);
        double faultMs = 30_000;
        for (int i = 0; i < 4; i++) {
            String node = nodes.get(i);
            double run = 800 + r.nextDouble() * 400;
            Map<Phase, Double> client = new EnumMap<>(Phase.class);
            client.put(Phase.SCHEDULED, run - 300);
            client.put(Phase.RUNNING, run);
            if (node.equals(stopped)) client.put(Phase.LOST, faultMs + (k8s ? 30_000 : 6_000));
            tasks.add(task(o, "failure-recovery", "web", o + "-web-" + i, node, node.startsWith("kwok"), 0, submit, Map.of(), client));
        }
        // the replacement of the lost replica
        double replaced = faultMs + (k8s ? 31_000 + r.nextDouble() * 3000 : 6_500 + r.nextDouble() * 1500);
        Map<Phase, Double> client = new EnumMap<>(Map.of(Phase.SCHEDULED, replaced - 400, Phase.RUNNING, replaced));
        tasks.add(task(o, "failure-recovery", "web", o + "-web-4", k8s ? "kwok-node-7" : "swarm-worker-1", k8s, 0, submit, Map.of(), client));
        for (int i = 0; i < 4; i++) {
            Map<Phase, Double> c = new EnumMap<>(Map.of(Phase.SCHEDULED, 200.0, Phase.RUNNING, 600.0, Phase.SUCCEEDED, 50_000.0 + i * 100));
            tasks.add(task(o, "failure-recovery", "batch", o + "-batch-" + i, k8s ? "kwok-node-8" : "swarm-worker-1", k8s, 0, submit, Map.of(), c));
        }
        return tasks;
    }

    /** A Gatling 3.14 report's statistics table, as GatlingReport reads it: steps at 10, 20, 40 rps and the scale-out. */
    static void writeGatling(Path dir, String o, Random r) throws IOException {
        Files.createDirectories(dir);
        StringBuilder html = new StringBuilder("<html><body><table>");
        long total = 0, totalKo = 0;
        String[] steps = {"step 1: 10 rps", "step 2: 20 rps", "step 3: 40 rps", "step 4: 40 rps, 2R"};
        for (int i = 0; i < steps.length; i++) {
            long n = 150L * (i == 0 ? 1 : i == 1 ? 2 : 4);
            long ko = o.equals("kubernetes") && i == 3 ? 2 : 0;
            double p50 = 3 + i * (o.equals("swarm") ? 1.5 : 2.5) + r.nextDouble();
            row(html, steps[i], n, ko, p50, p50 * 2.2, p50 * 3, p50 * 5, p50 * 9);
            total += n;
            totalKo += ko;
        }
        row(html, "All Requests", total, totalKo, 5, 12, 15, 30, 80);
        Files.writeString(dir.resolve("index.html"), html.append("</table></body></html>").toString());
    }

    private static void row(StringBuilder html, String name, long n, long ko, double p50, double p90, double p95, double p99, double max) {
        html.append("<tr><td class=\"total col-1\"><span class=\"ellipsed-name\">").append(name).append("</span></td>");
        Object[] values = {n, n - ko, ko, "-", 1, 2, fmt(p50), fmt(p90), fmt(p95), fmt(p99), fmt(max), "-", "-"};
        for (int i = 0; i < values.length; i++) html.append("<td class=\"value total col-").append(i + 2).append("\">").append(values[i]).append("</td>");
        html.append("</tr>");
    }

    private static String fmt(double v) {
        return String.valueOf(Math.round(v));
    }

    /** Runs the tiny suite once per orchestrator through the harness's RunAllureListener. */
    static void allureResults(Path repo, String runId) {
        System.setProperty("testbed.repoDir", repo.toString());
        System.setProperty("testbed.runId", runId);
        for (String o : ORCHESTRATORS) {
            System.setProperty("testbed.orchestrator", o);
            Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                    .enableTestExecutionListenerAutoRegistration(false)
                    .addTestExecutionListeners(new RunAllureListener()).build());
            launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(SyntheticScenarios.class)).build());
        }
    }
}
