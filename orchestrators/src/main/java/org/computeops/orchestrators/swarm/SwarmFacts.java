package org.computeops.orchestrators.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Remembered;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the per-submit checks need to know about the swarm, remembered for a short time
 * (testbed.swarm.factsMillis): the node list (readiness, simulated nodes, GPUs, the GPU kind) and
 * the images that inspected fine. Listing 1,000 nodes three times and inspecting the image twice per
 * submission held the harness to about 40 submissions/s at 1,000 simulated nodes. A node-list change
 * is seen once the remembered list is older than the time set; a missing image is never remembered,
 * so it is reported (and found once built) at every submission. describe() still reads afresh.
 */
final class SwarmFacts {

    /** The node list as read, parsed once. */
    record Nodes(List<NodeInfo> infos, String gpuKind) {
    }

    private final Predicate<String> imagePresent;
    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Long> imagesSeenAt = new ConcurrentHashMap<>();
    private final Remembered<Nodes> nodes;

    SwarmFacts(Supplier<JsonNode> listNodes, Predicate<String> imagePresent, String configuredGpuKind,
               long ttlMillis, LongSupplier nanoClock) {
        if (ttlMillis < 0) throw new IllegalArgumentException("ttlMillis must be >= 0, was " + ttlMillis);
        this.imagePresent = imagePresent;
        this.nodes = new Remembered<>(() -> parse(listNodes.get(), configuredGpuKind), ttlMillis, nanoClock);
        this.ttlNanos = ttlMillis * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    /** The remembered node list, read again when older than the time set (0: every call). */
    Nodes nodes() {
        return nodes.get();
    }

    /** True when the image inspected fine within the time set, else inspects it; absent images are not remembered. */
    boolean imagePresent(String image) {
        long now = nanoClock.getAsLong();
        Long seen = imagesSeenAt.get(image);
        if (seen != null && now - seen < ttlNanos) return true;
        boolean present = imagePresent.test(image);
        if (present) imagesSeenAt.put(image, now);
        else imagesSeenAt.remove(image);
        return present;
    }

    static Nodes parse(JsonNode list, String configuredGpuKind) {
        List<NodeInfo> infos = new ArrayList<>();
        String gpuKind = configuredGpuKind;
        for (JsonNode node : list) {
            infos.add(SwarmSpecs.nodeInfo(node, configuredGpuKind));
            if (gpuKind == null) {
                gpuKind = SwarmSpecs.gpusByKind(node).keySet().stream()
                        .filter(kind -> SwarmSpecs.isGpuKind(kind, null)).findFirst().orElse(null);
            }
        }
        return new Nodes(List.copyOf(infos), gpuKind == null ? "gpu" : gpuKind);
    }
}
