package org.computeops.orchestrators.kubernetes;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The lean watch's line reader, on watch lines shaped as the API server sends them. */
class PodReceiptsTest {

    private static PodReceipts.Line parse(String json) throws Exception {
        return PodReceipts.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsNameAndVersionAndSkipsEverythingElse() throws Exception {
        PodReceipts.Line l = parse("{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\","
                + "\"metadata\":{\"name\":\"latency-x\",\"labels\":{\"name\":\"not-this\"},\"resourceVersion\":\"4711\","
                + "\"managedFields\":[{\"fieldsV1\":{\"f:spec\":{\"f:nodeName\":{}}}}]},"
                + "\"spec\":{\"containers\":[{\"name\":\"task\",\"nodeName\":\"not-this\"}],\"nodeName\":\"co-k8s-1\"},"
                + "\"status\":{\"phase\":\"Pending\",\"nominatedNodeName\":\"not-this\"}}}");
        assertThat(l).isEqualTo(new PodReceipts.Line("MODIFIED", "latency-x", "4711"));
    }

    @Test
    void anErrorLineIsTypedAndAnEmptyLineIsNothing() throws Exception {
        assertThat(parse("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410}}").type()).isEqualTo("ERROR");
        assertThat(parse("")).isNull();
    }
}
