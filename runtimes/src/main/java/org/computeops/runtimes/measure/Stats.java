package org.computeops.runtimes.measure;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Percentiles and confidence intervals for small samples, without interpolation (what was measured, not between). */
public final class Stats {

    private Stats() {}

    /** Nearest-rank percentile: the smallest sample with at least p % of the samples at or below it. */
    public static double nearestRank(double[] samples, double p) {
        if (samples.length == 0) throw new IllegalArgumentException("no samples");
        if (p <= 0 || p > 100) throw new IllegalArgumentException("p must be in (0, 100]: " + p);
        double[] s = samples.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.max(rank, 1) - 1];
    }

    public static double median(double[] samples) { return nearestRank(samples, 50); }

    /** An interval with its confidence as computed. */
    public record Interval(double low, double high, String method) {}

    /**
     * Distribution-free 95 % interval for the median: order statistics (j, k) from the binomial(n, 1/2) with the
     * normal approximation; for n below 6 no such interval reaches 95 %, then min..max is given and said so.
     */
    public static Interval medianOrderStatisticCi(double[] samples) {
        double[] s = samples.clone();
        Arrays.sort(s);
        int n = s.length;
        if (n < 6) return new Interval(s[0], s[n - 1], "min..max (n<6: below 95 %)");
        // ranks n/2 - 1.96 sqrt(n)/2 and 1 + n/2 + 1.96 sqrt(n)/2, rounded (e.g. n=20: 6..15, as in the tables)
        double half = 1.96 * Math.sqrt(n) / 2.0;
        int j = (int) Math.round(n / 2.0 - half);
        int k = (int) Math.round(1 + n / 2.0 + half);
        j = Math.max(j, 1);
        k = Math.min(k, n);
        return new Interval(s[j - 1], s[k - 1], "order statistics " + j + ".." + k + " of " + n);
    }

    /**
     * Percentile bootstrap 95 % interval of median(a) / median(b), resampling each group independently; the seed is
     * fixed so a report can be recomputed from its samples.
     */
    public static Interval ratioOfMediansBootstrap(double[] a, double[] b, int resamples, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] ratios = new double[resamples];
        double[] ra = new double[a.length];
        double[] rb = new double[b.length];
        for (int i = 0; i < resamples; i++) {
            for (int x = 0; x < a.length; x++) ra[x] = a[rnd.nextInt(a.length)];
            for (int x = 0; x < b.length; x++) rb[x] = b[rnd.nextInt(b.length)];
            ratios[i] = median(ra) / median(rb);
        }
        Arrays.sort(ratios);
        return new Interval(ratios[(int) Math.floor(0.025 * (resamples - 1))],
                ratios[(int) Math.ceil(0.975 * (resamples - 1))], "bootstrap " + resamples + ", seed " + seed);
    }
}
