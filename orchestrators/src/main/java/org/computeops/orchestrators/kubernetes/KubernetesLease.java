package org.computeops.orchestrators.kubernetes;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.computeops.orchestrators.spi.Labels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A run's lease on a shared cluster: a coordination.k8s.io Lease {@code run-RUN_ID} in our own
 * namespace {@value #NAMESPACE}, its renewTime updated every {@code testbed.lease.renewSeconds}.
 * Another run leaves the namespaces of a run whose lease is live alone ({@link #live}).
 */
final class KubernetesLease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesLease.class);
    static final String NAMESPACE = "computeops-leases";

    private final KubernetesClient client;
    private final String name;
    private final ScheduledExecutorService renewer;
    private volatile boolean renewFailing;

    KubernetesLease(KubernetesClient client, String runId, Duration renewEvery, Duration ttl) {
        this.client = client;
        this.name = "run-" + runId;
        if (client.namespaces().withName(NAMESPACE).get() == null) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE)
                    .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).endMetadata().build()).createOr(n -> n.update());
        }
        client.leases().inNamespace(NAMESPACE).resource(new LeaseBuilder().withNewMetadata().withName(name)
                .addToLabels(Labels.RUN_ID, runId).addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE).endMetadata()
                .withNewSpec().withHolderIdentity(runId).withLeaseDurationSeconds((int) ttl.toSeconds())
                .withAcquireTime(now()).withRenewTime(now()).endSpec().build()).createOr(n -> n.update());
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kubernetes-lease-" + runId);
            t.setDaemon(true);
            return t;
        });
        renewer.scheduleWithFixedDelay(this::renew, renewEvery.toMillis(), renewEvery.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("holding Lease {}/{}, renewed every {} s", NAMESPACE, name, renewEvery.toSeconds());
    }

    private static ZonedDateTime now() {
        return ZonedDateTime.now(ZoneOffset.UTC);
    }

    void renew() {
        try {
            client.leases().inNamespace(NAMESPACE).withName(name).edit(l -> new LeaseBuilder(l).editSpec().withRenewTime(now()).endSpec().build());
            if (renewFailing) LOG.warn("Lease {} renewed again", name);
            renewFailing = false;
        } catch (RuntimeException e) {
            if (!renewFailing) LOG.warn("renewing Lease {} failed (logged again when it works): {}", name, e.getMessage());
            renewFailing = true;
        }
    }

    /**
     * Run id to lease, for leases renewed within their own duration as of {@code now}; expired
     * leases are deleted (they protect nothing). No lease namespace yet: none.
     */
    static Map<String, Instant> live(KubernetesClient client, Instant now, String ownRunId) {
        return live(client, now, ownRunId, null);
    }

    /**
     * The same, judging a Lease dead after the shorter of its own duration and {@code ttl} (this
     * run's {@code testbed.lease.ttlSeconds}), as on Swarm: a run that crashed with a long
     * declared duration does not keep its leftovers for that long.
     */
    static Map<String, Instant> live(KubernetesClient client, Instant now, String ownRunId, Duration ttl) {
        Map<String, Instant> live = new HashMap<>();
        if (client.namespaces().withName(NAMESPACE).get() == null) return live;
        for (Lease lease : client.leases().inNamespace(NAMESPACE).withLabel(Labels.RUN_ID).list().getItems()) {
            String owner = lease.getMetadata().getLabels().get(Labels.RUN_ID);
            ZonedDateTime renewed = lease.getSpec().getRenewTime();
            Integer seconds = lease.getSpec().getLeaseDurationSeconds();
            Instant renewedAt = renewed == null ? Instant.EPOCH : renewed.toInstant();
            if (ttl != null) seconds = seconds == null ? (int) ttl.toSeconds() : (int) Math.min(seconds, ttl.toSeconds());
            if (seconds != null && renewedAt.plusSeconds(seconds).isAfter(now)) {
                live.put(owner, renewedAt);
            } else if (!ownRunId.equals(owner)) {
                LOG.info("removing the expired Lease of run {}", owner);
                client.leases().inNamespace(NAMESPACE).withName(lease.getMetadata().getName()).delete();
            }
        }
        return live;
    }

    @Override
    public void close() {
        renewer.shutdownNow();
        try {
            client.leases().inNamespace(NAMESPACE).withName(name).delete();
        } catch (RuntimeException e) {
            LOG.warn("could not remove Lease {} (it expires by itself): {}", name, e.getMessage());
        }
    }
}
