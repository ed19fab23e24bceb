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
        assertThat(LocalTestbed.settings("kubernetes", file, Map.of("testbed.kubeconfig", "/home/me/.kube/config"), Map.of())).isEmpty();
        assertThat(LocalTestbed.settings("kubernetes", file, Map.of(), Map.of("KUBECONFIG", "/home/me/.kube/config"))).isEmpty();
        assertThat(LocalTestbed.settings("kubernetes", file, Map.of("testbed.kubeconfig", "/state/kubeconfig"), Map.of())).isNotEmpty();
    }

    @Test
    void aBareRunIsRefusedWhileAnotherCommandHoldsTheLock() throws Exception {
        Path lock = state.resolve("testbed.lock");
        // a live holder that is an infra/testbed process: a shell running a script named testbed
        Path script = Files.writeString(state.resolve("testbed"), "sleep 30\n");
        Process holder = new ProcessBuilder("sh", script.toString()).start();
        try {
            Files.writeString(lock, "pid=" + holder.pid() + "\ncommand=compare\nrunId=compare-1\nstarted=2026-11-29T05:00:00Z\n");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> LocalTestbed.refuseWhileLocked(lock, null))
                    .hasMessageContaining("another infra/testbed compare (pid " + holder.pid() + ", run compare-1");
            // infra/testbed's own Maven run carries the holder's pid: not refused
            LocalTestbed.refuseWhileLocked(lock, Long.toString(holder.pid()));
        } finally {
            holder.destroyForcibly();
        }
        // a dead or foreign pid holds nothing
        Files.writeString(lock, "pid=" + ProcessHandle.current().pid() + "\ncommand=test\n");
        LocalTestbed.refuseWhileLocked(lock, null);
    }

    @Test
    void noTestbedNoSettings() {
        assertThat(LocalTestbed.settings("swarm", Map.of(), Map.of("TESTBED_STATE_DIR", state.toString()))).isEmpty();
    }
}
