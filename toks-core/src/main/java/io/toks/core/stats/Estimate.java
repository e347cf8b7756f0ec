package io.toks.core.stats;

/**
 * One side of a comparison: a figure and its 95% confidence interval.
 *
 * @param value the figure (a mean or a percentile)
 * @param low   lower bound of its 95% interval; NaN when there is none (n = 1)
 * @param high  upper bound of its 95% interval; NaN when there is none
 * @param n     samples it rests on
 */
public record Estimate(double value, double low, double high, long n) {

    /** The same with the lower bound cut at 0 (NaN stays NaN). */
    public Estimate floorAtZero() {
        return Double.isNaN(low) ? this : new Estimate(value, Math.max(0, low), high, n);
    }

    /** A figure measured once, or whose spread is not known: no interval. */
    public static Estimate single(double value, long n) {
        return new Estimate(value, Double.NaN, Double.NaN, n);
    }
}
