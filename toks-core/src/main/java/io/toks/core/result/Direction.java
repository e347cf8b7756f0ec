package io.toks.core.result;

/**
 * Which way a metric improves, and the words for a change: the one place comparison, gates and
 * reports learn that more tok/s is better and more milliseconds worse.
 */
public enum Direction {
    /** A rate (tok/s, req/s, GB/s, ...): higher is better, and more is faster. */
    HIGHER_IS_FASTER(true, "faster", "slower"),
    /** A share of a limit: higher is better. */
    HIGHER_IS_BETTER(true, "better", "worse"),
    /** A latency: lower is better. */
    LOWER_IS_BETTER(false, "better", "worse");

    private final boolean higherIsBetter;
    private final String improvement;
    private final String regression;

    Direction(boolean higherIsBetter, String improvement, String regression) {
        this.higherIsBetter = higherIsBetter;
        this.improvement = improvement;
        this.regression = regression;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** Whether going from {@code a} to {@code b} is a change for the better (false when equal). */
    public boolean improves(double a, double b) {
        return higherIsBetter ? b > a : b < a;
    }

    /** Whether going from {@code a} to {@code b} is a change for the worse (false when equal). */
    public boolean regresses(double a, double b) {
        return higherIsBetter ? b < a : b > a;
    }

    /** The word for a change for the better: {@code faster} or {@code better}. */
    public String improvement() {
        return improvement;
    }

    /** The word for a change for the worse: {@code slower} or {@code worse}. */
    public String regression() {
        return regression;
    }
}
