package org.computeops.orchestrators.swarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.computeops.orchestrators.spi.HarnessProbe;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SwarmHarnessProbeTest {

    private static ObjectNode spec() {
        ObjectNode spec = new ObjectMapper().createObjectNode().put("Name", "co-run-1-probe");
        spec.putObject("TaskTemplate").putObject("ContainerSpec").put("Image", "computeops/batch:1.0");
        return spec;
    }

    @Test
    void replayedTaskListsGoThroughThePollerAsLiveOnes() {
        SwarmHarnessProbe probe = new SwarmHarnessProbe(null, null, spec());
        // 2 cycles of 4 lists of 1000 tasks (pending, assigned, running, complete): every task created,
        // then scheduled, running and succeeded, each a task event
        long events = probe.replayObserver(8 * SwarmHarnessProbe.LIST_TASKS);
        assertThat(events).isEqualTo(2L * SwarmHarnessProbe.LIST_TASKS * 4);
    }

    @Test
    void theRefusedSpecHasNoImageAndTheAdaptersSpecIsUntouched() {
        ObjectNode spec = spec();
        new SwarmHarnessProbe(null, null, spec);
        assertThat(spec.path("TaskTemplate").path("ContainerSpec").path("Image").asText()).isEqualTo("computeops/batch:1.0");
        assertThat(new SwarmHarnessProbe(null, null, spec).serverCpu()).as("no metrics endpoint: no reading").isEmpty();
    }

    @Test
    void processCpuSecondsIsReadFromTheExposition() {
        assertThat(HarnessProbe.processCpuSeconds("# HELP x\nprocess_cpu_seconds_total 11.29\ngo_goroutines 3\n")).contains(11.29);
        assertThat(HarnessProbe.processCpuSeconds("process_cpu_seconds_total_x 1\n")).isEmpty();
    }
}
