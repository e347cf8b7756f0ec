package io.toks.core.estimate;

/**
 * A measured rate beside the bound an estimate gives for the same test.
 *
 * @param test    llama-bench's name of the test ({@code pp128}, {@code tg32})
 * @param runs    repetitions measured
 * @param meanTps their mean tok/s
 * @param stdevTps their standard deviation
 * @param inCache  the model's weights fit in the CPU's caches: memory bandwidth does not bound
 *                 its tests (toks bench says bound "cache"), so a rate above the bound is expected
 */
public record BoundCheck(String test, int runs, double meanTps, double stdevTps, InferenceEstimate.Bound bound, boolean inCache) {

    /** Measured / bound: at most 1 when the byte and FLOP counts are right and the weights come from memory. */
    public double ratio() {
        return meanTps / bound.tps();
    }
}
