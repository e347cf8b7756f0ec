package io.toks.train.kernel;

import io.toks.engine.parallel.RangeTask;
import io.toks.engine.parallel.WorkerPool;

/**
 * Runs {@link MatrixProduct}s on a {@link WorkerPool}, C split across its threads: by rows in
 * blocks of 4 (a tile's height), or, when C is much wider than tall (the output head's logits: a
 * few dozen rows by a vocabulary), by columns in whole panels, so that each thread packs only its
 * part of B instead of every thread packing all of it. Each element's sum does not depend on the
 * split (see {@link VectorMatMul}), so the result is the same on any number of threads. Not
 * thread-safe: one product at a time.
 */
public final class ParallelMatMul implements RangeTask {

    /** Work below this many multiply-adds per chunk is not worth handing to another thread. */
    private static final long MIN_MACS_PER_CHUNK = 1 << 18;

    private final WorkerPool pool;
    private final RangeTask byColumns = this::runColumns;
    private MatrixProduct product;

    public ParallelMatMul(WorkerPool pool) {
        this.pool = pool;
    }

    public void compute(MatrixProduct p) {
        if (p.m() == 0 || p.n() == 0) return;
        product = p;
        int panel = VectorMatMul.panelWidth();
        if (p.n() >= 8L * p.m() && p.n() >= 4 * panel) {
            int panels = (p.n() + panel - 1) / panel;
            long macsPerPanel = (long) panel * p.m() * Math.max(1, p.k());
            pool.parallelFor(panels, (int) Math.max(1, MIN_MACS_PER_CHUNK / macsPerPanel), byColumns);
        } else {
            int blocks = (p.m() + 3) / 4;
            long macsPerBlock = 4L * p.n() * Math.max(1, p.k());
            pool.parallelFor(blocks, (int) Math.max(1, MIN_MACS_PER_CHUNK / macsPerBlock), this);
        }
        product = null;
    }

    @Override
    public void run(int fromBlock, int toBlock) {
        VectorMatMul.compute(product, fromBlock * 4, Math.min(product.m(), toBlock * 4));
    }

    private void runColumns(int fromPanel, int toPanel) {
        int panel = VectorMatMul.panelWidth();
        VectorMatMul.compute(product, 0, product.m(), fromPanel * panel, Math.min(product.n(), toPanel * panel));
    }
}
