package io.toks.bench.engine;

import java.util.function.IntFunction;
import java.util.function.IntToDoubleFunction;

/**
 * This machine's limits for the roofline column, per thread count: the figures measured before
 * the tests, and short bandwidth reads taken around a test's repetitions (a shared host's
 * bandwidth drifts, so a share means something only against reads taken at the same time).
 */
public interface RooflineSource {

    /** The limits measured before the tests at this thread count; null: no roofline. */
    Roofline upFront(int threads);

    /** Whether {@link #sampleGbs} reads anything. */
    boolean samples();

    /** One short memory read now at this thread count, GB/s. */
    double sampleGbs(int threads);

    /** No roofline at all. */
    RooflineSource NONE = of(t -> null, null);

    /** From functions: up-front limits per thread count, and a sampler (null: no sampling). */
    static RooflineSource of(IntFunction<Roofline> upFront, IntToDoubleFunction sampleGbs) {
        return new RooflineSource() {
            @Override public Roofline upFront(int threads) { return upFront.apply(threads); }
            @Override public boolean samples() { return sampleGbs != null; }
            @Override public double sampleGbs(int threads) { return sampleGbs.applyAsDouble(threads); }
        };
    }
}
