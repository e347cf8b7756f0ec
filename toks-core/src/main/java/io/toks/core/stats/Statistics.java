package io.toks.core.stats;

import java.util.Arrays;

/** Turns raw samples into a {@link Summary}. */
public final class Statistics {

    /** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom. */
    private static final double[] T_975 = {
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

    private Statistics() {}

    /**
     * Summarizes samples. With one sample the interval collapses to the sample itself: there is
     * no spread to estimate, and the reported n = 1 says so.
     *
     * @throws IllegalArgumentException if samples is empty or holds a NaN
     */
    public static Summary summarize(double... samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("cannot summarize zero samples");
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        if (Double.isNaN(sorted[sorted.length - 1])) {
            throw new IllegalArgumentException("samples contain NaN");
        }
        int n = sorted.length;
        double sum = 0;
        for (double s : sorted) sum += s;
        double mean = sum / n;
        double squares = 0;
        for (double s : sorted) squares += (s - mean) * (s - mean);
        double stdev = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
        double half = n > 1 ? tQuantile975(n - 1) * stdev / Math.sqrt(n) : 0;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        return new Summary(n, mean, stdev, mean - half, mean + half, sorted[0], median, sorted[n - 1]);
    }

    /**
     * The {@code q}-quantile (0..1) of sorted values, interpolated linearly between neighbours
     * (the default of R and NumPy).
     */
    public static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /**
     * The nearest-rank {@code percentile} (0..100) of sorted values: the smallest value with at
     * least {@code percentile}% of the values at or below it (HdrHistogram's definition, so a
     * percentile of kept samples and one of a histogram mean the same).
     */
    public static double percentile(double[] sorted, double percentile) {
        if (sorted.length == 0) throw new IllegalArgumentException("no values to take a percentile of");
        return sorted[nearestRank(percentile, sorted.length)];
    }

    static int nearestRank(double percentile, int n) {
        int rank = (int) Math.ceil(percentile / 100 * n);
        return Math.clamp(rank - 1, 0, n - 1);
    }

    /** 97.5% quantile of Student's t distribution; the normal 1.96 beyond the table. */
    static double tQuantile975(int degreesOfFreedom) {
        if (degreesOfFreedom < 1) throw new IllegalArgumentException("degreesOfFreedom must be >= 1");
        if (degreesOfFreedom <= T_975.length) return T_975[degreesOfFreedom - 1];
        if (degreesOfFreedom <= 60) return 2.000;
        if (degreesOfFreedom <= 120) return 1.980;
        return 1.960;
    }
}
