package org.computeops.scenarios.harness;

import org.computeops.results.measurements.ErrorBudget;
import org.computeops.results.model.Figure;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VerdictTest {

    private static final ErrorBudget BUDGET = new ErrorBudget(0.10);
    private static final Figure GOOD = Figure.quantiles("submit_to_running_ms", "ms", 100, 1.0, 2.0, 3.0, 4.0, "server", 0, null);
    private static final Figure HOLEY = Figure.quantiles("submit_to_running_ms", "ms", 80, 1.0, 2.0, 3.0, 4.0, "server", 20, null);

    @Test
    void aCleanRunPasses() {
        assertThat(Verdict.of(null, null, List.of(GOOD), BUDGET, List.of(), List.of())).isEqualTo(new Verdict("passed", null, false));
    }

    @Test
    void tooManyMissingReadingsFailRatherThanFlatter() {
        Verdict v = Verdict.of(null, null, List.of(GOOD, HOLEY), BUDGET, List.of(), List.of());
        assertThat(v.status()).isEqualTo("failed");
        assertThat(v.reason()).contains("error budget exceeded").contains("20 of 100 tasks");
        assertThat(v.byFigures()).isTrue();
    }

    @Test
    void aBrokenThresholdFailsWithTheFigureNamed() {
        Verdict v = Verdict.of(null, null, List.of(GOOD), BUDGET, List.of("gpu_overcommit = 1 of 5 GPU tasks (must be 0)"), List.of());
        assertThat(v.status()).isEqualTo("failed");
        assertThat(v.reason()).isEqualTo("threshold broken: gpu_overcommit = 1 of 5 GPU tasks (must be 0)");
    }

    @Test
    void aMeasurementThatCouldNotBeComputedBreaksTheScenario() {
        Verdict v = Verdict.of(null, null, List.of(), BUDGET, List.of(), List.of("HttpLoad: cannot read Gatling's report"));
        assertThat(v.status()).isEqualTo("broken");
    }

    @Test
    void howTheBodyEndedComesFirst() {
        assertThat(Verdict.of("skipped", "no GPU", List.of(HOLEY), BUDGET, List.of("x"), List.of()))
                .isEqualTo(new Verdict("skipped", "no GPU", false));
        assertThat(Verdict.of("broken", "API down", List.of(HOLEY), BUDGET, List.of(), List.of()).status()).isEqualTo("broken");
    }
}
