package io.toks.engine.model;

import io.toks.core.jfr.ToksEvents;
import io.toks.engine.math.ScalarKernels;
import io.toks.engine.math.VectorKernels;
import io.toks.engine.parallel.RangeTask;
import io.toks.engine.parallel.WorkerPool;
import io.toks.engine.tensor.FloatMatrix;
import java.util.Arrays;

/**
 * One decode step for several independent sequences at once (continuous batching): each
 * sequence gives its next token, every projection is one matrix x batch product (each weight row
 * read once for all sequences), and attention runs per sequence over its own KV cache at its own
 * position. Afterwards each session's logits are where {@link InferenceSession#decode} would have
 * left them, and each session is one position further; tested equal to decoding them one by one.
 * All buffers are allocated once; not thread-safe.
 */
public final class BatchDecoder {

    private static final int MIN_MACS_PER_CHUNK = 65536;

    private final LlamaConfig c;
    private final LlamaWeights w;
    private final WorkerPool pool;
    private final int maxBatch;
    private final Rope rope;
    private final float[][] x, xb, xb2, q, k, v, h1, h2;
    private final float[][] logits; // the sessions' own logits arrays, for the classifier product
    private final int[] positions;
    private final InferenceSession[] rowSessions;
    private final MatMulTask matMul = new MatMulTask();
    private final KernelLaps laps = new KernelLaps();
    private final AttentionTask attention = new AttentionTask();
    /** Per row, its query heads' log-sum-exps while attention merges blocks. */
    private final float[][] lse;
    private InferenceSession[] sessions;
    /** Whether the rows are one sequence's consecutive prompt tokens (else one token of each of n sequences). */
    private boolean prefilling;
    private int n;
    /**
     * Prompt rows that share each widened block of an F16/Q8_0 cache: fewer tasks than rows, but
     * a block is widened once per tile of rows rather than once per row.
     */
    static final int PREFILL_ROWS_PER_TASK = 16;

    public BatchDecoder(LlamaModel model, WorkerPool pool, int maxBatch) {
        if (maxBatch < 1) throw new IllegalArgumentException("maxBatch must be >= 1");
        this.c = model.config();
        this.w = model.weights();
        this.pool = pool;
        this.maxBatch = maxBatch;
        this.rope = new Rope(c, w.ropeFactors());
        x = new float[maxBatch][c.dim()];
        xb = new float[maxBatch][c.dim()];
        xb2 = new float[maxBatch][c.dim()];
        q = new float[maxBatch][c.dim()];
        k = new float[maxBatch][c.kvDim()];
        v = new float[maxBatch][c.kvDim()];
        h1 = new float[maxBatch][c.hiddenDim()];
        h2 = new float[maxBatch][c.hiddenDim()];
        logits = new float[maxBatch][];
        positions = new int[maxBatch];
        lse = new float[maxBatch][c.heads()];
        rowSessions = new InferenceSession[maxBatch];
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
        for (int t = 0; t < count; t++) {
            sessions[t].checkRoom(1);
            positions[t] = sessions[t].position();
        }
        boolean traced = ToksEvents.stepsEnabled();
        long t0 = traced ? System.nanoTime() : 0;
        forward(sessions, tokens, 0, count, true);
        for (int t = 0; t < count; t++) sessions[t].advance();
        if (traced) ToksEvents.decodeStep(positions[0], count, t0, System.nanoTime());
    }

    /**
     * Prefill of {@code count} consecutive prompt tokens of one session, from its current position:
     * the same pass, every row the same session one position further. Attention stays causal,
     * since each row attends up to its own position. Logits only for the last token (the
     * classifier is skipped for the others), and only when asked.
     */
    void prefill(InferenceSession session, int[] tokens, int offset, int count, boolean wantLogits) {
        if (count < 1 || count > maxBatch) throw new IllegalArgumentException("batch of " + count + " outside 1.." + maxBatch);
        for (int t = 0; t < count; t++) {
            rowSessions[t] = session;
            positions[t] = session.position() + t;
        }
        prefilling = true;
        forward(rowSessions, tokens, offset, count, false);
        prefilling = false;
        Arrays.fill(rowSessions, null);
        if (wantLogits) {
            ScalarKernels.rmsNorm(xb[0], x[count - 1], w.finalNorm(), c.dim(), c.rmsEps());
            logits[0] = session.logitsBuffer();
            n = 1;
            laps.start(ToksEvents.kernelsEnabled());
            mul(w.classifier(), xb, logits, -1);
            logits[0] = null;
        }
    }

    /**
     * As {@link #prefill}, but with the logits after every one of the {@code count} tokens, row t
     * into {@code out[t]} (for prompt log probabilities). Each session's own logits are untouched.
     */
    void score(InferenceSession session, int[] tokens, int offset, int count, float[][] out) {
        if (count < 1 || count > maxBatch || count > out.length) throw new IllegalArgumentException("batch of " + count + " outside 1.." + maxBatch);
        for (int t = 0; t < count; t++) {
            rowSessions[t] = session;
            positions[t] = session.position() + t;
        }
        prefilling = true;
        forward(rowSessions, tokens, offset, count, false);
        prefilling = false;
        Arrays.fill(rowSessions, null);
        for (int t = 0; t < count; t++) {
            ScalarKernels.rmsNorm(xb[t], x[t], w.finalNorm(), c.dim(), c.rmsEps());
            logits[t] = out[t];
        }
        n = count;
        laps.start(ToksEvents.kernelsEnabled());
        mul(w.classifier(), xb, logits, -1);
        Arrays.fill(logits, null);
    }

    /** The layers for rows t < count: token tokens[offset + t] of sessions[t] at positions[t]; then all rows' logits if asked. */
    private void forward(InferenceSession[] sessions, int[] tokens, int offset, int count, boolean allLogits) {
        this.sessions = sessions;
        this.n = count;
        int dim = c.dim(), kvDim = c.kvDim();
        laps.start(ToksEvents.kernelsEnabled());
        for (int t = 0; t < n; t++) {
            int token = tokens[offset + t];
            if (token < 0 || token >= c.vocabSize()) {
                throw new IllegalArgumentException("token id " + token + " outside vocabulary of " + c.vocabSize());
            }
            w.tokenEmbedding().copyRow(token, x[t]);
        }
        laps.lap("embedding", -1);
        for (int l = 0; l < c.layers(); l++) {
            for (int t = 0; t < n; t++) ScalarKernels.rmsNorm(xb[t], x[t], w.attentionNorm()[l], dim, c.rmsEps());
            laps.lap("rmsnorm", l);
            mul(w.wq()[l], xb, q, l);
            mul(w.wk()[l], xb, k, l);
            mul(w.wv()[l], xb, v, l);
            for (int t = 0; t < n; t++) {
                if (w.qkvBias() != null) {
                    InferenceSession.addInPlace(q[t], w.qkvBias()[l][0]);
                    InferenceSession.addInPlace(k[t], w.qkvBias()[l][1]);
                    InferenceSession.addInPlace(v[t], w.qkvBias()[l][2]);
                }
                int pos = positions[t];
                rope.at(pos);
                rope.rotate(q[t], c.heads());
                rope.rotate(k[t], c.kvHeads());
                sessions[t].cache().store(l, pos, k[t], v[t]);
            }
            laps.lap("rope", l);
            attention.layer = l;
            attention.rowsPerTask = prefilling ? PREFILL_ROWS_PER_TASK : 1;
            pool.parallelFor(attention.tasks(), 1, attention);
            laps.lap("attention", l);
            mul(w.wo()[l], xb, xb2, l);
            for (int t = 0; t < n; t++) InferenceSession.addInPlace(x[t], xb2[t]);

            for (int t = 0; t < n; t++) ScalarKernels.rmsNorm(xb[t], x[t], w.ffnNorm()[l], dim, c.rmsEps());
            laps.lap("rmsnorm", l);
            mul(w.gate()[l], xb, h1, l);
            mul(w.up()[l], xb, h2, l);
            for (int t = 0; t < n; t++) VectorKernels.siluMul(h1[t], h2[t], c.hiddenDim());
            laps.lap("silu", l);
            mul(w.down()[l], h1, xb, l);
            for (int t = 0; t < n; t++) InferenceSession.addInPlace(x[t], xb[t]);
        }
        if (allLogits) {
            for (int t = 0; t < n; t++) {
                ScalarKernels.rmsNorm(xb[t], x[t], w.finalNorm(), dim, c.rmsEps());
                logits[t] = sessions[t].logitsBuffer();
            }
            laps.lap("rmsnorm", -1);
            mul(w.classifier(), xb, logits, -1);
            Arrays.fill(logits, null);
        }
        this.sessions = null;
    }

    private void mul(FloatMatrix m, float[][] in, float[][] out, int layer) {
        matMul.prepare(m, in, out, n);
        pool.parallelFor(m.rows(), Math.max(matMul.minRows(), MIN_MACS_PER_CHUNK / (m.cols() * n)), matMul.rowAlignment(), matMul);
        laps.lapProduct(m, layer, n);
    }

    /**
     * Attention of one (tile of rows, key/value head) pair per index, its query heads together,
     * into xb; each row over its own session's cache up to its own position. A tile is one row
     * in a decode step (rows of different sequences), {@link #PREFILL_ROWS_PER_TASK} rows of the
     * same sequence in a prefill.
     */
    private final class AttentionTask implements RangeTask {
        int layer, rowsPerTask;

        int tasks() {
            return (n + rowsPerTask - 1) / rowsPerTask * c.kvHeads();
        }

        @Override
        public void run(int from, int to) {
            int hs = c.headSize(), kvHeads = c.kvHeads();
            int group = c.heads() / kvHeads;
            float scale = (float) (1.0 / Math.sqrt(hs));
            for (int i = from; i < to; i++) {
                int tile = i / kvHeads, g = i % kvHeads;
                int fromRow = tile * rowsPerTask, toRow = Math.min(n, fromRow + rowsPerTask);
                Attention.attendRows(sessions[fromRow].cache(), layer, q, positions, fromRow, toRow, g * group * hs, group, g * hs, hs,
                        scale, xb, lse, g * group);
            }
        }
    }
}
