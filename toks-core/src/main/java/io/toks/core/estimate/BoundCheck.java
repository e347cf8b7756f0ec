package io.toks.core.estimate;

/**
 * A measured rate beside the bound an estimate gives for the same test.
 *
 * @param test    llama-bench's name of the test ({@code pp128}, {@code tg32})
 * @param runs    repetitions measured
 * @param meanTps their mean tok/s
 * @param stdevTps their standard deviation
 */
public record BoundCheck(String test, int runs, double meanTps, double stdevTps, InferenceEstimate.Bound bound) {

    /** Measured / bound: at most 1 when the byte and FLOP counts are right. */
    public double ratio() {
        return meanTps / bound.tps();
    }
}
