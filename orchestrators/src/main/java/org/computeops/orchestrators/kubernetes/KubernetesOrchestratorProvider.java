package org.computeops.orchestrators.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.computeops.orchestrators.spi.Orchestrator;
import org.computeops.orchestrators.spi.OrchestratorProvider;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Opens the Kubernetes adapter. Which cluster, first match wins:
 * <ol>
 *   <li>{@code -Dtestbed.kubernetes=k3s}: a k3s started through Testcontainers' k3s module
 *       (needs a Docker engine and a reachable registry; image {@code testbed.k3s.image})</li>
 *   <li>{@code -Dtestbed.kubeconfig=PATH}</li>
 *   <li>the {@code KUBECONFIG} environment variable</li>
 *   <li>the local testbed's kubeconfig ({@code $TESTBED_STATE_DIR/kubernetes/kubeconfig}, by
 *       default {@code /var/lib/computeops-testbed/kubernetes/kubeconfig}), written by
 *       {@code infra/testbed up kubernetes}</li>
 *   <li>{@code ~/.kube/config}</li>
 * </ol>
 */
public final class KubernetesOrchestratorProvider implements OrchestratorProvider {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesOrchestratorProvider.class);

    @Override
    public String name() {
        return "kubernetes";
    }

    @Override
    public Orchestrator open(AdapterSettings settings) {
        String mode = settings.get("testbed.kubernetes", "local");
        if (mode.equals("k3s")) {
            K3sCluster k3s = K3sCluster.start(settings.get("testbed.k3s.image", K3sCluster.DEFAULT_IMAGE));
            try {
                Config config = Config.fromKubeconfig(k3s.kubeconfigYaml());
                return open(settings, config, "k3s container " + k3s.image(), k3s::stop);
            } catch (RuntimeException e) {
                k3s.stop();
                throw e;
            }
        }
        if (!mode.equals("local") && !mode.equals("external")) {
            throw new AdapterException("testbed.kubernetes must be 'local' (the default: local testbed or a kubeconfig) or 'k3s', was '"
                    + mode + "'");
        }
        Path kubeconfig = kubeconfigPath(settings, System.getenv(), Path.of(System.getProperty("user.home"), ".kube", "config"));
        if (kubeconfig == null) {
            throw new AdapterException("no kubeconfig found: start the local testbed with `infra/testbed up kubernetes`, or pass "
                    + "-Dtestbed.kubeconfig=PATH (or set KUBECONFIG) for an existing cluster");
        }
        return open(settings, loadConfig(kubeconfig, settings.get("testbed.kubernetes.context").orElse(null)),
                kubeconfig.toString(), null);
    }

    private static Orchestrator open(AdapterSettings settings, Config config, String source, Runnable onClose) {
        config.setConnectionTimeout(settings.getInt("testbed.kubernetes.connectTimeoutMillis", 5000, 1, Integer.MAX_VALUE));
        // 0 would mean "no timeout" to fabric8: refused, so that a hung API server is always noticed
        config.setRequestTimeout(settings.getInt("testbed.kubernetes.requestTimeoutMillis", 30000, 1, Integer.MAX_VALUE));
        // fabric8 retries failed connections with back-off (10 times by default): an unreachable
        // API server should be reported in seconds, not minutes.
        config.setRequestRetryBackoffLimit(settings.getInt("testbed.kubernetes.retries", 1, 0, 100));
        config.setRequestRetryBackoffInterval(200);
        applyClientLimits(config, settings);
        LOG.info("Kubernetes API server {} (kubeconfig: {}; {})", config.getMasterUrl(), source, clientLimits(config));
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        try {
            return new KubernetesOrchestrator(settings, client, source, onClose);
        } catch (RuntimeException e) {
            client.close();
            if (onClose != null) onClose.run();
            throw e;
        }
    }

    /**
     * fabric8 has no client-side QPS/burst token bucket (client-go's 5/10 default has no
     * counterpart); its only limits are the concurrent requests in flight, 64 in all and 5 per host
     * by default, which would hold a burst of creates to 5 at a time on the OkHttp and JDK
     * backends. Both are raised to testbed.kubernetes.maxConcurrentRequests (256) so that the
     * harness's submit path is never the bottleneck (issue 13: >= 500 creates/s); the Vert.x
     * backend used here pools up to 8,192 connections and multiplexes HTTP/2 streams.
     */
    static void applyClientLimits(Config config, AdapterSettings settings) {
        int max = settings.getInt("testbed.kubernetes.maxConcurrentRequests", 256, 1, 100_000);
        config.setMaxConcurrentRequests(max);
        config.setMaxConcurrentRequestsPerHost(max);
    }

    /** The client's limits in words, for the log and the report. */
    static String clientLimits(Config config) {
        return "client: fabric8 without a QPS/burst limit, at most " + config.getMaxConcurrentRequests() + " requests in flight ("
                + config.getMaxConcurrentRequestsPerHost() + " per host)";
    }

    /**
     * The kubeconfig to use: testbed.kubeconfig, else KUBECONFIG, else the local testbed's; null
     * when there is none. {@code ~/.kube/config} ({@code home}) is never used silently: a run
     * removes other runs' namespaces on its cluster, so a cluster the user did not name is refused
     * with the cluster it would have been.
     */
    public static Path kubeconfigPath(AdapterSettings settings, Map<String, String> env, Path home) {
        var explicit = settings.get("testbed.kubeconfig");
        if (explicit.isPresent()) {
            Path p = Path.of(explicit.get());
            if (!Files.isRegularFile(p)) {
                throw new AdapterException("testbed.kubeconfig points at '" + p + "', which is not a file"
                        + (p.toString().contains("computeops-testbed") ? ": run `infra/testbed up kubernetes` first" : ""));
            }
            return p;
        }
        String env1 = env.get("KUBECONFIG");
        if (env1 != null && !env1.isBlank()) {
            for (String part : env1.split(java.io.File.pathSeparator)) {
                if (!part.isBlank() && Files.isRegularFile(Path.of(part))) return Path.of(part);
            }
            throw new AdapterException("KUBECONFIG is set to '" + env1 + "' but names no readable file");
        }
        String stateDir = env.get("TESTBED_STATE_DIR");
        Path local = Path.of(stateDir != null && !stateDir.isBlank() ? stateDir : "/var/lib/computeops-testbed", "kubernetes", "kubeconfig");
        if (Files.isReadable(local)) return local;
        if (Files.isReadable(home)) {
            throw new AdapterException("testbed.kubeconfig is not set and there is no local testbed; " + home + " would use "
                    + wouldUse(home) + ": name it explicitly (-Dtestbed.kubeconfig=" + home + ") to run against that cluster");
        }
        return null;
    }

    private static String wouldUse(Path kubeconfig) {
        try {
            Config config = Config.fromKubeconfig(null, kubeconfig.toFile());
            return "context '" + (config.getCurrentContext() == null ? "?" : config.getCurrentContext().getName())
                    + "' at " + config.getMasterUrl();
        } catch (RuntimeException e) {
            return "a cluster it does not describe readably";
        }
    }

    static Config loadConfig(Path kubeconfig, String context) {
        if (!Files.isReadable(kubeconfig)) {
            throw new AdapterException("cannot read kubeconfig " + kubeconfig + " (permissions? the local testbed's is"
                    + " root's: run the scenarios as root or copy it)");
        }
        try {
            Config config = Config.fromKubeconfig(context, kubeconfig.toFile());
            if (context != null && config.getContexts().stream().noneMatch(c -> context.equals(c.getName()))) {
                throw new AdapterException("testbed.kubernetes.context must be one of the contexts in kubeconfig " + kubeconfig + " ("
                        + String.join(", ", config.getContexts().stream().map(c -> c.getName()).toList()) + "), was '" + context + "'");
            }
            if (config.getCurrentContext() == null || config.getMasterUrl() == null || config.getMasterUrl().isBlank()) {
                throw new AdapterException("kubeconfig " + kubeconfig + " names no usable context (current-context and its cluster's server)");
            }
            return config;
        } catch (AdapterException e) {
            throw e;
        } catch (RuntimeException e) {
            Throwable root = KubernetesErrors.rootCause(e);
            throw new AdapterException("kubeconfig " + kubeconfig + " is not usable"
                    + (context != null ? " (context '" + context + "')" : "") + ": " + String.valueOf(root.getMessage()).replaceAll("\\s+", " ").trim());
        }
    }

    /** The testbed.* keys this adapter reads (the harness refuses any other under its prefix). */
    @Override
    public java.util.List<String> settingKeys() {
        return java.util.List.of("testbed.kubernetes", "testbed.kubeconfig", "testbed.k3s.image", "testbed.kubernetes.context",
            "testbed.kubernetes.connectTimeoutMillis", "testbed.kubernetes.requestTimeoutMillis", "testbed.kubernetes.retries",
            "testbed.kubernetes.evictionSeconds", "testbed.kubernetes.gpuResource", "testbed.kubernetes.namespace",
            "testbed.kubernetes.namespaceDeleteWaitSeconds", "testbed.kubernetes.nodeControl",
            "testbed.kubernetes.nodeMonitorGracePeriod", "testbed.kubernetes.nodeMonitorPeriod",
            "testbed.kubernetes.scheduledEventWaitMillis", "testbed.kubernetes.serviceAccess", "testbed.kubernetes.schedulerMetrics",
            "testbed.kubernetes.maxConcurrentRequests", "testbed.kubernetes.factsMillis");
    }
}
