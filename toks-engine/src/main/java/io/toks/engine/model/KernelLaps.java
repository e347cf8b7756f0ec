package io.toks.engine.model;

import io.toks.core.jfr.ToksEvents;
import io.toks.engine.tensor.FloatMatrix;

/**
 * Times the operations of a forward pass one after another, each from the end of the previous,
 * as JFR kernel events. Off (no recording has toks.Kernel enabled), every call is a field test:
 * the clock is not read.
 */
final class KernelLaps {

    private boolean on;
    private long mark;

    /** Begins a pass; {@code enabled}: whether to time it. */
    void start(boolean enabled) {
        on = enabled;
        if (on) mark = System.nanoTime();
    }

    /** The operation {@code op} of block {@code layer} (-1: outside the blocks) ended now. */
    void lap(String op, int layer) {
        if (!on) return;
        long now = System.nanoTime();
        ToksEvents.kernel(op, null, layer, 0, 1, mark, now);
        mark = now;
    }

    /** A matrix product by {@code m} over {@code tokens} tokens ended now. */
    void lapProduct(FloatMatrix m, int layer, int tokens) {
        if (!on) return;
        long now = System.nanoTime();
        ToksEvents.kernel("matmul", m.type().name(), layer, m.rows(), tokens, mark, now);
        mark = now;
    }
}
