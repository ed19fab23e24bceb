package org.computeops.scenarios.harness;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioParametersTest {

    @Test
    void defaultsOverridesAndWhatWasUsed() {
        ScenarioParameters p = new ScenarioParameters(Map.of("scenario.latency.tasks", " 25 ", "testbed.swarm.host", "unix:///x"));
        assertThat(p.positiveInt("scenario.latency.tasks", 100)).isEqualTo(25);
        assertThat(p.positiveInt("scenario.throughput.tasks", 200)).isEqualTo(200);
        assertThat(p.used()).containsEntry("scenario.latency.tasks", "25").containsEntry("scenario.throughput.tasks", "200");
        assertThat(p.testbedSettings()).containsOnlyKeys("testbed.swarm.host");
        p.forgetUsed();
        assertThat(p.used()).isEmpty();
    }

    @Test
    void badValuesFailFastWithTheParameterName() {
        ScenarioParameters p = new ScenarioParameters(Map.of("scenario.latency.tasks", "0", "scenario.throughput.tasks", "lots",
                "testbed.maxErrorRate", "1.5"));
        assertThatThrownBy(() -> p.positiveInt("scenario.latency.tasks", 100)).hasMessage("parameter scenario.latency.tasks must be >= 1, was 0");
        assertThatThrownBy(() -> p.positiveInt("scenario.throughput.tasks", 200)).hasMessageContaining("scenario.throughput.tasks").hasMessageContaining("'lots'");
        assertThatThrownBy(() -> p.fraction("testbed.maxErrorRate", 0.1)).hasMessageContaining("testbed.maxErrorRate");
        ScenarioParameters rates = new ScenarioParameters(Map.of("scenario.load.rates", "5, 10", "bad.rates", "5,x", "zero.rates", "5,0"));
        assertThat(rates.positiveInts("scenario.load.rates", java.util.List.of(1))).containsExactly(5, 10);
        assertThat(rates.positiveInts("scenario.other", java.util.List.of(10, 20))).containsExactly(10, 20);
        assertThatThrownBy(() -> rates.positiveInts("bad.rates", java.util.List.of(1))).hasMessageContaining("bad.rates").hasMessageContaining("'5,x'");
        assertThatThrownBy(() -> rates.positiveInts("zero.rates", java.util.List.of(1))).hasMessageContaining("zero.rates");
    }
}
