package org.computeops.scenarios.harness;

import io.qameta.allure.model.Label;
import io.qameta.allure.model.TestResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class RunAllureListenerTest {

    private static TestResult junitResult() {
        return new TestResult().setName("Scheduling latency").setFullName("org.computeops.scenarios.SchedulingLatencyScenario.schedulingLatency")
                .setLabels(new ArrayList<>(List.of(new Label().setName("suite").setValue("org.computeops.scenarios.SchedulingLatencyScenario"),
                        new Label().setName("framework").setValue("junit-platform"))));
    }

    private static Map<String, String> labels(TestResult r) {
        return r.getLabels().stream().collect(Collectors.toMap(Label::getName, Label::getValue, (a, b) -> a + "," + b));
    }

    @Test
    void theSameTestOnTwoOrchestratorsIsTwoTestCasesGroupedUnderEachOrchestrator() {
        TestResult swarm = RunAllureListener.identify(junitResult(), "swarm");
        TestResult kubernetes = RunAllureListener.identify(junitResult(), "kubernetes");

        assertThat(swarm.getName()).isEqualTo("Scheduling latency [swarm]");
        assertThat(swarm.getFullName()).isNotEqualTo(kubernetes.getFullName());
        assertThat(swarm.getTestCaseId()).isNotEqualTo(kubernetes.getTestCaseId());
        assertThat(labels(swarm)).containsEntry("parentSuite", "swarm").containsEntry("story", "swarm").containsEntry("orchestrator", "swarm")
                .containsEntry("suite", "org.computeops.scenarios.SchedulingLatencyScenario")
                .containsEntry("feature", "org.computeops.scenarios.SchedulingLatencyScenario").containsEntry("framework", "junit-platform");
        assertThat(labels(kubernetes)).containsEntry("parentSuite", "kubernetes");
        assertThat(RunAllureListener.historyId("[engine:junit-jupiter]/[class:X]", "swarm"))
                .isNotEqualTo(RunAllureListener.historyId("[engine:junit-jupiter]/[class:X]", "kubernetes"));
    }

    @Test
    void outsideAScenarioJvmTheResultIsLeftAsJUnitMadeIt() {
        TestResult r = RunAllureListener.identify(junitResult(), "");
        assertThat(r.getName()).isEqualTo("Scheduling latency");
        assertThat(labels(r)).doesNotContainKey("parentSuite");
    }
}
