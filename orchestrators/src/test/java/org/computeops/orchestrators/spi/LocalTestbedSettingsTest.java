package org.computeops.orchestrators.spi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalTestbedSettingsTest {

    @TempDir
    Path state;

    @Test
    void stateDirAsTheScriptsChooseIt() {
        assertThat(LocalTestbedSettings.stateDir(Map.of("TESTBED_STATE_DIR", "/x"), "root", "/root")).isEqualTo(Path.of("/x"));
        assertThat(LocalTestbedSettings.stateDir(Map.of(), "root", "/root")).isEqualTo(Path.of("/var/lib/computeops-testbed"));
        assertThat(LocalTestbedSettings.stateDir(Map.of(), "ann", "/home/ann")).isEqualTo(Path.of("/home/ann/.local/state/computeops-testbed"));
        assertThat(LocalTestbedSettings.stateDir(Map.of("XDG_STATE_HOME", "/s"), "ann", "/home/ann")).isEqualTo(Path.of("/s/computeops-testbed"));
    }

    @Test
    void theFileIsReadTrimmedAndAbsentIsEmpty() throws Exception {
        Path file = LocalTestbedSettings.file(state, "slurm");
        assertThat(LocalTestbedSettings.load(file)).isEmpty();
        Files.createDirectories(file.getParent());
        Files.writeString(file, "# comment\ntestbed.slurm.url = http://127.0.0.1:6820  \n");
        assertThat(LocalTestbedSettings.load(file)).hasValue(Map.of("testbed.slurm.url", "http://127.0.0.1:6820"));
        Files.writeString(file, "testbed.x=\\u12\n");
        assertThatThrownBy(() -> LocalTestbedSettings.load(file)).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void anExplicitEndpointOrKubeconfigNamesAnotherCluster() {
        Map<String, String> local = Map.of("testbed.slurm.url", "http://127.0.0.1:6820", "testbed.kubeconfig", "/state/kubeconfig");
        assertThat(LocalTestbedSettings.otherCluster("slurm", Map.of(), local, Map.of())).isEmpty();
        assertThat(LocalTestbedSettings.otherCluster("slurm", Map.of("testbed.slurm.url", "http://127.0.0.1:6820"), local, Map.of())).isEmpty();
        assertThat(LocalTestbedSettings.otherCluster("slurm", Map.of("testbed.slurm.url", "http://site:6820"), local, Map.of()))
                .hasValue("testbed.slurm.url names another cluster");
        assertThat(LocalTestbedSettings.otherCluster("kubernetes", Map.of(), local, Map.of("KUBECONFIG", "/home/me/.kube/config")))
                .hasValue("KUBECONFIG names the cluster");
        assertThat(LocalTestbedSettings.otherCluster("slurm", Map.of(), local, Map.of("KUBECONFIG", "/home/me/.kube/config"))).isEmpty();
    }
}
