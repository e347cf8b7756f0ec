package io.toks.engine.model;

import io.toks.engine.kernel.NativeInputs;
import io.toks.engine.kernel.NativeMatrix;
import io.toks.engine.parallel.RangeTask;
import io.toks.engine.tensor.FloatMatrix;

/**
 * out[t] = m . in[t] for a batch of n vectors, rows split across a pool. Reused: no allocation
 * per product. A native matrix gets the batch prepared (rounded, or gathered) here, once, not once
 * per row range.
 */
final class MatMulTask implements RangeTask {
    private final NativeInputs prepared = new NativeInputs();
    private FloatMatrix m;
    private NativeMatrix nativeMatrix;
    private float[][] in, out;
    private int n;

    void prepare(FloatMatrix m, float[][] in, float[][] out, int n) {
        this.m = m;
        this.in = in;
        this.out = out;
        this.n = n;
        this.nativeMatrix = m instanceof NativeMatrix nm && nm.multipliesNatively(n) ? nm : null;
        if (nativeMatrix != null) nativeMatrix.prepareInputs(in, n, prepared);
    }

    /** The smallest row range worth a task of its own for this product. */
    int minRows() {
        return rowAlignment() > 1 ? NativeMatrix.ROW_TILE : 4;
    }

    /** What row ranges should be multiples of: the native kernel's row tile where one computes tiles, else 1. */
    int rowAlignment() {
        return nativeMatrix != null && (nativeMatrix.tiled() || n >= NativeMatrix.MIN_BATCH) ? NativeMatrix.ROW_TILE : 1;
    }

    @Override
    public void run(int from, int to) {
        if (nativeMatrix != null) {
            nativeMatrix.matMul(prepared, out, from, to);
            return;
        }
        // One decoded row per chunk; chunks are few per product, so this is not a per-token cost.
        m.matMul(in, out, n, from, to, new float[m.cols()]);
    }
}
