package org.computeops.orchestrators.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.computeops.orchestrators.spi.NodeInfo;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the per-submit checks remember of the swarm, and for how long (no engine: the reads are counted). */
class SwarmFactsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MS = 1_000_000L;

    private static JsonNode nodes(String... nodes) throws Exception {
        return JSON.readTree("[" + String.join(",", nodes) + "]");
    }

    private static String node(String id, boolean simulated, String gpuKind, int gpus) {
        String generic = gpuKind == null ? "[]"
                : "[{\"DiscreteResourceSpec\":{\"Kind\":\"" + gpuKind + "\",\"Value\":" + gpus + "}}]";
        return "{\"ID\":\"" + id + "\",\"Spec\":{\"Role\":\"worker\",\"Availability\":\"active\"},\"Status\":{\"State\":\"ready\"},"
                + "\"Description\":{\"Hostname\":\"" + id + "\",\"Engine\":{\"Labels\":"
                + (simulated ? "{\"computeops.io/node-kind\":\"simulated\"}" : "{}")
                + "},\"Resources\":{\"NanoCPUs\":2000000000,\"MemoryBytes\":1073741824,\"GenericResources\":" + generic + "}}}";
    }

    @Test
    void theNodeListIsReadOncePerPeriodAndAChangeIsSeenOnceItIsOver() throws Exception {
        AtomicLong clock = new AtomicLong(0);
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<JsonNode> list = new AtomicReference<>(nodes(node("real", false, null, 0)));
        SwarmFacts facts = new SwarmFacts(() -> {
            reads.incrementAndGet();
            return list.get();
        }, image -> true, null, 2_000, clock::get);

        for (int i = 0; i < 100; i++) assertThat(facts.nodes().infos()).noneMatch(NodeInfo::simulated);
        assertThat(reads).hasValue(1);

        list.set(nodes(node("real", false, null, 0), node("sim-1", true, "gpu", 2)));
        clock.set(1_999 * MS);
        assertThat(facts.nodes().infos()).as("still within the period").hasSize(1);
        clock.set(2_000 * MS);
        assertThat(facts.nodes().infos()).as("the period is over: read afresh").hasSize(2).anyMatch(NodeInfo::simulated);
        assertThat(facts.nodes().infos()).filteredOn(NodeInfo::simulated).extracting(NodeInfo::gpus).containsExactly(2);
        assertThat(reads).hasValue(2);
    }

    @Test
    void zeroReadsAtEveryCall() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger inspections = new AtomicInteger();
        JsonNode list = nodes(node("a", false, null, 0));
        SwarmFacts facts = new SwarmFacts(() -> {
            reads.incrementAndGet();
            return list;
        }, image -> inspections.incrementAndGet() > 0, null, 0, () -> 42L);
        facts.nodes();
        facts.nodes();
        facts.imagePresent("busybox");
        facts.imagePresent("busybox");
        assertThat(reads).hasValue(2);
        assertThat(inspections).hasValue(2);
    }

    @Test
    void anImageThatInspectedFineIsRememberedForThePeriodAMissingOneNever() {
        AtomicLong clock = new AtomicLong(0);
        Set<String> present = new HashSet<>(Set.of("busybox"));
        AtomicInteger inspections = new AtomicInteger();
        SwarmFacts facts = new SwarmFacts(() -> JSON.createArrayNode(), image -> {
            inspections.incrementAndGet();
            return present.contains(image);
        }, null, 2_000, clock::get);

        assertThat(facts.imagePresent("busybox")).isTrue();
        assertThat(facts.imagePresent("busybox")).isTrue();
        assertThat(inspections).as("remembered").hasValue(1);

        assertThat(facts.imagePresent("not-built")).isFalse();
        assertThat(facts.imagePresent("not-built")).isFalse();
        assertThat(inspections).as("a missing image is inspected every time").hasValue(3);
        present.add("not-built");
        assertThat(facts.imagePresent("not-built")).as("found as soon as it is built").isTrue();

        present.remove("busybox");
        clock.set(2_000 * MS);
        assertThat(facts.imagePresent("busybox")).as("removed: seen once the period is over").isFalse();
    }

    @Test
    void theGpuKindIsTheConfiguredOneOrTheFirstGpuKindAdvertisedOrGpu() throws Exception {
        JsonNode list = nodes(node("a", false, null, 0), node("b", true, "NVIDIA-GPU", 1));
        assertThat(SwarmFacts.parse(list, null).gpuKind()).isEqualTo("NVIDIA-GPU");
        assertThat(SwarmFacts.parse(list, "gpu").gpuKind()).isEqualTo("gpu");
        assertThat(SwarmFacts.parse(nodes(node("a", false, null, 0)), null).gpuKind()).isEqualTo("gpu");
        assertThat(SwarmFacts.parse(list, null).infos()).extracting(NodeInfo::gpus).containsExactly(0, 1);
    }

    @Test
    void aNegativePeriodIsRefused() {
        assertThatThrownBy(() -> new SwarmFacts(() -> JSON.createArrayNode(), image -> true, null, -1, () -> 0L))
                .hasMessageContaining("ttlMillis");
    }
}
