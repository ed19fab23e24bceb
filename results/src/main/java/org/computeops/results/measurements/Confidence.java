package org.computeops.results.measurements;

import java.util.List;
import java.util.Locale;

/**
 * The median of a figure over repetitions, with a distribution-free confidence interval from
 * order statistics: [x(k), x(n+1-k)] for the largest k whose coverage, 1 - 2·P(Binomial(n, ½) < k),
 * is at least 95 %. Below 6 repetitions no k reaches 95 %: the interval is then [min, max] and its
 * real coverage (93.8 % for 5) is stated, never rounded up. One repetition has no interval.
 */
public record Confidence(double median, Double low, Double high, int n, double coverage) {

    /** The least coverage at which a difference is called; 5 repetitions give 93.8 %. */
    static final double MIN_COVERAGE = 0.90;

    public static Confidence ofMedian(List<Double> values) {
        double[] x = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = x.length;
        if (n == 0) throw new IllegalArgumentException("no values");
        double median = n % 2 == 1 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
        if (n == 1) return new Confidence(median, null, null, 1, 0);
        int k = 1;
        for (int candidate = 1; candidate <= n / 2; candidate++) {
            if (coverage(n, candidate) >= 0.95) k = candidate;
        }
        return new Confidence(median, x[k - 1], x[n - k], n, coverage(n, k));
    }

    /** 1 - 2·P(B ≤ k-1) for B ~ Binomial(n, ½). */
    static double coverage(int n, int k) {
        double tail = 0;
        for (int i = 0; i < k; i++) tail += binomial(n, i) / Math.pow(2, n);
        return 1 - 2 * tail;
    }

    private static double binomial(int n, int k) {
        double c = 1;
        for (int i = 1; i <= k; i++) c = c * (n - k + i) / i;
        return c;
    }

    public boolean hasInterval() {
        return low != null;
    }

    /** True when the two intervals do not overlap: only then is a difference called significant. */
    public boolean separatedFrom(Confidence other) {
        return hasInterval() && other.hasInterval() && (high < other.low || other.high < low);
    }

    public String coverageText() {
        return String.format(Locale.ROOT, "%.1f %%", coverage * 100);
    }

    /**
     * "A faster by X %" or "no significant difference", for a figure where lower is better
     * ({@code lowerIsBetter}) or higher is better.
     */
    public static String compare(String nameA, Confidence a, String nameB, Confidence b, boolean lowerIsBetter, String better) {
        if (!a.hasInterval() || !b.hasInterval()) return "one repetition: no confidence interval, no comparison";
        // below 5 repetitions the widest interval covers under 90 %: too weak to call a difference
        if (a.coverage < MIN_COVERAGE || b.coverage < MIN_COVERAGE) {
            return "too few repetitions (" + Math.min(a.n, b.n) + ") for a 90 % interval: no comparison";
        }
        if (!a.separatedFrom(b)) return "no significant difference (intervals overlap)";
        boolean aBetter = lowerIsBetter ? a.median < b.median : a.median > b.median;
        Confidence win = aBetter ? a : b;
        Confidence lose = aBetter ? b : a;
        double pct = lose.median == 0 ? 0 : Math.abs(lose.median - win.median) / Math.abs(lose.median) * 100;
        return String.format(Locale.ROOT, "%s %s by %.0f %% (medians %s vs %s; %s and %s intervals do not overlap)",
                aBetter ? nameA : nameB, better, pct, fmt(win.median), fmt(lose.median), win.coverageText(), lose.coverageText());
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
