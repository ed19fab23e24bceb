package org.computeops.orchestrators.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.computeops.orchestrators.spi.BatchJob;
import org.computeops.orchestrators.spi.NodeInfo;
import org.computeops.orchestrators.spi.Phase;
import org.computeops.orchestrators.spi.Placement;
import org.computeops.orchestrators.spi.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SlurmJobsTest {

    static JsonNode json(String text) throws Exception {
        return SlurmRest.MAPPER.readTree(text);
    }

    @Test
    void arrayBodyCarriesRunIdResourcesGpusAndTheBundle() {
        BatchJob job = new BatchJob("gpu1", "computeops/batch:1.0", List.of("sh", "-c", "sleep 5"), 6, 2,
                new Resources(1500, 256, 2), Placement.ANY);
        ObjectNode body = SlurmJobs.submitBody("run-1", job, "main", Path.of("/b/computeops_batch_1.0"), Path.of("/w"),
                SlurmJobs.arrayExpression(job), 60, 100);
        JsonNode j = body.get("job");
        assertThat(j.get("name").asText()).isEqualTo("co-run-1-gpu1");
        assertThat(j.get("comment").asText()).isEqualTo("computeops.io/run-id=run-1 computeops.io/workload=gpu1");
        assertThat(j.get("array").asText()).isEqualTo("0-5%2");
        assertThat(j.get("gres").asText()).isEqualTo("gpu:2");
        assertThat(j.get("cpus_per_task").asInt()).isEqualTo(2);
        assertThat(j.get("memory_per_node").asLong()).isEqualTo(256);
        assertThat(j.get("container").asText()).isEqualTo("/b/computeops_batch_1.0");
        assertThat(j.get("standard_output").asText()).isEqualTo("/w/co-run-1-gpu1-%A_%a.out");
        assertThat(j.get("environment").isObject()).as("v0.0.38 wants environment as an object").isTrue();
        assertThat(j.get("partition").asText()).isEqualTo("main");
        assertThat(j.get("time_limit").asLong()).isEqualTo(60);
        assertThat(body.get("script").asText()).isEqualTo("#!/bin/sh\nexec 'sh' '-c' 'sleep 5'\n");
    }

    @Test
    void plainJobWithoutResourcesGetsOneCpuTheDefaultMemoryNoGresNoArray() {
        BatchJob job = new BatchJob("burst", "computeops/batch:1.0", List.of("true"), 3, 3, Resources.NONE, Placement.ANY);
        JsonNode j = SlurmJobs.submitBody("r", job, "main", Path.of("/b"), null, null, 5, 100).get("job");
        assertThat(j.get("cpus_per_task").asInt()).isEqualTo(1);
        assertThat(j.get("memory_per_node").asLong()).isEqualTo(100);
        assertThat(j.has("gres")).isFalse();
        assertThat(j.has("array")).isFalse();
        assertThat(j.get("standard_output").asText()).isEqualTo("/dev/null");
        assertThat(SlurmJobs.arrayExpression(job)).isEqualTo("0-2");
    }

    @Test
    void scriptQuotesEveryArgumentForTheShell() {
        assertThat(SlurmJobs.script(List.of("echo", "it's", "$HOME; rm -rf /")))
                .isEqualTo("#!/bin/sh\nexec 'echo' 'it'\\''s' '$HOME; rm -rf /'\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2-3|2,3",
            "5-9%5|5,6,7,8,9",
            "1,3,7-11:2|1,3,7,9,11",
            "0|0"})
    void arrayTaskStringsExpandToTheirIndices(String expression, String indices) {
        List<Integer> expected = java.util.Arrays.stream(indices.split(",")).map(Integer::valueOf).toList();
        assertThat(SlurmJobs.arrayIndices(expression)).isEqualTo(expected);
    }

    @Test
    void emptyArrayTaskStringHasNoIndices() {
        assertThat(SlurmJobs.arrayIndices("")).isEmpty();
        assertThat(SlurmJobs.arrayIndices(null)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "PENDING,CREATED", "REQUEUE_HOLD,CREATED", "CONFIGURING,SCHEDULED", "RUNNING,RUNNING", "SUSPENDED,RUNNING",
            "COMPLETED,SUCCEEDED", "FAILED,FAILED", "TIMEOUT,FAILED", "OUT_OF_MEMORY,FAILED", "BOOT_FAIL,FAILED",
            "CANCELLED,LOST", "NODE_FAIL,LOST", "PREEMPTED,LOST"})
    void jobStatesMapToPhases(String state, Phase phase) {
        assertThat(SlurmJobs.phaseOf(state)).isEqualTo(phase);
    }

    @Test
    void completingAndRequeuedSayNothingNew() {
        assertThat(SlurmJobs.phaseOf("COMPLETING")).isNull();
        assertThat(SlurmJobs.phaseOf("REQUEUED")).isNull();
        assertThat(SlurmJobs.phaseOf(null)).isNull();
    }

    @Test
    void runIdIsReadBackFromTheComment() throws Exception {
        assertThat(SlurmJobs.runIdOf(json("{\"comment\":\"computeops.io/run-id=abc-1 computeops.io/workload=x\"}"))).isEqualTo("abc-1");
        assertThat(SlurmJobs.runIdOf(json("{\"comment\":\"someone else's job\"}"))).isNull();
        assertThat(SlurmJobs.runIdOf(json("{}"))).isNull();
    }

    @Test
    void bundleNameReplacesWhatAFolderNameShouldNotHold() {
        assertThat(SlurmJobs.bundleName("computeops/batch:1.0")).isEqualTo("computeops_batch_1.0");
        assertThat(SlurmJobs.bundleName("reg.example:5000/a/b@sha256:ff")).isEqualTo("reg.example_5000_a_b_sha256_ff");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"gpu:2|2", "gpu:tesla:4(S:0)|4", "gpu:a100:2,gpu:v100:1|3", "(null)|0", "|0", "mps:100|0"})
    void gpusAreCountedFromTheGres(String gres, int gpus) {
        assertThat(SlurmJobs.gpus(gres)).isEqualTo(gpus);
    }

    @Test
    void nodeInfoFromARecordedV0038Node() throws Exception {
        // a node record as slurmrestd 22.05.8 gave it on the local testbed (trimmed)
        NodeInfo node = SlurmJobs.nodeInfo(json("""
                {"name":"co-slgpu","address":"10.231.0.5","state":"idle","state_flags":[],"cpus":8,"real_memory":4000,
                 "gres":"gpu:2","partitions":["main"],"reason":""}"""));
        assertThat(node.name()).isEqualTo("co-slgpu");
        assertThat(node.id()).isEqualTo("co-slgpu");
        assertThat(node.ready()).isTrue();
        assertThat(node.simulated()).isFalse();
        assertThat(node.cpuMillis()).isEqualTo(8000);
        assertThat(node.memoryMiB()).isEqualTo(4000);
        assertThat(node.gpus()).isEqualTo(2);
        assertThat(node.labels()).containsEntry("slurm.state", "idle").containsEntry("slurm.partitions", "main");
    }

    @Test
    void downOrNotRespondingNodesAreNotReady() throws Exception {
        assertThat(SlurmJobs.ready(json("{\"state\":\"down\",\"state_flags\":[]}"))).isFalse();
        assertThat(SlurmJobs.ready(json("{\"state\":\"idle\",\"state_flags\":[\"NOT_RESPONDING\"]}"))).isFalse();
        assertThat(SlurmJobs.ready(json("{\"state\":\"mixed\",\"state_flags\":[\"DRAIN\"]}"))).isFalse();
        assertThat(SlurmJobs.ready(json("{\"state\":\"allocated\",\"state_flags\":[]}"))).isTrue();
    }

    @Test
    void epochZeroIsNotATime() throws Exception {
        assertThat(SlurmJobs.epoch(json("0"))).isNull();
        assertThat(SlurmJobs.epoch(null)).isNull();
        assertThat(SlurmJobs.epoch(json("1795925931"))).isEqualTo(Instant.ofEpochSecond(1795925931));
    }

    @Test
    void theHighPartitionMustShareTheNodesAndHaveAHigherPriorityTier() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var main = mapper.readTree("{\"name\":\"main\",\"nodes\":\"co-sl[1-2],co-slgpu\",\"priority_tier\":1}");
        assertThat(SlurmJobs.priorityTierProblem(main, mapper.readTree("{\"name\":\"high\",\"nodes\":\"co-sl[1-2],co-slgpu\",\"priority_tier\":2}")))
                .isNull();
        assertThat(SlurmJobs.priorityTierProblem(main, mapper.readTree("{\"name\":\"high\",\"nodes\":\"co-sl[1-2],co-slgpu\",\"priority_tier\":1}")))
                .contains("PriorityTier 1, not above 'main' (1)");
        assertThat(SlurmJobs.priorityTierProblem(main, mapper.readTree("{\"name\":\"high\",\"nodes\":\"co-slgpu\",\"priority_tier\":5}")))
                .contains("not the same as 'main'");
    }

    @Test
    void anotherRunsJobIsALeftoverOnlyOnceOldEnough() throws Exception {
        Instant now = Instant.parse("2026-11-29T10:00:00Z");
        String other = "{\"comment\":\"computeops.io/run-id=run-old computeops.io/workload=w\",\"submit_time\":%d}";
        java.time.Duration minAge = java.time.Duration.ofSeconds(120);
        assertThat(SlurmJobs.isLeftover(json(other.formatted(now.getEpochSecond() - 121)), "run-me", now, minAge)).isTrue();
        assertThat(SlurmJobs.isLeftover(json(other.formatted(now.getEpochSecond() - 120)), "run-me", now, minAge)).isTrue();
        assertThat(SlurmJobs.isLeftover(json(other.formatted(now.getEpochSecond() - 30)), "run-me", now, minAge))
                .as("a run that may be starting now").isFalse();
        assertThat(SlurmJobs.isLeftover(json(other.formatted(0)), "run-me", now, minAge)).as("no submit time: old").isTrue();
        assertThat(SlurmJobs.isLeftover(json(other.formatted(now.getEpochSecond() - 500)), "run-old", now, minAge)).as("its own").isFalse();
        assertThat(SlurmJobs.isLeftover(json("{\"comment\":\"\",\"submit_time\":1}"), "run-me", now, minAge))
                .as("not a job of this testbed").isFalse();
    }
}
