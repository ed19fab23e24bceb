package org.computeops.results.measurements;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ConfidenceTest {

    @Test
    void fiveRepetitionsGiveMinToMaxAndSayItIsBelowNinetyFivePercent() {
        Confidence c = Confidence.ofMedian(List.of(5.0, 1.0, 3.0, 2.0, 4.0));
        assertThat(c.median()).isEqualTo(3.0);
        assertThat(c.low()).isEqualTo(1.0);
        assertThat(c.high()).isEqualTo(5.0);
        assertThat(c.coverage()).isCloseTo(0.9375, within(1e-9));
    }

    @Test
    void moreRepetitionsNarrowTheIntervalAtNinetyFivePercent() {
        List<Double> values = new java.util.ArrayList<>();
        for (int i = 1; i <= 20; i++) values.add((double) i);
        Confidence c = Confidence.ofMedian(values);
        assertThat(c.median()).isEqualTo(10.5);
        assertThat(c.low()).isEqualTo(6.0);   // x(6), x(15): 95.9 % for n = 20
        assertThat(c.high()).isEqualTo(15.0);
        assertThat(c.coverage()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void oneRepetitionHasNoIntervalAndNoComparison() {
        Confidence one = Confidence.ofMedian(List.of(7.0));
        assertThat(one.hasInterval()).isFalse();
        assertThat(Confidence.compare("swarm", one, "kubernetes", one, true, "faster")).contains("no comparison");
    }

    @Test
    void threeRepetitionsAreTooFewToCallADifference() {
        Confidence fast = Confidence.ofMedian(List.of(1.0, 2.0, 3.0));
        Confidence slow = Confidence.ofMedian(List.of(10.0, 20.0, 30.0));
        assertThat(fast.coverage()).isEqualTo(0.75);
        assertThat(Confidence.compare("swarm", fast, "slurm", slow, true, "faster")).startsWith("too few repetitions (3)");
    }

    @Test
    void onlySeparatedIntervalsAreCalledADifference() {
        Confidence fast = Confidence.ofMedian(List.of(10.0, 11.0, 12.0, 10.5, 11.5));
        Confidence slow = Confidence.ofMedian(List.of(20.0, 22.0, 21.0, 19.0, 23.0));
        Confidence overlapping = Confidence.ofMedian(List.of(11.0, 30.0, 12.0, 9.0, 13.0));
        assertThat(Confidence.compare("swarm", fast, "kubernetes", slow, true, "faster"))
                .startsWith("swarm faster by 48 % (medians 11 vs 21;");
        assertThat(Confidence.compare("swarm", slow, "kubernetes", fast, false, "higher")).startsWith("swarm higher by");
        assertThat(Confidence.compare("swarm", fast, "kubernetes", overlapping, true, "faster")).startsWith("no significant difference");
    }
}
