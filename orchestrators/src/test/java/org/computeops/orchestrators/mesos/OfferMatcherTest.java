package org.computeops.orchestrators.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OfferMatcherTest {

    static JsonNode offer(String resourcesJson) throws Exception {
        return new ObjectMapper().readTree("{\"id\":{\"value\":\"o1\"},\"agent_id\":{\"value\":\"a1\"},\"hostname\":\"h1\",\"resources\":"
                + resourcesJson + "}");
    }

    @Test
    void usesOnlyUnrevocableScalarCpusMemGpusOfOurRole() throws Exception {
        OfferMatcher m = new OfferMatcher(offer("""
                [{"name":"cpus","type":"SCALAR","scalar":{"value":2},"allocation_info":{"role":"physics"}},
                 {"name":"cpus","type":"SCALAR","scalar":{"value":8},"allocation_info":{"role":"other"}},
                 {"name":"cpus","type":"SCALAR","scalar":{"value":4},"revocable":{},"allocation_info":{"role":"physics"}},
                 {"name":"mem","type":"SCALAR","scalar":{"value":1024.5},"allocation_info":{"role":"physics"}},
                 {"name":"disk","type":"SCALAR","scalar":{"value":9000}},
                 {"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":32000}]}},
                 {"name":"gpus","type":"SCALAR","scalar":{"value":1.9}},
                 {"name":"gpus","type":"SCALAR"}]"""), "physics");
        assertThat(m.available("cpus")).isEqualTo(2000);
        assertThat(m.available("mem")).isEqualTo(1_024_500);
        assertThat(m.available("gpus")).isEqualTo(1000);
        assertThat(m.offerId()).isEqualTo("o1");
        assertThat(m.agentId()).isEqualTo("a1");
        assertThat(m.hostname()).isEqualTo("h1");
    }

    @Test
    void takesAcrossReservedAndUnreservedEntriesKeepingEachEntrysRoleFields() throws Exception {
        OfferMatcher m = new OfferMatcher(offer("""
                [{"name":"cpus","type":"SCALAR","scalar":{"value":0.5},"role":"physics","reservation":{"principal":"p"}},
                 {"name":"cpus","type":"SCALAR","scalar":{"value":1.0},"role":"*"},
                 {"name":"mem","type":"SCALAR","scalar":{"value":256},"role":"*"}]"""), null);
        List<ObjectNode> slices = m.take(OfferMatcher.Demand.of(1200, 100, 0));
        assertThat(slices).hasSize(3);
        assertThat(slices.get(0).path("role").asText()).isEqualTo("physics");
        assertThat(slices.get(0).has("reservation")).isTrue();
        assertThat(slices.get(0).path("scalar").path("value").asDouble()).isEqualTo(0.5);
        assertThat(slices.get(1).path("role").asText()).isEqualTo("*");
        assertThat(slices.get(1).path("scalar").path("value").asDouble()).isEqualTo(0.7);
        assertThat(slices.get(2).path("scalar").path("value").asDouble()).isEqualTo(100.0);
        assertThat(m.available("cpus")).isEqualTo(300);
        assertThat(m.take(OfferMatcher.Demand.of(400, 1, 0))).isNull();
        assertThat(m.shortfall(OfferMatcher.Demand.of(400, 200, 1)))
                .isEqualTo("cpus: need 0.4, offered 0.3, mem: need 200 MB, offered 156 MB, gpus: need 1, offered 0 on h1");
    }

    @Test
    void scalarsKeepThreeDecimalsLikeMesos() throws Exception {
        OfferMatcher m = new OfferMatcher(offer("""
                [{"name":"cpus","type":"SCALAR","scalar":{"value":0.30000000000000004}},
                 {"name":"mem","type":"SCALAR","scalar":{"value":64}}]"""), "*");
        assertThat(m.take(OfferMatcher.Demand.of(100, 32, 0))).isNotNull();
        assertThat(m.take(OfferMatcher.Demand.of(100, 16, 0))).isNotNull();
        List<ObjectNode> last = m.take(OfferMatcher.Demand.of(100, 16, 0));
        assertThat(last).isNotNull();
        assertThat(last.get(0).path("scalar").path("value").asDouble()).isEqualTo(0.1);
        assertThat(m.available("cpus")).isZero();
        assertThat(OfferMatcher.Demand.of(1500, 2, 1).describe()).isEqualTo("cpus 1.5, mem 2 MB, gpus 1");
    }

    @Test
    void offerWithoutHostnameFallsBackToTheAgentId() throws Exception {
        JsonNode o = new ObjectMapper().readTree("{\"offer_id\":{\"value\":\"o2\"},\"agent_id\":{\"value\":\"a9\"},\"resources\":[]}");
        OfferMatcher m = new OfferMatcher(o, "*");
        assertThat(m.offerId()).as("the docs' example spelling").isEqualTo("o2");
        assertThat(m.hostname()).isEqualTo("a9");
        assertThat(m.shortfall(OfferMatcher.Demand.of(100, 32, 0))).contains("cpus: need 0.1, offered 0").endsWith("on a9");
    }
}
