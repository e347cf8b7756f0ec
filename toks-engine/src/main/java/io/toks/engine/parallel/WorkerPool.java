package io.toks.engine.parallel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed pool for data-parallel loops on the per-token path: {@code threads - 1} workers plus the
 * calling thread, which always takes part.
 *
 * <p>Why chunks claimed from a shared counter rather than a static split: on a shared 2-core
 * host a worker is often descheduled. With a static split the caller would wait for that worker's
 * share; here the caller (or any running worker) simply claims the remaining chunks, and a worker
 * that wakes late finds nothing left and goes back to waiting. The caller waits for chunks to be
 * <em>done</em>, never for workers to check in.
 *
 * <p>The claim counter packs the job's generation (high 32 bits) with the next chunk index (low 32
 * bits), and {@code limit} packs the same generation with the job's chunk count. A worker claims
 * only when both carry the same generation and the index is below that count, so a worker that
 * read a stale counter can neither claim a chunk of a newer job nor a chunk past the end of an
 * old one. Nothing is allocated per job. Idle workers spin briefly, then yield, then park.
 */
public final class WorkerPool implements AutoCloseable {

    private static final int SPINS_BEFORE_YIELD = 20_000;
    private static final int YIELDS_BEFORE_PARK = 200;

    private final int threads;
    private final Thread[] workers;
    private final boolean[] sleeping;
    private final AtomicLong claim = new AtomicLong();
    private final AtomicInteger done = new AtomicInteger();
    /** (generation << 32) | chunk count of the current job. */
    private volatile long limit;
    private volatile boolean closed;

    // Job fields: written by the caller before it publishes a new generation in `claim`,
    // read by workers only after a successful claim of that generation.
    private RangeTask task;
    private int size;
    private int chunkSize;
    private int chunks;
    private int generation;

    public WorkerPool(int threads) {
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("threads must be between 1 and 1024, got " + threads);
        }
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        this.sleeping = new boolean[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            int index = i;
            workers[i] = Thread.ofPlatform().daemon().name("toks-worker-" + (i + 1)).unstarted(() -> workLoop(index));
            workers[i].start();
        }
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over [0, size), split into chunks of at least {@code minChunk} indices.
     * Returns when every index has been processed. Runs inline when one chunk suffices.
     */
    public void parallelFor(int size, int minChunk, RangeTask task) {
        parallelFor(size, minChunk, 1, task);
    }

    /**
     * As {@link #parallelFor(int, int, RangeTask)} with every chunk but the last a multiple of
     * {@code align} indices (rows of a kernel that computes tiles of {@code align} rows).
     */
    public void parallelFor(int size, int minChunk, int align, RangeTask task) {
        if (align < 1) throw new IllegalArgumentException("align must be >= 1");
        if (threads == 1 || size <= minChunk) {
            task.run(0, size);
            return;
        }
        // About four chunks per thread balances load when a thread is slow or descheduled.
        int chunk = Math.max(minChunk, (size + threads * 4 - 1) / (threads * 4));
        chunk = (chunk + align - 1) / align * align;
        this.task = task;
        this.size = size;
        this.chunkSize = chunk;
        this.chunks = (size + chunk - 1) / chunk;
        done.set(0);
        generation++;
        limit = ((long) generation << 32) | chunks;
        claim.set((long) generation << 32); // publishes the job fields above
        wakeSleepers();
        runChunks(generation);
        int spins = 0;
        while (done.get() < chunks) {
            if (++spins > SPINS_BEFORE_YIELD) Thread.yield();
            else Thread.onSpinWait();
        }
        this.task = null;
    }

    private void runChunks(int gen) {
        while (true) {
            long c = claim.get();
            long l = limit;
            if ((int) (c >>> 32) != gen || (int) (l >>> 32) != gen || (int) c >= (int) l) return;
            if (!claim.compareAndSet(c, c + 1)) continue;
            int from = (int) c * chunkSize;
            task.run(from, Math.min(size, from + chunkSize));
            done.incrementAndGet();
        }
    }

    private void wakeSleepers() {
        for (int i = 0; i < workers.length; i++) {
            if (sleepingVolatile(i)) LockSupport.unpark(workers[i]);
        }
    }

    private void workLoop(int index) {
        int seen = 0;
        while (!closed) {
            int gen = awaitNewGeneration(index, seen);
            if (gen == seen) continue; // woken by close or spuriously
            seen = gen;
            runChunks(gen);
        }
    }

    private int awaitNewGeneration(int index, int seen) {
        for (int i = 0; i < SPINS_BEFORE_YIELD; i++) {
            int g = (int) (claim.get() >>> 32);
            if (g != seen || closed) return g;
            Thread.onSpinWait();
        }
        for (int i = 0; i < YIELDS_BEFORE_PARK; i++) {
            int g = (int) (claim.get() >>> 32);
            if (g != seen || closed) return g;
            Thread.yield();
        }
        setSleeping(index, true);
        int g = (int) (claim.get() >>> 32);
        if (g == seen && !closed) LockSupport.park(this);
        setSleeping(index, false);
        return (int) (claim.get() >>> 32);
    }

    // A volatile-ordered flag per worker: the worker sets it and re-reads `claim`; the caller
    // writes `claim` and then reads the flag, so one of them always sees the other (no lost wake-up).
    private static final java.lang.invoke.VarHandle SLEEPING =
            java.lang.invoke.MethodHandles.arrayElementVarHandle(boolean[].class);

    private void setSleeping(int i, boolean value) {
        SLEEPING.setVolatile(sleeping, i, value);
    }

    private boolean sleepingVolatile(int i) {
        return (boolean) SLEEPING.getVolatile(sleeping, i);
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }
}
