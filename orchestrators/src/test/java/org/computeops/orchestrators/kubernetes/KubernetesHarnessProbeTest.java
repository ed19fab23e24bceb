package org.computeops.orchestrators.kubernetes;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KubernetesHarnessProbeTest {

    @Test
    void replayedPodVersionsBecomeTaskEvents() {
        KubernetesHarnessProbe probe = new KubernetesHarnessProbe(null, "ns", "run-1");
        // 100 pods x 4 versions (pending, bound, running, succeeded): at least created, scheduled, running, succeeded each
        assertThat(probe.replayObserver(400)).isGreaterThanOrEqualTo(400);
    }
}
