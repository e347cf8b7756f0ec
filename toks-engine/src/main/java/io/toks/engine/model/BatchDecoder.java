package io.toks.engine.model;

import io.toks.core.jfr.ToksEvents;
import io.toks.engine.kernel.Kernels;
import io.toks.engine.math.ScalarKernels;
import io.toks.engine.parallel.RangeTask;
import io.toks.engine.parallel.WorkerPool;
import io.toks.engine.tensor.FloatMatrix;
import java.util.Arrays;

/**
 * One step of the model over a batch of rows ({@link StepBatch}), each a (session, position,
 * token): the next token of several decoding sequences, chunks of consecutive prompt tokens of
 * sequences being prefilled, or both at once (continuous batching with chunked prefill). Every
 * projection is one matrix x rows product (each weight row read once for all rows), and
 * attention runs per row over its own session's KV cache up to its own position, so a prompt
 * chunk stays causal. The classifier runs only for the rows that want logits. Afterwards each
 * session is one position further per row it gave, and its logits are where
 * {@link InferenceSession#decode} or {@link InferenceSession#prefill} would have left them;
 * tested equal to running the sessions one by one. All buffers are allocated once; not thread-safe.
 */
public final class BatchDecoder {

    private static final int MIN_MACS_PER_CHUNK = 65536;
    /**
     * Rows per chunk at least, and elements of a row times rows, for the work between the
     * products (norms, rotations, sums): a decode step's few rows, and a tiny model's prompt,
     * stay on the calling thread, where handing them over would cost more than the work.
     */
    private static final int MIN_ROWS_PER_CHUNK = 16, MIN_ELEMENTS_PER_CHUNK = 16384;

    private final LlamaConfig c;
    private final LlamaWeights w;
    private final Kernels kernels;
    private final WorkerPool pool;
    private final int maxBatch;
    /** One per thread: a {@link Rope} holds the angles of the position it rotates. */
    private final ThreadLocal<Rope> ropes;
    private final float[][] x, xb, xb2, q, k, v, h1, h2;
    private final float[][] logits; // the rows' logits arrays, for the classifier product
    private final MatMulTask matMul = new MatMulTask();
    private final KernelLaps laps = new KernelLaps();
    private final AttentionTask attention = new AttentionTask();
    private final RowTask rowTask = new RowTask();
    /** Rows per chunk at least for {@link #rowTask}: {@link #MIN_ROWS_PER_CHUNK}, more for short rows. */
    private final int minRowsPerChunk;
    /** Per row, its query heads' log-sum-exps while attention merges blocks. */
    private final float[][] lse;
    /** The rows of the entry points that take arrays ({@link #step(InferenceSession[], int[], int)}, prefill, score). */
    private final StepBatch own;
    /** The step being run. */
    private StepBatch batch;
    /** Attention tiles of the step: tile i is rows [tileStart[i], tileStart[i + 1]), one session's consecutive rows. */
    private final int[] tileStart;
    private int tiles;
    private int n;
    /**
     * Prompt rows that share each widened block of an F16/Q8_0 cache: fewer tasks than rows, but
     * a block is widened once per tile of rows rather than once per row.
     */
    static final int PREFILL_ROWS_PER_TASK = 16;

    /** @param maxBatch rows per step at most (decoded sequences plus prompt tokens) */
    public BatchDecoder(LlamaModel model, WorkerPool pool, int maxBatch) {
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be >= 1");
        this.c = model.config();
        this.w = model.weights();
        this.kernels = model.kernels();
        this.pool = pool;
        this.maxBatch = maxBatch;
        this.ropes = ThreadLocal.withInitial(() -> new Rope(c, w.ropeFactors()));
        this.minRowsPerChunk = Math.max(MIN_ROWS_PER_CHUNK, MIN_ELEMENTS_PER_CHUNK / c.dim());
        x = new float[maxBatch][c.dim()];
        xb = new float[maxBatch][c.dim()];
        xb2 = new float[maxBatch][c.dim()];
        q = new float[maxBatch][c.dim()];
        k = new float[maxBatch][c.kvDim()];
        v = new float[maxBatch][c.kvDim()];
        h1 = new float[maxBatch][c.hiddenDim()];
        h2 = new float[maxBatch][c.hiddenDim()];
        logits = new float[maxBatch][];
        lse = new float[maxBatch][c.heads()];
        own = new StepBatch(maxBatch);
        tileStart = new int[maxBatch + 1];
    }

    public int maxBatch() {
        return maxBatch;
    }

    /**
     * Feeds {@code tokens[i]} to {@code sessions[i]} for i < count, in one step. Each session's
     * logits for its next token are then in the array {@link InferenceSession#decode} returns.
     */
    public void step(InferenceSession[] sessions, int[] tokens, int count) {
        if (count < 1 || count > maxBatch) throw new IllegalArgumentException("batch of " + count + " outside 1.." + maxBatch);
        own.clear();
        for (int t = 0; t < count; t++) own.decode(sessions[t], tokens[t]);
        step(own);
    }

    /**
     * Runs every row of {@code batch} in one pass and advances each session by the rows it gave.
     * The batch is left as it was (clear it for the next step).
     */
    public void step(StepBatch batch) {
        boolean traced = ToksEvents.stepsEnabled();
        long t0 = traced ? System.nanoTime() : 0;
        run(batch);
        if (traced) trace(batch, t0, System.nanoTime());
    }

    private void run(StepBatch batch) {
        int rows = batch.rows();
        if (rows < 1 || rows > maxBatch) throw new IllegalArgumentException("batch of " + rows + " outside 1.." + maxBatch);
        try {
            forward(batch);
        } finally {
            this.batch = null;
        }
        for (int t = 0; t < rows; t++) batch.sessions[t].advance();
    }

    /**
     * A step with decoded rows is recorded as a decode step (the prompt tokens it took too
     * counted apart), one of prompt rows only as a prefill. A session's own prefill
     * ({@link InferenceSession#prefill}) is recorded once for the whole prompt, not per batch.
     */
    private static void trace(StepBatch batch, long t0, long t1) {
        int decoded = batch.decodeRows(), prompt = batch.rows() - decoded;
        if (decoded > 0) ToksEvents.decodeStep(batch.positions[0], decoded, prompt, t0, t1);
        else ToksEvents.prefill(prompt, batch.positions[0], t0, t1);
    }

    /**
     * Prefill of {@code count} consecutive prompt tokens of one session, from its current position,
     * which it then advances: every row the same session one position further. Logits only for
     * the last token (the classifier is skipped for the others), and only when asked.
     */
    void prefill(InferenceSession session, int[] tokens, int offset, int count, boolean wantLogits) {
        if (count < 1 || count > maxBatch) throw new IllegalArgumentException("batch of " + count + " outside 1.." + maxBatch);
        own.clear();
        own.prefill(session, tokens, offset, count, wantLogits);
        run(own);
    }

    /**
     * As {@link #prefill}, but with the logits after every one of the {@code count} tokens, row t
     * into {@code out[t]} (for prompt log probabilities). Each session's own logits are untouched.
     */
    void score(InferenceSession session, int[] tokens, int offset, int count, float[][] out) {
        if (count < 1 || count > maxBatch || count > out.length) throw new IllegalArgumentException("batch of " + count + " outside 1.." + maxBatch);
        own.clear();
        own.score(session, tokens, offset, count, out);
        run(own);
    }

    /** The layers for every row of the batch, then the logits of the rows that want them. */
    private void forward(StepBatch batch) {
        this.batch = batch;
        this.n = batch.rows();
        laps.start(ToksEvents.kernelsEnabled());
        for (int t = 0; t < n; t++) {
            int token = batch.tokens[t];
            if (token < 0 || token >= c.vocabSize()) {
                throw new IllegalArgumentException("token id " + token + " outside vocabulary of " + c.vocabSize());
            }
            w.tokenEmbedding().copyRow(token, x[t]);
        }
        tile(batch);
        laps.lap("embedding", -1);
        for (int l = 0; l < c.layers(); l++) {
            rows(RowStep.ATTENTION_NORM, l);
            laps.lap("rmsnorm", l);
            mul(w.wq()[l], xb, q, l);
            mul(w.wk()[l], xb, k, l);
            mul(w.wv()[l], xb, v, l);
            // Every row's key and value are stored before any row attends: a prompt row then
            // finds its own chunk's earlier positions in the cache.
            rows(RowStep.ROTATE_AND_STORE, l);
            laps.lap("rope", l);
            attention.layer = l;
            pool.parallelFor(tiles * c.kvHeads(), 1, attention);
            laps.lap("attention", l);
            mul(w.wo()[l], xb, xb2, l);
            rows(RowStep.ADD_ATTENTION_AND_FFN_NORM, l);
            laps.lap("rmsnorm", l);
            mul(w.gate()[l], xb, h1, l);
            mul(w.up()[l], xb, h2, l);
            rows(RowStep.SILU, l);
            laps.lap("silu", l);
            mul(w.down()[l], h1, xb, l);
            rows(RowStep.ADD_FFN, l);
        }
        classify(batch);
    }

    /** The work of one layer between its products, row by row. */
    private enum RowStep { ATTENTION_NORM, ROTATE_AND_STORE, ADD_ATTENTION_AND_FFN_NORM, SILU, ADD_FFN }

    private void rows(RowStep step, int layer) {
        rowTask.step = step;
        rowTask.layer = layer;
        pool.parallelFor(n, minRowsPerChunk, rowTask);
    }

    /**
     * A step of {@link RowStep} over rows [from, to). Rows touch only their own activations and
     * their own (session, position) slot of a cache, so any split of the rows gives the same sums.
     */
    private final class RowTask implements RangeTask {
        RowStep step;
        int layer;

        @Override
        public void run(int from, int to) {
            int l = layer, dim = c.dim();
            switch (step) {
                case ATTENTION_NORM -> {
                    for (int t = from; t < to; t++) ScalarKernels.rmsNorm(xb[t], x[t], w.attentionNorm()[l], dim, c.rmsEps());
                }
                case ROTATE_AND_STORE -> {
                    Rope rope = ropes.get();
                    for (int t = from; t < to; t++) {
                        if (w.qkvBias() != null) {
                            InferenceSession.addInPlace(q[t], w.qkvBias()[l][0]);
                            InferenceSession.addInPlace(k[t], w.qkvBias()[l][1]);
                            InferenceSession.addInPlace(v[t], w.qkvBias()[l][2]);
                        }
                        int pos = batch.positions[t];
                        rope.at(pos);
                        rope.rotate(q[t], c.heads());
                        rope.rotate(k[t], c.kvHeads());
                        batch.sessions[t].cache().store(l, pos, k[t], v[t]);
                    }
                }
                case ADD_ATTENTION_AND_FFN_NORM -> {
                    for (int t = from; t < to; t++) {
                        InferenceSession.addInPlace(x[t], xb2[t]);
                        ScalarKernels.rmsNorm(xb[t], x[t], w.ffnNorm()[l], dim, c.rmsEps());
                    }
                }
                case SILU -> {
                    for (int t = from; t < to; t++) kernels.siluMul(h1[t], h2[t], c.hiddenDim());
                }
                case ADD_FFN -> {
                    for (int t = from; t < to; t++) InferenceSession.addInPlace(x[t], xb[t]);
                }
            }
        }
    }

    /**
     * Logits of the rows that want them: their final norms gathered into the first rows of xb,
     * so the classifier (the largest product of a small model) runs for those rows only.
     */
    private void classify(StepBatch batch) {
        int wanted = 0;
        for (int t = 0; t < batch.rows(); t++) {
            if (batch.logitsOut[t] == null) continue;
            ScalarKernels.rmsNorm(xb[wanted], x[t], w.finalNorm(), c.dim(), c.rmsEps());
            logits[wanted++] = batch.logitsOut[t];
        }
        if (wanted == 0) return;
        n = wanted;
        laps.lap("rmsnorm", -1);
        mul(w.classifier(), xb, logits, -1);
        Arrays.fill(logits, 0, wanted, null);
    }

    /**
     * Splits the rows into attention tiles: a run of one session's rows into tiles of up to
     * {@link #PREFILL_ROWS_PER_TASK} (a decoded row is a run, and a tile, of one).
     */
    private void tile(StepBatch batch) {
        tiles = 0;
        for (int t = 0; t < n; t++) {
            boolean sameRun = t > 0 && batch.sessions[t] == batch.sessions[t - 1];
            if (!sameRun || t - tileStart[tiles - 1] == PREFILL_ROWS_PER_TASK) tileStart[tiles++] = t;
        }
        tileStart[tiles] = n;
    }

    private void mul(FloatMatrix m, float[][] in, float[][] out, int layer) {
        matMul.prepare(m, in, out, n);
        pool.parallelFor(m.rows(), Math.max(matMul.minRows(), MIN_MACS_PER_CHUNK / (m.cols() * n)), matMul.rowAlignment(), matMul);
        laps.lapProduct(m, layer, n);
    }

    /**
     * Attention of one (tile of rows, key/value head) pair per index, its query heads together,
     * into xb; each row over its own session's cache up to its own position. A tile is one row
     * of a decoded sequence, or up to {@link #PREFILL_ROWS_PER_TASK} consecutive rows of one
     * sequence's prompt chunk.
     */
    private final class AttentionTask implements RangeTask {
        int layer;

        @Override
        public void run(int from, int to) {
            int hs = c.headSize(), kvHeads = c.kvHeads();
            int group = c.heads() / kvHeads;
            float scale = (float) (1.0 / Math.sqrt(hs));
            for (int i = from; i < to; i++) {
                int tile = i / kvHeads, g = i % kvHeads;
                int fromRow = tileStart[tile], toRow = tileStart[tile + 1];
                Attention.attendRows(batch.sessions[fromRow].cache(), layer, q, batch.positions, fromRow, toRow, g * group * hs, group,
                        g * hs, hs, scale, xb, lse, g * group);
            }
        }
    }
}
