package io.toks.core.stats;

/**
 * How a figure of B differs from the same figure of A, and how sure that is.
 *
 * @param method    the test that gave {@code pValue} and the ratio's interval
 * @param a         A's figure with its 95% interval
 * @param b         B's figure with its 95% interval
 * @param ratio     b / a
 * @param ratioLow  lower bound of the ratio's 95% interval; NaN without a test
 * @param ratioHigh upper bound of the ratio's 95% interval; NaN without a test
 * @param pValue    two-sided p-value of "A and B do not differ"; NaN without a test
 * @param note      why there was no test, or what limits it; empty when nothing needs saying
 */
public record Difference(Method method, Estimate a, Estimate b, double ratio, double ratioLow, double ratioHigh,
                         double pValue, String note) {

    public Difference {
        note = note == null ? "" : note;
    }

    /** Relative change, b / a - 1 (0.05 = 5% more). */
    public double change() {
        return ratio - 1;
    }

    public boolean tested() {
        return method != Method.NONE && !Double.isNaN(pValue);
    }

    /** Whether the difference is significant at level {@code alpha} (never without a test). */
    public boolean significant(double alpha) {
        return tested() && pValue < alpha;
    }

    /**
     * The same with every lower bound cut at 0, for quantities that cannot be negative (every
     * rate, time and share of a result document): a wide t-interval over few noisy samples would
     * otherwise state an impossible negative bound, as {@code MetricSummary.ofSamples} also avoids.
     */
    public Difference floorAtZero() {
        return new Difference(method, a.floorAtZero(), b.floorAtZero(), ratio, Math.max(0, ratioLow), ratioHigh, pValue, note);
    }

    /** Both figures, no test: shown side by side with their ratio. */
    public static Difference untested(Estimate a, Estimate b, String why) {
        return new Difference(Method.NONE, a, b, b.value() / a.value(), Double.NaN, Double.NaN, Double.NaN, why);
    }
}
