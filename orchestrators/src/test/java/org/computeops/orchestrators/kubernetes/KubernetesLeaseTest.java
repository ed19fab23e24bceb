package org.computeops.orchestrators.kubernetes;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.computeops.orchestrators.spi.Labels;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Leases on a shared cluster, against fabric8's mock API server in CRUD mode (a fake, test
 * sources only; the integrator runs it live): a run's Lease is created and renewed, a live Lease
 * protects its run's objects, an expired one is removed and protects nothing, young objects are spared.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesLeaseTest {

    static KubernetesClient client;

    @Test
    void aRunHoldsARenewedLeaseAndReleasesIt() {
        try (KubernetesLease lease = new KubernetesLease(client, "run-a", Duration.ofSeconds(5), Duration.ofSeconds(30))) {
            var held = client.leases().inNamespace(KubernetesLease.NAMESPACE).withName("run-run-a").get();
            assertThat(held.getSpec().getHolderIdentity()).isEqualTo("run-a");
            assertThat(held.getMetadata().getLabels()).containsEntry(Labels.RUN_ID, "run-a");
            var first = held.getSpec().getRenewTime();
            sleep(20);
            lease.renew();
            assertThat(client.leases().inNamespace(KubernetesLease.NAMESPACE).withName("run-run-a").get().getSpec().getRenewTime())
                    .isAfter(first);
            assertThat(KubernetesLease.live(client, Instant.now(), "other")).containsKey("run-a");
        }
        assertThat(client.leases().inNamespace(KubernetesLease.NAMESPACE).withName("run-run-a").get()).isNull();
    }

    @Test
    void aLongDeclaredDurationIsCutToTheObserversTtl() {
        Instant now = Instant.now();
        lease("crashed", now.minusSeconds(20), 7200);
        assertThat(KubernetesLease.live(client, now, "me", Duration.ofSeconds(12))).doesNotContainKey("crashed");
    }

    @Test
    void anExpiredLeaseIsRemovedAndProtectsNothing() {
        Instant now = Instant.now();
        lease("live", now.minusSeconds(10), 30);
        lease("dead", now.minusSeconds(100), 30);
        Map<String, Instant> live = KubernetesLease.live(client, now, "me");
        assertThat(live).containsKey("live").doesNotContainKey("dead");
        assertThat(client.leases().inNamespace(KubernetesLease.NAMESPACE).withName("run-dead").get()).isNull();

        Duration minAge = Duration.ofSeconds(120);
        assertThat(KubernetesOrchestrator.removable(namespace("live", now.minusSeconds(3600)), live, now, minAge, "me"))
                .as("another run's namespace while it holds a live Lease").isFalse();
        assertThat(KubernetesOrchestrator.removable(namespace("dead", now.minusSeconds(3600)), live, now, minAge, "me"))
                .as("an old namespace of a run without a live Lease").isTrue();
        assertThat(KubernetesOrchestrator.removable(namespace("dead", now.minusSeconds(30)), live, now, minAge, "me"))
                .as("a namespace younger than testbed.leftovers.minAgeSeconds").isFalse();
        assertThat(KubernetesOrchestrator.removable(namespace("me", now.minusSeconds(3600)), live, now, minAge, "me"))
                .as("the run's own namespace").isFalse();
    }

    private static void lease(String runId, Instant renewed, int seconds) {
        if (client.namespaces().withName(KubernetesLease.NAMESPACE).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(KubernetesLease.NAMESPACE).endMetadata().build()).create();
        }
        client.leases().inNamespace(KubernetesLease.NAMESPACE).resource(new LeaseBuilder().withNewMetadata().withName("run-" + runId)
                .addToLabels(Labels.RUN_ID, runId).endMetadata().withNewSpec().withHolderIdentity(runId)
                .withLeaseDurationSeconds(seconds).withRenewTime(renewed.atZone(ZoneOffset.UTC)).endSpec().build()).create();
    }

    private static Namespace namespace(String runId, Instant created) {
        return new NamespaceBuilder().withNewMetadata().withName("co-" + runId).addToLabels(Labels.RUN_ID, runId)
                .withCreationTimestamp(DateTimeFormatter.ISO_INSTANT.format(created)).endMetadata().build();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
