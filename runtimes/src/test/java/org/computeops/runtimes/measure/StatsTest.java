package org.computeops.runtimes.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void nearestRankPicksAMeasuredSample() {
        double[] s = {15, 20, 35, 40, 50};
        // the textbook example (Wikipedia, nearest-rank): p30 = 20, p40 = 20, p50 = 35, p100 = 50
        assertThat(Stats.nearestRank(s, 30)).isEqualTo(20);
        assertThat(Stats.nearestRank(s, 40)).isEqualTo(20);
        assertThat(Stats.nearestRank(s, 50)).isEqualTo(35);
        assertThat(Stats.nearestRank(s, 100)).isEqualTo(50);
        assertThat(Stats.nearestRank(s, 1)).isEqualTo(15);
    }

    @Test
    void p99OfHundredSamplesIsTheNinetyNinth() {
        double[] s = new double[100];
        for (int i = 0; i < 100; i++) s[99 - i] = i + 1; // unsorted input
        assertThat(Stats.nearestRank(s, 99)).isEqualTo(99);
        assertThat(Stats.nearestRank(s, 90)).isEqualTo(90);
        assertThat(Stats.median(s)).isEqualTo(50);
    }

    @Test
    void rejectsEmptyAndOutOfRange() {
        assertThatThrownBy(() -> Stats.nearestRank(new double[0], 50)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Stats.nearestRank(new double[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void orderStatisticIntervalForTwentySamples() {
        double[] s = new double[20];
        for (int i = 0; i < 20; i++) s[i] = i + 1;
        Stats.Interval ci = Stats.medianOrderStatisticCi(s);
        // n=20: ranks 6 and 15, the 95.9 % interval of the binomial tables
        assertThat(ci.low()).isEqualTo(6);
        assertThat(ci.high()).isEqualTo(15);
        assertThat(Stats.medianOrderStatisticCi(new double[] {3, 1, 2}).method()).contains("below 95 %");
    }

    @Test
    void bootstrapRatioContainsTheTrueRatioAndIsReproducible() {
        double[] a = new double[30];
        double[] b = new double[30];
        for (int i = 0; i < 30; i++) {
            a[i] = 2.0 + (i % 5) * 0.01;
            b[i] = 1.0 + (i % 7) * 0.01;
        }
        Stats.Interval ci = Stats.ratioOfMediansBootstrap(a, b, 2000, 15);
        double ratio = Stats.median(a) / Stats.median(b);
        assertThat(ci.low()).isLessThanOrEqualTo(ratio);
        assertThat(ci.high()).isGreaterThanOrEqualTo(ratio);
        assertThat(ci.low()).isGreaterThan(1.9);
        assertThat(ci.high()).isLessThan(2.1);
        assertThat(Stats.ratioOfMediansBootstrap(a, b, 2000, 15)).isEqualTo(ci);
    }
}
