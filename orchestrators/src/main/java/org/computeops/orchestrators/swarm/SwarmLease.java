package org.computeops.orchestrators.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import org.computeops.orchestrators.spi.AdapterException;
import org.computeops.orchestrators.spi.Labels;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A run's lease on a shared swarm: a small Swarm config {@code co-lease-RUN_ID} labelled with the
 * run id, whose labels are updated every {@code testbed.lease.renewSeconds}, so that the manager
 * stamps its {@code UpdatedAt}. Another run treats the objects of a run whose lease was renewed
 * within {@code testbed.lease.ttlSeconds} (on the manager's clock, so client clocks never matter)
 * as alive and leaves them alone.
 */
final class SwarmLease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SwarmLease.class);
    static final String PREFIX = "co-lease-";
    static final String LEASE_LABEL = "computeops.io/lease";

    private final SwarmEngine engine;
    private final String runId;
    private final String id;
    private final ScheduledExecutorService renewer;
    private volatile boolean renewFailing;
    private long renewals;

    SwarmLease(SwarmEngine engine, String runId, Duration renewEvery) {
        this.engine = engine;
        this.runId = runId;
        Map<String, Object> spec = spec(0);
        this.id = engine.post("/configs/create", spec).path("ID").asText();
        if (id.isEmpty()) throw new AdapterException("the Swarm manager did not create the lease config " + PREFIX + runId);
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "swarm-lease-" + runId);
            t.setDaemon(true);
            return t;
        });
        renewer.scheduleWithFixedDelay(this::renew, renewEvery.toMillis(), renewEvery.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("holding lease {} on the swarm, renewed every {} s", PREFIX + runId, renewEvery.toSeconds());
    }

    private Map<String, Object> spec(long renewal) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.RUN_ID, runId);
        labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
        labels.put(LEASE_LABEL, Long.toString(renewal));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("Name", PREFIX + runId);
        spec.put("Labels", labels);
        spec.put("Data", Base64.getEncoder().encodeToString(("lease of computeops run " + runId).getBytes(StandardCharsets.UTF_8)));
        return spec;
    }

    private void renew() {
        try {
            long version = engine.get("/configs/" + id).path("Version").path("Index").asLong();
            engine.post("/configs/" + id + "/update?version=" + version, spec(++renewals));
            if (renewFailing) LOG.warn("lease {} renewed again", PREFIX + runId);
            renewFailing = false;
        } catch (RuntimeException e) {
            if (!renewFailing) LOG.warn("renewing lease {} failed (logged again when it works): {}", PREFIX + runId, e.getMessage());
            renewFailing = true;
        }
    }

    /** The run ids whose lease the manager saw renewed within {@code ttl}, and the ids of expired lease configs. */
    static Leases read(SwarmEngine engine, Duration ttl) {
        Instant managerNow = managerNow(engine);
        String filters = URLEncoder.encode("{\"label\":[\"" + LEASE_LABEL + "\"]}", StandardCharsets.UTF_8);
        Map<String, Instant> live = new HashMap<>();
        Map<String, String> expired = new HashMap<>();
        for (JsonNode config : engine.get("/configs?filters=" + filters)) {
            String owner = config.path("Spec").path("Labels").path(Labels.RUN_ID).asText();
            Instant updated = Instant.parse(config.path("UpdatedAt").asText());
            if (Duration.between(updated, managerNow).compareTo(ttl) <= 0) live.put(owner, updated);
            else expired.put(owner, config.path("ID").asText());
        }
        return new Leases(managerNow, live, expired);
    }

    /** The manager's own clock (its SystemTime), so that ages compare with its timestamps. */
    static Instant managerNow(SwarmEngine engine) {
        String time = engine.get("/info").path("SystemTime").asText();
        return time.isEmpty() ? Instant.now() : java.time.OffsetDateTime.parse(time).toInstant();
    }

    record Leases(Instant managerNow, Map<String, Instant> live, Map<String, String> expired) {
    }

    @Override
    public void close() {
        renewer.shutdownNow();
        try {
            engine.delete("/configs/" + id);
        } catch (RuntimeException e) {
            LOG.warn("could not remove lease {} (it expires by itself): {}", PREFIX + runId, e.getMessage());
        }
    }
}
