package org.computeops.orchestrators.swarm;

import org.computeops.orchestrators.spi.SchedulerCounters;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SwarmMetricsTest {

    /** Lines as the Docker 20.10.24 manager's --metrics-addr endpoint prints them (abridged). */
    private static final String ENDPOINT = """
            # HELP swarm_dispatcher_scheduling_delay_seconds Scheduling delay is the time a task takes to go from NEW to RUNNING state.
            # TYPE swarm_dispatcher_scheduling_delay_seconds histogram
            swarm_dispatcher_scheduling_delay_seconds_bucket{le="0.005"} 0
            swarm_dispatcher_scheduling_delay_seconds_bucket{le="+Inf"} 120
            swarm_dispatcher_scheduling_delay_seconds_sum 84.25
            swarm_dispatcher_scheduling_delay_seconds_count 120
            swarm_manager_tasks_total{state="running"} 40
            engine_daemon_container_actions_seconds_count{action="start"} 7
            """;

    @Test
    void theDispatchersRunningCountIsTheSchedulersCount() {
        SchedulerCounters c = SwarmMetrics.parse(ENDPOINT, Instant.EPOCH, "http://10.213.0.2:9323/metrics");
        assertThat(c.scheduled()).isEqualTo(120);
        assertThat(c.figures()).containsEntry("swarm_dispatcher_scheduling_delay_seconds_sum", 84.25)
                .containsEntry("swarm_manager_tasks_total{state=\"running\"}", 40.0)
                .doesNotContainKey("engine_daemon_container_actions_seconds_count{action=\"start\"}");
        assertThat(c.source()).contains("swarm_dispatcher_scheduling_delay_seconds_count", "RUNNING");
    }

    @Test
    void anEndpointWithoutTheHistogramIsNamed() {
        assertThatThrownBy(() -> SwarmMetrics.parse("engine_daemon_engine_info 1\n", Instant.EPOCH, "http://x/metrics"))
                .hasMessageContaining("has no swarm_dispatcher_scheduling_delay_seconds_count");
    }
}
