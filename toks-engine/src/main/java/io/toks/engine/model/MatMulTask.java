package io.toks.engine.model;

import io.toks.engine.parallel.RangeTask;
import io.toks.engine.tensor.FloatMatrix;

/** out[t] = m . in[t] for a batch of n vectors, rows split across a pool. Reused: no allocation per product. */
final class MatMulTask implements RangeTask {
    private FloatMatrix m;
    private float[][] in, out;
    private int n;

    void prepare(FloatMatrix m, float[][] in, float[][] out, int n) {
        this.m = m;
        this.in = in;
        this.out = out;
        this.n = n;
    }

    @Override
    public void run(int from, int to) {
        // One decoded row per chunk; chunks are few per product, so this is not a per-token cost.
        m.matMul(in, out, n, from, to, new float[m.cols()]);
    }
}
