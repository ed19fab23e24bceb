package org.computeops.scenarios.harness;

import org.computeops.orchestrators.kubernetes.KubernetesOrchestratorProvider;
import org.computeops.orchestrators.mesos.MesosSettings;
import org.computeops.orchestrators.slurm.SlurmSettings;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.computeops.orchestrators.spi.NodeControlProgram;
import org.computeops.orchestrators.spi.Orchestrators;
import org.computeops.orchestrators.spi.Placement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every bad input, one row each: the command line (infra/testbed, run for real up to its argument
 * check), -D properties, parameter files, kubeconfigs, endpoints and node-control programs. Each
 * must be refused with one line that names the setting and the values it accepts (the row's
 * pattern), before any object is created: adapters are pointed at a local socket that counts
 * connections, and a row that names a setting must leave it untouched. An earlier run's folder in
 * the same checkout stays byte for byte as it was (nothing measured is lost).
 */
class BadInputsTest {

    @TempDir
    static Path dir;
    /** Accepts connections and never answers: counts every adapter call that reached "the cluster". */
    static SilentServer cluster;
    static Path repo;
    static Map<Path, byte[]> earlierRun;
    /** A TLS server whose certificate no CA in the foreign kubeconfig signed. */
    static TlsServer tls;
    static byte[] otherCa;

    record Row(String name, ThrowingRunnable attempt, String pattern, boolean clusterMayBeReached) {
        @Override
        public String toString() {
            return name;
        }
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @BeforeAll
    static void setUp() throws IOException {
        cluster = new SilentServer();
        repo = Files.createDirectories(dir.resolve("checkout"));
        Path run = Files.createDirectories(repo.resolve("results/runs/compare-earlier"));
        Files.writeString(run.resolve("summary.json"), "{\"runId\":\"compare-earlier\",\"orchestrators\":[]}\n");
        Files.writeString(run.resolve("tasks.csv"), "orchestrator,scenario\nswarm,latency\n");
        earlierRun = snapshot(repo);
        tls = new TlsServer(keytool("server", dir.resolve("server.p12")));
        keytool("other-ca", dir.resolve("other-ca.p12"));
        otherCa = exportPem("other-ca", dir.resolve("other-ca.p12"));
    }

    @AfterAll
    static void tearDown() throws IOException {
        cluster.close();
        tls.close();
        assertThat(snapshot(repo)).as("an earlier run's files after every bad input").containsExactlyInAnyOrderEntriesOf(earlierRun);
    }

    static Stream<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        String endpoint = "tcp://127.0.0.1:" + cluster.port();
        Path kubeconfig = kubeconfig(dir.resolve("silent-kubeconfig"), "https://127.0.0.1:" + cluster.port());

        // --- the command line: infra/testbed, refused before the lock or any testbed work ---
        rows.add(cli("compare swarm,foo", "unknown orchestrator 'foo' in 'swarm,foo' \\(choose from: swarm, kubernetes, slurm, runtimes\\)", "compare", "swarm,foo"));
        rows.add(cli("repetitions 0", "scenario.repetitions must be a whole number from 1 to 999, was '0'", "compare", "swarm", "-Dscenario.repetitions=0"));
        rows.add(cli("repetitions negative", "scenario.repetitions must be a whole number from 1 to 999, was '-1'", "compare", "-Dscenario.repetitions=-1"));
        rows.add(cli("repetitions 2^31", "scenario.repetitions must be a whole number from 1 to 999, was '2147483648'", "compare", "-Dscenario.repetitions=2147483648"));
        rows.add(cli("repetitions blank", "scenario.repetitions must be a whole number from 1 to 999, was ''", "compare", "swarm", "-Dscenario.repetitions="));
        rows.add(cli("compare with a stray word", "compare takes ORCHESTRATOR\\[,ORCHESTRATOR...\\] then -Dkey=value settings only, was 'kubernetes'", "compare", "swarm", "kubernetes"));
        rows.add(cli("up an unknown testbed", "unknown testbed 'foo' \\(choose swarm, kubernetes, slurm or all\\)", "up", "foo"));
        rows.add(cli("down an unknown testbed", "unknown testbed 'Swarm' \\(choose swarm, kubernetes, slurm or all\\)", "down", "Swarm"));
        rows.add(cli("up two testbeds", "up takes one testbed \\(choose swarm, kubernetes, slurm or all\\)", "up", "swarm", "kubernetes"));
        rows.add(cli("scale nodes not a number", "scale.nodes must be a whole number from 1 to 99999, was 'abc'", "scale", "-Dscale.nodes=abc"));
        rows.add(cli("scale tasks 0", "scale.tasks must be a whole number from 1 to 9999999, was '0'", "scale", "swarm", "-Dscale.tasks=0"));
        rows.add(cli("scale rates with 0", "scenario.rate.rates must be tasks/s as N\\[,N...\\], each >= 1, was '50,0'", "scale", "-Dscenario.rate.rates=50,0"));
        rows.add(cli("scale an unknown orchestrator", "unknown orchestrator 'slurm' in 'slurm' \\(scale runs on: swarm, kubernetes\\)", "scale", "slurm"));
        rows.add(cli("unknown command", "unknown command 'comapre' \\(choose up, down, compare, test, scale, faults, report, submit; .*\\)", "comapre"));

        // --- -D properties, through the harness's parameters ---
        rows.add(param("maxErrorRate NaN", "testbed.maxErrorRate", "NaN", p -> p.fraction("testbed.maxErrorRate", 0.1), "must be between 0 and 1, was NaN"));
        rows.add(param("maxErrorRate Infinity", "testbed.maxErrorRate", "Infinity", p -> p.fraction("testbed.maxErrorRate", 0.1), "must be between 0 and 1, was Infinity"));
        rows.add(param("maxErrorRate negative", "testbed.maxErrorRate", "-0.1", p -> p.fraction("testbed.maxErrorRate", 0.1), "must be between 0 and 1, was -0.1"));
        rows.add(param("maxErrorRate blank", "testbed.maxErrorRate", " ", p -> p.fraction("testbed.maxErrorRate", 0.1), "must be a number between 0 and 1, was ' '"));
        rows.add(param("tasks 0", "scenario.latency.tasks", "0", p -> p.positiveInt("scenario.latency.tasks", 100), "must be >= 1, was 0"));
        rows.add(param("tasks negative", "scenario.latency.tasks", "-5", p -> p.positiveInt("scenario.latency.tasks", 100), "must be >= 1, was -5"));
        rows.add(param("tasks 2^31", "scenario.latency.tasks", "2147483648", p -> p.positiveInt("scenario.latency.tasks", 100),
                "must be a whole number from 1 to 2147483647, was '2147483648'"));
        rows.add(param("tasks blank", "scenario.throughput.tasks", "", p -> p.positiveInt("scenario.throughput.tasks", 200),
                "must be a whole number from 1 to 2147483647, was ''"));
        rows.add(param("tasks fraction", "scenario.throughput.tasks", "2.5", p -> p.positiveInt("scenario.throughput.tasks", 200),
                "must be a whole number from 1 to 2147483647, was '2.5'"));
        rows.add(param("placement=any", "scenario.latency.placement", "any", p -> p.enumValue("scenario.latency.placement", Placement.ANY),
                "must be one of \\[ANY, REAL_NODES, SIMULATED_NODES\\], was 'any'"));
        rows.add(param("placement unknown", "scenario.throughput.placement", "anywhere", p -> p.enumValue("scenario.throughput.placement", Placement.ANY),
                "must be one of \\[ANY, REAL_NODES, SIMULATED_NODES\\], was 'anywhere'"));
        rows.add(param("load rates with 0", "scenario.load.rates", "5,0", p -> p.positiveInts("scenario.load.rates", List.of(1)),
                "must be comma-separated whole numbers > 0, was '5,0'"));
        rows.add(param("load rates with a gap", "scenario.load.rates", "5,,10", p -> p.positiveInts("scenario.load.rates", List.of(1)),
                "must be comma-separated whole numbers > 0, was '5,,10'"));
        rows.add(key("misspelled scenario key", "scenario.latency.task", "scenario.latency.tasks"));
        rows.add(key("wrong case", "testbed.swarm.Host", "testbed.swarm.host"));
        rows.add(key("misspelled testbed key", "testbed.maxErrorrate", "testbed.maxErrorRate"));
        rows.add(key("misspelled repetitions", "scenario.repetitons", "scenario.repetitions"));
        rows.add(new Row("key near nothing known", () -> ScenarioParameters.from(Map.of("testbed.zzzzzzzzzzzz.qqqqq", "1"), Map.of()),
                "unknown setting testbed\\.zzzzzzzzzzzz\\.qqqqq \\(-Dsetting\\): see the parameter table in README\\.md.*", false));

        // --- -D properties read by the adapters: refused before the first call ---
        rows.add(swarm("pollMillis 0", Map.of("testbed.swarm.pollMillis", "0"), "testbed.swarm.pollMillis must be a whole number from 10 to 60000, was 0"));
        rows.add(swarm("pollMillis 2^31", Map.of("testbed.swarm.pollMillis", "2147483648"), "testbed.swarm.pollMillis must be a whole number from 10 to 60000, was 2147483648"));
        rows.add(swarm("pollMillis blank", Map.of("testbed.swarm.pollMillis", ""), "testbed.swarm.pollMillis must be a whole number from 10 to 60000, was ''"));
        rows.add(swarm("callTimeoutMillis 0", Map.of("testbed.swarm.callTimeoutMillis", "0"),
                "testbed.swarm.callTimeoutMillis must be a whole number from 1 to 2147483647, was 0"));
        rows.add(swarm("maxRetries negative", Map.of("testbed.batch.maxRetries", "-1"), "testbed.batch.maxRetries must be a whole number from 0 to 1000, was -1"));
        rows.add(swarm("node control missing", Map.of("testbed.swarm.nodeControl", dir.resolve("no-such-program").toString()),
                "testbed.swarm.nodeControl must name an executable program \\(called as PROGRAM stop\\|start NODE\\), was '.*no-such-program'"));
        rows.add(swarm("node control a directory", Map.of("testbed.swarm.nodeControl", dir.toString()),
                "testbed.swarm.nodeControl must name an executable program \\(called as PROGRAM stop\\|start NODE\\), was '.*'"));
        rows.add(kube("requestTimeoutMillis 0 (no timeout)", kubeconfig, Map.of("testbed.kubernetes.requestTimeoutMillis", "0"),
                "testbed.kubernetes.requestTimeoutMillis must be a whole number from 1 to 2147483647, was 0"));
        rows.add(kube("requestTimeoutMillis 2^31", kubeconfig, Map.of("testbed.kubernetes.requestTimeoutMillis", "2147483648"),
                "testbed.kubernetes.requestTimeoutMillis must be a whole number from 1 to 2147483647, was 2147483648"));
        rows.add(kube("serviceAccess=clusterip", kubeconfig, Map.of("testbed.kubernetes.serviceAccess", "clusterip"),
                "testbed.kubernetes.serviceAccess must be one of none, cluster-ip, was 'clusterip'"));
        rows.add(kube("mode minikube", kubeconfig, Map.of("testbed.kubernetes", "minikube"), "testbed.kubernetes must be 'local' .*'k3s', was 'minikube'"));
        rows.add(new Row("gpuAgentsOnlyForGpuTasks=yes", () -> MesosSettings.from(settings(Map.of("testbed.mesos.master", "http://127.0.0.1:" + cluster.port(),
                "testbed.mesos.gpuAgentsOnlyForGpuTasks", "yes"))), "testbed.mesos.gpuAgentsOnlyForGpuTasks must be true or false, was 'yes'", false));
        rows.add(new Row("mesos offerTimeoutMillis 0", () -> MesosSettings.from(settings(Map.of("testbed.mesos.master", "http://127.0.0.1:" + cluster.port(),
                "testbed.mesos.offerTimeoutMillis", "0"))), "testbed.mesos.offerTimeoutMillis must be a whole number from 1 to 2147483647, was 0", false));
        rows.add(new Row("slurm releaseRequeued=1", () -> SlurmSettings.from(settings(Map.of("testbed.slurm.url", "http://127.0.0.1:" + cluster.port(),
                "testbed.slurm.token", "t", "testbed.slurm.bundleDir", dir.toString(), "testbed.slurm.releaseRequeued", "1"))), "testbed.slurm.releaseRequeued must be true or false, was '1'", false));

        // --- parameter files ---
        rows.add(new Row("params file missing (relative: against the checkout)", () -> ScenarioParameters.from(
                Map.of("testbed.params", "conf/missing.properties", "testbed.repoDir", repo.toString()), Map.of()),
                "testbed.params must name a readable Java properties file \\(absolute, or relative to the checkout\\), was 'conf/missing.properties' \\("
                        + java.util.regex.Pattern.quote(repo.resolve("conf/missing.properties").toString()) + ": NoSuchFileException.*\\)", false));
        rows.add(new Row("params file a directory", () -> ScenarioParameters.from(Map.of("testbed.params", dir.toString()), Map.of()),
                "testbed.params must name a readable Java properties file .*IOException.*", false));
        Path misspelled = Files.writeString(dir.resolve("misspelled.properties"), "scenario.latency.tasks=5\nscenario.latency.taskSecond=1\n");
        rows.add(new Row("params file with a misspelled key", () -> ScenarioParameters.from(Map.of("testbed.params", misspelled.toString()), Map.of()),
                "unknown setting scenario\\.latency\\.taskSecond \\(in the parameter file .*\\): did you mean scenario\\.latency\\.taskSeconds\\?.*", false));

        // --- kubeconfigs ---
        rows.add(kube("kubeconfig missing", dir.resolve("no-kubeconfig"), Map.of(), "testbed.kubeconfig points at '.*no-kubeconfig', which is not a file"));
        rows.add(kube("kubeconfig a directory", dir, Map.of(), "testbed.kubeconfig points at '.*', which is not a file"));
        Path badYaml = Files.writeString(dir.resolve("bad-yaml"), "apiVersion: v1\nclusters: [unclosed\n  - : :\n");
        rows.add(kube("kubeconfig bad YAML", badYaml, Map.of(), "kubeconfig .*bad-yaml is not usable: .*"));
        rows.add(kube("kubeconfig unknown context", kubeconfig, Map.of("testbed.kubernetes.context", "nope"),
                "testbed.kubernetes.context must be one of the contexts in kubeconfig .*silent-kubeconfig \\(test\\), was 'nope'"));
        Path foreignCa = kubeconfig(dir.resolve("foreign-ca"), "https://127.0.0.1:" + tls.port(),
                "    certificate-authority-data: " + java.util.Base64.getEncoder().encodeToString(otherCa) + "\n");
        // a CA that did not sign the server's certificate is found out by the first TLS handshake (here: one that never completes)
        rows.add(new Row("kubeconfig with a foreign CA", () -> Orchestrators.open("kubernetes", settings(Map.of("testbed.kubeconfig", foreignCa.toString(),
                "testbed.kubernetes.requestTimeoutMillis", "5000", "testbed.kubernetes.retries", "0"))),
                "TLS with the Kubernetes API server at https://127.0.0.1:\\d+/ failed .*certificate-authority does not match the server.*foreign-ca\\.", true));
        Path home = kubeconfig(dir.resolve("home-kube-config"), "https://cluster.example:6443");
        rows.add(new Row("nothing configured, ~/.kube/config present", () -> KubernetesOrchestratorProvider.kubeconfigPath(settings(Map.of()),
                Map.of("TESTBED_STATE_DIR", dir.resolve("no-state").toString()), home),
                "testbed.kubeconfig is not set and there is no local testbed; .*home-kube-config would use context 'test' at https://cluster.example:6443/: "
                        + "name it explicitly \\(-Dtestbed.kubeconfig=.*\\) to run against that cluster", false));

        // --- endpoints ---
        rows.add(swarm("host without a scheme", Map.of("testbed.swarm.host", "127.0.0.1:" + cluster.port()),
                "testbed.swarm.host must be unix:///path/to/docker.sock or tcp://HOST:PORT, was '127.0.0.1:\\d+'"));
        rows.add(swarm("host with http", Map.of("testbed.swarm.host", "http://127.0.0.1:" + cluster.port()),
                "testbed.swarm.host must be unix:///path/to/docker.sock or tcp://HOST:PORT, was 'http://127.0.0.1:\\d+'"));
        int refused = refusedPort();
        rows.add(new Row("host refuses", () -> Orchestrators.open("swarm", settings(Map.of("testbed.swarm.host", "tcp://127.0.0.1:" + refused))),
                "cannot reach the Docker engine at tcp://127.0.0.1:" + refused + " \\(testbed.swarm.host\\)\\. .*", false));
        rows.add(new Row("host accepts but never answers", () -> Orchestrators.open("swarm", settings(Map.of("testbed.swarm.host", endpoint,
                "testbed.swarm.callTimeoutMillis", "500"))), "cannot reach the Docker engine at " + endpoint + " \\(testbed.swarm.host\\)\\. .*", true));
        rows.add(new Row("API server accepts but never answers", () -> Orchestrators.open("kubernetes", settings(Map.of("testbed.kubeconfig", kubeconfig.toString(),
                "testbed.kubernetes.requestTimeoutMillis", "500", "testbed.kubernetes.connectTimeoutMillis", "500", "testbed.kubernetes.retries", "0"))),
                ".*https://127.0.0.1:" + cluster.port() + ".*", true));

        // --- node-control programs ---
        Path hangs = program("hangs", "sleep 30");
        rows.add(new Row("node control hangs", () -> new NodeControlProgram(hangs, "testbed.swarm.nodeControl",
                settings(Map.of("testbed.nodeControl.timeoutSeconds", "1"))).stop("node-1"),
                "'.*hangs stop node-1' did not finish within 1 s \\(testbed.nodeControl.timeoutSeconds\\): killed", false));
        Path idle = program("does-nothing", "exit 0");
        rows.add(new Row("node control exits 0 doing nothing", () -> new NodeControlProgram(idle, "testbed.swarm.nodeControl",
                settings(Map.of("testbed.nodeControl.confirmSeconds", "1"))).stop("node-1", () -> false),
                "'.*does-nothing stop node-1' exited 0 but the node is still up after 1 s \\(testbed.nodeControl.confirmSeconds\\): .*", false));
        Path chatty = program("chatty", "yes xxxxxxxxxxxxxxx | head -c 200000; echo; exit 3");
        rows.add(new Row("node control prints > 64 KiB", () -> new NodeControlProgram(chatty, "testbed.swarm.nodeControl",
                settings(Map.of("testbed.nodeControl.timeoutSeconds", "20"))).stop("node-1"),
                "'.*chatty stop node-1' failed \\(exit 3\\): [x ]+ \\.\\.\\. [x ]+ \\[\\d+ more bytes dropped\\]", false));
        rows.add(new Row("node control timeout 0", () -> new NodeControlProgram(idle, "testbed.swarm.nodeControl",
                settings(Map.of("testbed.nodeControl.timeoutSeconds", "0"))),
                "testbed.nodeControl.timeoutSeconds must be a whole number from 1 to 3600, was 0", false));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void refusedWithOneLineNamingTheSettingAndTheAcceptedValues(Row row) {
        int before = cluster.accepted();
        long started = System.nanoTime();
        Throwable thrown = catchThrowable(row.attempt()::run);
        assertThat(thrown).as(row.name()).isNotNull();
        String message = thrown.getMessage();
        assertThat(message).as(row.name() + ": one line").doesNotContain("\n").hasSizeLessThan(1200);
        assertThat(message).as(row.name()).matches(row.pattern());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as(row.name() + ": refused at once").isLessThan(Duration.ofSeconds(30));
        if (!row.clusterMayBeReached()) {
            assertThat(cluster.accepted()).as(row.name() + ": no call reached the cluster before the refusal").isEqualTo(before);
        }
    }

    @Test
    void atLeastFortyRows() throws IOException {
        assertThat(rows().count()).isGreaterThanOrEqualTo(40);
    }

    @Test
    void aRelativeParameterFileIsTheCheckoutsAndAKnownKeyPasses() throws IOException {
        Files.createDirectories(repo.resolve("conf"));
        Files.writeString(repo.resolve("conf/small.properties"), "scenario.latency.tasks=7\n");
        ScenarioParameters p = ScenarioParameters.from(Map.of("testbed.params", "conf/small.properties", "testbed.repoDir", repo.toString(),
                "testbed.maxErrorRate", "0.2"), Map.of());
        assertThat(p.positiveInt("scenario.latency.tasks", 100)).isEqualTo(7);
        assertThat(p.fraction("testbed.maxErrorRate", 0.1)).isEqualTo(0.2);
        Files.delete(repo.resolve("conf/small.properties"));
        Files.delete(repo.resolve("conf"));
    }

    @Test
    void aChattyProgramThatSucceedsDoesNotBlockOnItsOutput() throws IOException {
        Path chatty = program("chatty-ok", "head -c 300000 /dev/zero; exit 0");
        assertThatCode(() -> new NodeControlProgram(chatty, "testbed.swarm.nodeControl",
                settings(Map.of("testbed.nodeControl.timeoutSeconds", "20"))).stop("node-1")).doesNotThrowAnyException();
    }

    // --- rows ---

    private static Row cli(String name, String pattern, String... args) {
        return new Row("infra/testbed " + name, () -> {
            List<String> command = new ArrayList<>(List.of("bash", repoRoot().resolve("infra/testbed").toString()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            // its own state dir: the real testbed lock is never touched
            pb.environment().put("TESTBED_STATE_DIR", dir.resolve("cli-state").toString());
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("infra/testbed " + String.join(" ", args) + " did not stop at its argument check");
            }
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.exitValue() == 0) throw new AssertionError("infra/testbed " + String.join(" ", args) + " was accepted");
            throw new IllegalArgumentException(err.replaceFirst("^\\[testbed\\] ERROR: ", ""));
        }, pattern, false);
    }

    private static Row param(String name, String key, String value, java.util.function.Consumer<ScenarioParameters> read, String rest) {
        return new Row("-D" + key + " " + name, () -> read.accept(ScenarioParameters.from(Map.of(key, value, "testbed.repoDir", repo.toString()), Map.of())),
                "parameter " + java.util.regex.Pattern.quote(key) + " " + rest, false);
    }

    private static Row key(String name, String given, String suggested) {
        return new Row("-D" + given + " " + name, () -> ScenarioParameters.from(Map.of(given, "1"), Map.of()),
                "unknown setting " + java.util.regex.Pattern.quote(given) + " \\(-Dsetting\\): did you mean "
                        + java.util.regex.Pattern.quote(suggested) + "\\?.*", false);
    }

    private static Row swarm(String name, Map<String, String> given, String pattern) {
        Map<String, String> all = new HashMap<>(Map.of("testbed.swarm.host", "tcp://127.0.0.1:" + cluster.port()));
        all.putAll(given);
        return new Row("swarm " + name, () -> Orchestrators.open("swarm", settings(all)), pattern, false);
    }

    private static Row kube(String name, Path kubeconfig, Map<String, String> given, String pattern) {
        Map<String, String> all = new HashMap<>(Map.of("testbed.kubeconfig", kubeconfig.toString()));
        all.putAll(given);
        return new Row("kubernetes " + name, () -> Orchestrators.open("kubernetes", settings(all)), pattern, false);
    }

    // --- fixtures ---

    private static AdapterSettings settings(Map<String, String> properties) {
        return new AdapterSettings("bad-input", properties);
    }

    private static Path repoRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("infra/testbed")) ? here : here.getParent();
    }

    private static Path kubeconfig(Path file, String server) throws IOException {
        return kubeconfig(file, server, "    insecure-skip-tls-verify: true\n");
    }

    private static Path kubeconfig(Path file, String server, String clusterExtra) throws IOException {
        return Files.writeString(file, "apiVersion: v1\nkind: Config\ncurrent-context: test\nclusters:\n- name: test\n  cluster:\n    server: " + server
                + "\n" + clusterExtra + "contexts:\n- name: test\n  context:\n    cluster: test\n    user: test\nusers:\n- name: test\n  user:\n    token: t\n");
    }

    private static Path program(String name, String body) throws IOException {
        Path p = Files.writeString(dir.resolve(name), "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private static int refusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Map<Path, byte[]> snapshot(Path root) throws IOException {
        Map<Path, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(Files::isRegularFile).forEach(f -> {
                try {
                    files.put(root.relativize(f), Files.readAllBytes(f));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return files;
    }

    private static Path keytool(String alias, Path store) throws IOException {
        run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair", "-alias", alias, "-keyalg", "EC",
                "-dname", "CN=" + alias, "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit"));
        return store;
    }

    private static byte[] exportPem(String alias, Path store) throws IOException {
        Path pem = dir.resolve(alias + ".pem");
        run(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-exportcert", "-rfc", "-alias", alias,
                "-keystore", store.toString(), "-storepass", "changeit", "-file", pem.toString()));
        return Files.readAllBytes(pem);
    }

    private static void run(List<String> command) throws IOException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IOException(String.join(" ", command) + ": " + out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** A loopback TLS server with its own self-signed certificate; it completes handshakes and says nothing. */
    static final class TlsServer implements AutoCloseable {
        private final javax.net.ssl.SSLServerSocket socket;

        TlsServer(Path keyStore) throws IOException {
            try {
                java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
                try (var in = Files.newInputStream(keyStore)) {
                    ks.load(in, "changeit".toCharArray());
                }
                javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, "changeit".toCharArray());
                javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), null, null);
                socket = (javax.net.ssl.SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException(e);
            }
            Thread t = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket s = socket.accept();
                        Thread h = new Thread(() -> {
                            try (s) {
                                ((javax.net.ssl.SSLSocket) s).startHandshake();
                                s.getInputStream().read();
                            } catch (IOException ignored) {
                                // the client refuses our certificate: that is the point
                            }
                        });
                        h.setDaemon(true);
                        h.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "tls-server");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A loopback socket that accepts and never says a word. */
    static final class SilentServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger accepted = new AtomicInteger();
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private final Thread acceptor = new Thread(this::acceptForever, "silent-server");

        SilentServer() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        int accepted() {
            return accepted.get();
        }

        private void acceptForever() {
            while (!socket.isClosed()) {
                try {
                    open.add(socket.accept());
                    accepted.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : open) s.close();
        }
    }
}
