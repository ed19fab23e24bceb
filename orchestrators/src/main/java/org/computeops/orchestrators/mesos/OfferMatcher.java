package org.computeops.orchestrators.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Carves task resources out of one offer. Amounts are kept in thousandths because Mesos keeps only
 * three decimals of scalar values; GPUs are whole devices only (a fraction makes TASK_ERROR).
 * Each slice copies the offered Resource (role, allocation_info, reservations) so the master
 * recognises it as part of the offer.
 */
public final class OfferMatcher {

    static final String CPUS = "cpus";
    static final String MEM = "mem";
    static final String GPUS = "gpus";

    /** What one task needs, in thousandths of cpus and of MB, and whole GPUs. */
    public record Demand(long milliCpus, long milliMem, int gpus) {
        public static Demand of(long cpuMillis, long memoryMiB, int gpus) {
            return new Demand(cpuMillis, memoryMiB * 1000, gpus);
        }

        public String describe() {
            return "cpus " + fmt(milliCpus) + ", mem " + fmt(milliMem) + " MB, gpus " + gpus;
        }
    }

    private final String offerId;
    private final String agentId;
    private final String hostname;
    private final Map<String, List<Entry>> byName = new LinkedHashMap<>();

    private static final class Entry {
        final JsonNode resource;
        long remaining;

        Entry(JsonNode resource, long amount) {
            this.resource = resource;
            this.remaining = amount;
        }
    }

    public OfferMatcher(JsonNode offer, String role) {
        // Offer.id per mesos.proto; docs/scheduler-http-api.md's example says "offer_id", so accept both.
        this.offerId = MesosCalls.value(offer.has("id") ? offer.path("id") : offer.path("offer_id"));
        this.agentId = MesosCalls.value(offer.path("agent_id"));
        this.hostname = offer.path("hostname").asText(agentId);
        for (JsonNode r : offer.path("resources")) {
            String name = r.path("name").asText();
            if (!name.equals(CPUS) && !name.equals(MEM) && !name.equals(GPUS)) continue;
            if (!"SCALAR".equals(r.path("type").asText("SCALAR")) || !r.path("scalar").has("value")) continue;
            if (r.has("revocable") || r.has("shared")) continue; // we never asked for these kinds
            String allocated = r.path("allocation_info").path("role").asText(null);
            if (allocated != null && role != null && !allocated.equals(role)) continue;
            double value = r.path("scalar").path("value").asDouble();
            long amount = name.equals(GPUS) ? (long) Math.floor(value) * 1000 : Math.round(value * 1000);
            if (amount > 0) byName.computeIfAbsent(name, k -> new ArrayList<>()).add(new Entry(r, amount));
        }
    }

    public String offerId() {
        return offerId;
    }

    public String agentId() {
        return agentId;
    }

    public String hostname() {
        return hostname;
    }

    public long available(String name) {
        return byName.getOrDefault(name, List.of()).stream().mapToLong(e -> e.remaining).sum();
    }

    /** Null when the demand fits what is left of this offer, else which resource is short, in words. */
    public String shortfall(Demand d) {
        List<String> short_ = new ArrayList<>();
        check(short_, CPUS, d.milliCpus(), "");
        check(short_, MEM, d.milliMem(), " MB");
        check(short_, GPUS, d.gpus() * 1000L, "");
        return short_.isEmpty() ? null : String.join(", ", short_) + " on " + hostname;
    }

    private void check(List<String> out, String name, long need, String unit) {
        long have = available(name);
        if (need > have) out.add(name + ": need " + fmt(need) + unit + ", offered " + fmt(have) + unit);
    }

    /** Takes the demand out of the offer and returns the Resource slices for TaskInfo.resources, or null if it does not fit. */
    public List<ObjectNode> take(Demand d) {
        if (shortfall(d) != null) return null;
        List<ObjectNode> slices = new ArrayList<>();
        takeFrom(CPUS, d.milliCpus(), slices);
        takeFrom(MEM, d.milliMem(), slices);
        takeFrom(GPUS, d.gpus() * 1000L, slices);
        return slices;
    }

    private void takeFrom(String name, long need, List<ObjectNode> slices) {
        for (Entry e : byName.getOrDefault(name, List.of())) {
            if (need == 0) return;
            long part = Math.min(need, e.remaining);
            if (part == 0) continue;
            ObjectNode slice = e.resource.deepCopy();
            slice.put("type", "SCALAR");
            slice.putObject("scalar").put("value", part / 1000.0);
            slices.add(slice);
            e.remaining -= part;
            need -= part;
        }
    }

    static String fmt(long thousandths) {
        if (thousandths % 1000 == 0) return Long.toString(thousandths / 1000);
        return Double.toString(thousandths / 1000.0);
    }
}
