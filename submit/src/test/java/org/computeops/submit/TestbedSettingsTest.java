package org.computeops.submit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestbedSettingsTest {

    @TempDir
    Path state;
    Path local;

    @BeforeEach
    void localTestbed() throws Exception {
        Files.createDirectories(state.resolve("kubernetes"));
        local = state.resolve("kubernetes/testbed.properties");
        Files.writeString(local, "testbed.kubeconfig=/state/kubeconfig\ntestbed.kubernetes.nodeControl=/infra/node.sh\n");
    }

    @Test
    void theLocalTestbedsFileWhenNothingNamesAnotherCluster() {
        TestbedSettings s = TestbedSettings.resolve("kubernetes", Map.of(), Map.of(), state);
        assertThat(s.values()).containsEntry("testbed.kubeconfig", "/state/kubeconfig").containsEntry("testbed.kubernetes.nodeControl", "/infra/node.sh");
        assertThat(s.source()).isEqualTo(local.toString());
    }

    @Test
    void explicitSettingsWinKeyByKey() {
        TestbedSettings s = TestbedSettings.resolve("kubernetes", Map.of("testbed.kubernetes.nodeControl", "/site/node.sh"), Map.of(), state);
        assertThat(s.values()).containsEntry("testbed.kubeconfig", "/state/kubeconfig").containsEntry("testbed.kubernetes.nodeControl", "/site/node.sh");
        assertThat(s.source()).isEqualTo(local + " + 1 explicit setting(s)");
    }

    @Test
    void anotherClusterLeavesTheLocalFileOut() {
        // the local node-control program must not be used against a site's cluster
        TestbedSettings s = TestbedSettings.resolve("kubernetes", Map.of("testbed.kubeconfig", "/home/me/.kube/config"), Map.of(), state);
        assertThat(s.values()).containsOnly(Map.entry("testbed.kubeconfig", "/home/me/.kube/config"));
        assertThat(s.source()).isEqualTo("1 explicit setting(s); not the local testbed's, as testbed.kubeconfig names another cluster");
    }

    @Test
    void kubeconfigInTheEnvironmentLeavesTheLocalFileOut() {
        TestbedSettings s = TestbedSettings.resolve("kubernetes", Map.of(), Map.of("KUBECONFIG", "/home/me/.kube/config"), state);
        assertThat(s.values()).isEmpty();
        assertThat(s.source()).contains("KUBECONFIG names the cluster");
    }

    @Test
    void noLocalTestbedMeansTheAdaptersDefaults() {
        TestbedSettings s = TestbedSettings.resolve("swarm", Map.of(), Map.of(), state);
        assertThat(s.values()).isEmpty();
        assertThat(s.source()).isEqualTo("the adapter's defaults (there is no " + state.resolve("swarm/testbed.properties") + ")");
    }

    @Test
    void aParamsFileAsForMaven() throws Exception {
        Path params = state.resolve("site.properties");
        Files.writeString(params, "testbed.kubeconfig=/site/kubeconfig\ntestbed.kubernetes.context=prod\n");
        TestbedSettings s = TestbedSettings.resolve("kubernetes", Map.of("testbed.params", params.toString()), Map.of(), state);
        assertThat(s.values()).containsOnly(Map.entry("testbed.kubeconfig", "/site/kubeconfig"), Map.entry("testbed.kubernetes.context", "prod"));
        assertThatThrownBy(() -> TestbedSettings.resolve("kubernetes", Map.of("testbed.params", "/nope"), Map.of(), state))
                .isInstanceOf(BadInputException.class).hasMessage("testbed.params: cannot read the settings file '/nope'");
    }

    @Test
    void onlyTestbedKeys() {
        assertThatThrownBy(() -> TestbedSettings.resolve("slurm", Map.of("slurm.url", "x"), Map.of(), state))
                .isInstanceOf(BadInputException.class)
                .hasMessage("setting 'slurm.url' is not an adapter setting: they all start with 'testbed.' (e.g. --setting testbed.slurm.url=http://127.0.0.1:6820)");
    }
}
