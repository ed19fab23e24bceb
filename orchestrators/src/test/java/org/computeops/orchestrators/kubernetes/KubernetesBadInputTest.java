package org.computeops.orchestrators.kubernetes;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.computeops.orchestrators.spi.Orchestrators;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.AdapterSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad kubeconfigs and unreachable servers fail with a sentence, not a stack trace. */
class KubernetesBadInputTest {

    @TempDir
    Path dir;

    private static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: https://127.0.0.1:%d
                insecure-skip-tls-verify: true
            users:
            - name: u
              user:
                token: abc
            contexts:
            - name: c
              context: {cluster: c, user: u}
            current-context: c
            """;

    @Test
    void unreachableApiServerNamesTheEndpointAndWhatToDo() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), KUBECONFIG.formatted(port));
        AdapterSettings settings = new AdapterSettings("t1", Map.of("testbed.kubeconfig", kubeconfig.toString()));
        Instant start = Instant.now();
        assertThatThrownBy(() -> Orchestrators.open("kubernetes", settings))
                .isInstanceOf(AdapterException.class)
                .hasMessageContaining("cannot reach the Kubernetes API server at https://127.0.0.1:" + port)
                .hasMessageContaining("infra/testbed up kubernetes")
                .hasMessageContaining(kubeconfig.toString());
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void missingOrBrokenKubeconfigIsNamed() throws IOException {
        AdapterSettings missing = new AdapterSettings("t1", Map.of("testbed.kubeconfig", dir.resolve("nope").toString()));
        assertThatThrownBy(() -> Orchestrators.open("kubernetes", missing))
                .isInstanceOf(AdapterException.class).hasMessageContaining("testbed.kubeconfig").hasMessageContaining("not a file");

        Path broken = Files.writeString(dir.resolve("broken"), "this: [is not: a kubeconfig");
        AdapterSettings bad = new AdapterSettings("t1", Map.of("testbed.kubeconfig", broken.toString()));
        assertThatThrownBy(() -> Orchestrators.open("kubernetes", bad))
                .isInstanceOf(AdapterException.class).hasMessageContaining("kubeconfig " + broken);

        Path noServer = Files.writeString(dir.resolve("empty"), "apiVersion: v1\nkind: Config\n");
        AdapterSettings empty = new AdapterSettings("t1", Map.of("testbed.kubeconfig", noServer.toString()));
        assertThatThrownBy(() -> Orchestrators.open("kubernetes", empty))
                .isInstanceOf(AdapterException.class).hasMessageContaining("kubeconfig " + noServer);
    }

    @Test
    void kubeconfigSearchOrder() throws IOException {
        Path a = Files.writeString(dir.resolve("a"), "x");
        Path b = Files.writeString(dir.resolve("b"), "x");
        AdapterSettings explicit = new AdapterSettings("t1", Map.of("testbed.kubeconfig", a.toString()));
        assertThat(KubernetesOrchestratorProvider.kubeconfigPath(explicit, Map.of("KUBECONFIG", b.toString()), dir.resolve("no-home-config"))).isEqualTo(a);
        AdapterSettings none = new AdapterSettings("t1", Map.of());
        assertThat(KubernetesOrchestratorProvider.kubeconfigPath(none, Map.of("KUBECONFIG", dir.resolve("missing") + ":" + b), dir.resolve("no-home-config")))
                .isEqualTo(b);
        Path state = Files.createDirectories(dir.resolve("state/kubernetes"));
        Path local = Files.writeString(state.resolve("kubeconfig"), "x");
        assertThat(KubernetesOrchestratorProvider.kubeconfigPath(none, Map.of("TESTBED_STATE_DIR", dir.resolve("state").toString()), dir.resolve("no-home-config")))
                .isEqualTo(local);
        assertThatThrownBy(() -> KubernetesOrchestratorProvider.kubeconfigPath(none, Map.of("KUBECONFIG", dir.resolve("missing").toString()), dir.resolve("no-home-config")))
                .isInstanceOf(AdapterException.class).hasMessageContaining("KUBECONFIG");
    }

    @Test
    void unknownModeIsRejected() {
        AdapterSettings settings = new AdapterSettings("t1", Map.of("testbed.kubernetes", "minikube"));
        assertThatThrownBy(() -> Orchestrators.open("kubernetes", settings))
                .isInstanceOf(AdapterException.class).hasMessageContaining("testbed.kubernetes").hasMessageContaining("k3s");
    }

    @Test
    void k3sWithoutTheTestcontainersModuleSaysWhatIsMissing() {
        AdapterSettings settings = new AdapterSettings("t1", Map.of("testbed.kubernetes", "k3s"));
        assertThatThrownBy(() -> Orchestrators.open("kubernetes", settings))
                .isInstanceOf(AdapterException.class).hasMessageContaining("k3s");
    }

    @Test
    void serverAnswersAreTranslated() {
        var unauthorized = new KubernetesClientException("Unauthorized", 401, new StatusBuilder().withMessage("Unauthorized").build());
        assertThat(KubernetesErrors.translate("listing nodes", unauthorized, "https://h:6443", "/k").getMessage())
                .contains("401").contains("expired").contains("/k");
        var forbidden = new KubernetesClientException("Forbidden", 403,
                new StatusBuilder().withMessage("namespaces is forbidden: User \"bob\" cannot create resource").build());
        assertThat(KubernetesErrors.translate("creating namespace co-x", forbidden, "https://h:6443", "/k").getMessage())
                .contains("forbidden while creating namespace co-x").contains("User \"bob\"").contains("testbed.kubernetes.namespace");
        var tls = new KubernetesClientException("boom", new SSLHandshakeException("PKIX path building failed"));
        assertThat(KubernetesErrors.translate("x", tls, "https://h:6443", "/k").getMessage()).contains("TLS").contains("certificate-authority");
        var refused = new KubernetesClientException("boom", new ConnectException("Connection refused"));
        assertThat(KubernetesErrors.translate("x", refused, "https://h:6443", "/k").getMessage()).contains("cannot reach");
        assertThat(KubernetesErrors.translate("x", refused, "https://h:6443", "/k").getCause()).isSameAs(refused);
    }
}
