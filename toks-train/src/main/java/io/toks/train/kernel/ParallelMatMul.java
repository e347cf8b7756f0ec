package io.toks.train.kernel;

import io.toks.engine.parallel.RangeTask;
import io.toks.engine.parallel.WorkerPool;

/**
 * Runs {@link MatrixProduct}s on a {@link WorkerPool}, the rows of C split across its threads in
 * blocks of 4 (a tile's height). Each element's sum does not depend on the split (see
 * {@link VectorMatMul}), so the result is the same on any number of threads. Not thread-safe:
 * one product at a time.
 */
public final class ParallelMatMul implements RangeTask {

    /** Work below this many multiply-adds per chunk is not worth handing to another thread. */
    private static final long MIN_MACS_PER_CHUNK = 1 << 18;

    private final WorkerPool pool;
    private MatrixProduct product;

    public ParallelMatMul(WorkerPool pool) {
        this.pool = pool;
    }

    public void compute(MatrixProduct p) {
        if (p.m() == 0 || p.n() == 0) return;
        product = p;
        int blocks = (p.m() + 3) / 4;
        long macsPerBlock = 4L * p.n() * Math.max(1, p.k());
        pool.parallelFor(blocks, (int) Math.max(1, MIN_MACS_PER_CHUNK / macsPerBlock), this);
        product = null;
    }

    @Override
    public void run(int fromBlock, int toBlock) {
        VectorMatMul.compute(product, fromBlock * 4, Math.min(product.m(), toBlock * 4));
    }
}
