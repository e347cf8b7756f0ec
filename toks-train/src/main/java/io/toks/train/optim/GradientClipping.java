package io.toks.train.optim;

import io.toks.engine.parallel.WorkerPool;

/**
 * Global gradient-norm clipping: when the L2 norm of all gradients together exceeds the limit,
 * every gradient is scaled by limit / norm. The norm is a sum of squares over fixed blocks,
 * summed in block order, so it does not depend on the thread count.
 */
public final class GradientClipping {

    private static final int BLOCK = 1 << 14;

    private GradientClipping() {}

    /** The L2 norm of {@code grads}, in double. */
    public static double norm(float[] grads, WorkerPool pool) {
        int blocks = (grads.length + BLOCK - 1) / BLOCK;
        double[] partial = new double[blocks];
        pool.parallelFor(blocks, 4, (from, to) -> {
            for (int b = from; b < to; b++) {
                double s = 0;
                for (int i = b * BLOCK, end = Math.min(grads.length, i + BLOCK); i < end; i++) s += (double) grads[i] * grads[i];
                partial[b] = s;
            }
        });
        double total = 0;
        for (double p : partial) total += p;
        return Math.sqrt(total);
    }

    /**
     * The factor the gradients are to be multiplied by: limit / norm when the norm exceeds the
     * limit, else 1; a limit of 0 turns clipping off.
     */
    public static double scale(double norm, double limit) {
        return limit > 0 && norm > limit ? limit / norm : 1.0;
    }
}
