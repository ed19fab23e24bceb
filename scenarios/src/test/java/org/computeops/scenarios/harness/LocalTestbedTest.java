package org.computeops.scenarios.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LocalTestbedTest {

    @TempDir
    Path state;

    private Path settings() throws Exception {
        Path file = Files.createDirectories(state.resolve("kubernetes")).resolve("testbed.properties");
        Files.writeString(file, "testbed.kubeconfig=/state/kubeconfig\ntestbed.kubernetes.nodeControl=/infra/node.sh\n");
        return file;
    }

    @Test
    void aBareRunAgainstTheLocalTestbedGetsItsSettings() throws Exception {
        settings();
        assertThat(LocalTestbed.settings("kubernetes", Map.of(), Map.of("TESTBED_STATE_DIR", state.toString())))
                .containsEntry("testbed.kubernetes.nodeControl", "/infra/node.sh");
    }

    @Test
    void aRunAgainstAnotherClusterNeverGetsTheLocalNodeControl() throws Exception {
        Path file = settings();
        assertThat(LocalTestbed.settings(file, Map.of("testbed.kubeconfig", "/home/me/.kube/config"), null)).isEmpty();
        assertThat(LocalTestbed.settings(file, Map.of(), "/home/me/.kube/config")).isEmpty();
        assertThat(LocalTestbed.settings(file, Map.of("testbed.kubeconfig", "/state/kubeconfig"), null)).isNotEmpty();
    }

    @Test
    void noTestbedNoSettings() {
        assertThat(LocalTestbed.settings("swarm", Map.of(), Map.of("TESTBED_STATE_DIR", state.toString()))).isEmpty();
    }
}
