package io.toks.engine.model;

import io.toks.core.ToksException;
import io.toks.core.estimate.KvCacheType;
import io.toks.core.jfr.ToksEvents;
import io.toks.engine.kernel.NativeInputs;
import io.toks.engine.kernel.NativeMatrix;
import io.toks.engine.math.ScalarKernels;
import io.toks.engine.parallel.RangeTask;
import io.toks.engine.parallel.WorkerPool;
import io.toks.engine.tensor.FloatMatrix;

/**
 * One sequence being run through a model: activations, the KV cache and the position. The
 * forward pass reads like the Llama paper: RMSNorm, attention with RoPE and grouped-query heads,
 * residual, RMSNorm, SwiGLU feed-forward, residual; then the final norm and the classifier.
 * All buffers are allocated once here; the per-token path allocates nothing.
 * Not thread-safe: one session per sequence.
 */
public final class InferenceSession {

    /** Work below this many multiply-adds per chunk is not worth handing to another thread. */
    private static final int MIN_MACS_PER_CHUNK = 65536;

    private final LlamaModel model;
    private final LlamaConfig c;
    private final LlamaWeights w;
    private final WorkerPool pool;
    private final int contextSize;

    private final float[] x, xb, xb2, hb, hb2, q, k, v, logits;
    private final KvCache cache;
    /** A decode step split by blocks: each (query head, block)'s output and log-sum-exp, before the merge. */
    private final float[] partOut, partLse;
    private final Rope rope;
    private final MatVecTask matVec = new MatVecTask();
    private final AttentionTask attention = new AttentionTask();
    private final KernelLaps laps = new KernelLaps();
    /** Prompt tokens processed together: weights are read once per batch instead of once per token. */
    static final int BATCH = 48; // a multiple of the 3 activations the prefill tile takes at a time
    /**
     * The batch with native kernels: they unpack each row tile once per batch, which costs about
     * as much as a few dozen tokens' products, so a larger batch amortizes it (measured:
     * docs/performance.md, "Native prefill batch"; llama.cpp's default micro-batch is 512 too).
     * -Dtoks.native.batch=N overrides it.
     */
    static final int NATIVE_BATCH = 512;
    private final int prefillBatch;
    /**
     * Tokens per batch when {@link #score} wants every position's logits: each row holds a whole
     * vocabulary of logits, so the native prefill batch (512) would cost 512 x vocabulary floats.
     */
    static final int SCORE_BATCH = 64;
    /** The logits of each row of a scoring batch; allocated on the first {@link #score}, never by prefill. */
    private float[][] scoreRows;
    /**
     * Prefill in batches: every projection one matrix x batch product, each weight row read once
     * per batch. Made by the first batched prefill or score: a session that only a shared
     * {@link BatchDecoder} step feeds (a server's slot) never needs its buffers (512 rows of
     * activations with native kernels: about 60 MB for a 1B model).
     */
    private BatchDecoder batch;
    private int position;

    /** The KV cache type when none is given: F16, llama.cpp's default. */
    public static final KvCacheType DEFAULT_CACHE = KvCacheType.F16;

    /** A session with the {@link #DEFAULT_CACHE} KV cache type. */
    public InferenceSession(LlamaModel model, WorkerPool pool, int contextSize) {
        this(model, pool, contextSize, DEFAULT_CACHE);
    }

    /**
     * @param contextSize positions to allocate KV cache for; at most the model's context length
     * @param cacheType   how the KV cache stores each key and value element
     */
    public InferenceSession(LlamaModel model, WorkerPool pool, int contextSize, KvCacheType cacheType) {
        this.model = model;
        this.c = model.config();
        this.w = model.weights();
        this.pool = pool;
        if (contextSize < 1 || contextSize > c.contextLength()) {
            throw new ToksException("context size " + contextSize + " is outside 1.." + c.contextLength() + " (the model's context length)");
        }
        this.contextSize = contextSize;
        int kvDim = c.kvDim();
        x = new float[c.dim()];
        xb = new float[c.dim()];
        xb2 = new float[c.dim()];
        hb = new float[c.hiddenDim()];
        hb2 = new float[c.hiddenDim()];
        q = new float[c.dim()];
        k = new float[kvDim];
        v = new float[kvDim];
        logits = new float[c.vocabSize()];
        cache = KvCache.of(cacheType, c.layers(), contextSize, kvDim, model.kernels());
        int blocks = (contextSize + Attention.BLOCK - 1) / Attention.BLOCK;
        partOut = new float[c.heads() * blocks * c.headSize()];
        partLse = new float[c.heads() * blocks];
        rope = new Rope(c, w.ropeFactors());
        prefillBatch = prefillBatch(model);
    }

    /**
     * Tokens per prefill batch for this model: {@link #BATCH} ({@link #NATIVE_BATCH} with native
     * kernels), or 1 for tiny models (the embedded one), which are faster token by token because
     * their weights sit in cache anyway.
     */
    public static int prefillBatch(LlamaModel model) {
        if (!batchesPrefill(model.config())) return 1;
        return model.kernels() == io.toks.engine.kernel.Kernels.NATIVE ? Integer.getInteger("toks.native.batch", NATIVE_BATCH) : BATCH;
    }

    /** Whether prompts of a model of this shape are prefilled in batches (not token by token). */
    static boolean batchesPrefill(LlamaConfig config) {
        return config.dim() >= 256;
    }

    public int position() {
        return position;
    }

    public int contextSize() {
        return contextSize;
    }

    /** How this session's KV cache stores keys and values. */
    public KvCacheType cacheType() {
        return cache.type();
    }

    /** The logits after the last token fed (by prefill, decode or a {@link BatchDecoder} step). */
    public float[] logits() { return logits; }

    // For BatchDecoder, which advances several sessions in one step.
    KvCache cache() { return cache; }
    float[] logitsBuffer() { return logits; }
    void advance() { position++; }

    /** Forgets the sequence; the next token goes to position 0. */
    public void reset() {
        position = 0;
    }

    /**
     * Forgets the tokens from {@code position} on, keeping those before it: the next token goes
     * to {@code position} (a benchmark repeating a test on the same context).
     */
    public void rewind(int position) {
        if (position < 0 || position > this.position) {
            throw new IllegalArgumentException("cannot rewind to position " + position + " of a sequence at " + this.position);
        }
        this.position = position;
    }

    /**
     * Feeds prompt tokens. Logits are computed only for the last one (what the next token is
     * sampled from); the classifier is skipped for the others, as every prefill implementation does.
     *
     * @return logits after the last token, valid until the next call
     */
    public float[] prefill(int[] tokens) {
        if (tokens.length == 0) throw new IllegalArgumentException("prefill needs at least one token");
        checkRoom(tokens.length);
        boolean traced = ToksEvents.stepsEnabled();
        long t0 = traced ? System.nanoTime() : 0;
        int first = position;
        if (prefillBatch <= 1) {
            for (int i = 0; i < tokens.length; i++) forward(tokens[i], i == tokens.length - 1);
        } else {
            for (int start = 0; start < tokens.length; start += prefillBatch) {
                int n = Math.min(prefillBatch, tokens.length - start);
                batch().prefill(this, tokens, start, n, start + n == tokens.length); // advances the position
            }
        }
        if (traced) ToksEvents.prefill(tokens.length, first, t0, System.nanoTime());
        return logits;
    }

    /** Receives the logits after each token that {@link #score} feeds. */
    @FunctionalInterface
    public interface LogitsListener {
        /**
         * @param index  the token just fed, an index into the tokens given to {@code score}
         * @param logits the distribution of the token after it; valid only during the call
         */
        void logits(int index, float[] logits);
    }

    /**
     * Feeds tokens like {@link #prefill}, but computes the logits after every one of them (what
     * prompt log probabilities and perplexity need) and hands each to {@code listener}. The
     * classifier then runs once per token, which {@code prefill} avoids: use this only when the
     * per-position distributions are wanted. Afterwards {@link #logits()} holds those after the
     * last token, as after a prefill.
     */
    public void score(int[] tokens, LogitsListener listener) {
        if (tokens.length == 0) throw new IllegalArgumentException("score needs at least one token");
        checkRoom(tokens.length);
        if (prefillBatch <= 1) {
            for (int i = 0; i < tokens.length; i++) {
                forward(tokens[i], true);
                listener.logits(i, logits);
            }
            return;
        }
        int rowsPerBatch = Math.min(prefillBatch, SCORE_BATCH);
        if (scoreRows == null) scoreRows = new float[rowsPerBatch][c.vocabSize()];
        for (int start = 0; start < tokens.length; start += rowsPerBatch) {
            int n = Math.min(rowsPerBatch, tokens.length - start);
            batch().score(this, tokens, start, n, scoreRows); // advances the position
            for (int t = 0; t < n; t++) listener.logits(start + t, scoreRows[t]);
            if (start + n == tokens.length) System.arraycopy(scoreRows[n - 1], 0, logits, 0, logits.length);
        }
    }

    private BatchDecoder batch() {
        if (batch == null) batch = new BatchDecoder(model, pool, prefillBatch);
        return batch;
    }

    /** Feeds one token and returns the logits for the next, valid until the next call. */
    public float[] decode(int token) {
        checkRoom(1);
        boolean traced = ToksEvents.stepsEnabled();
        long t0 = traced ? System.nanoTime() : 0;
        forward(token, true);
        if (traced) ToksEvents.decodeStep(position - 1, 1, t0, System.nanoTime());
        return logits;
    }

    void checkRoom(int tokens) {
        if (position + tokens > contextSize) {
            throw new ToksException((position + tokens) + " tokens do not fit the context of " + contextSize + " positions");
        }
    }

    private void forward(int token, boolean wantLogits) {
        if (token < 0 || token >= c.vocabSize()) {
            throw new IllegalArgumentException("token id " + token + " outside vocabulary of " + c.vocabSize());
        }
        int pos = position;
        int dim = c.dim(), kvDim = c.kvDim();
        laps.start(ToksEvents.kernelsEnabled());
        w.tokenEmbedding().copyRow(token, x);
        rope.at(pos);
        laps.lap("embedding", -1);

        for (int l = 0; l < c.layers(); l++) {
            // Attention block.
            ScalarKernels.rmsNorm(xb, x, w.attentionNorm()[l], dim, c.rmsEps());
            laps.lap("rmsnorm", l);
            mul(w.wq()[l], xb, q, l);
            mul(w.wk()[l], xb, k, l);
            mul(w.wv()[l], xb, v, l);
            if (w.qkvBias() != null) {
                addInPlace(q, w.qkvBias()[l][0]);
                addInPlace(k, w.qkvBias()[l][1]);
                addInPlace(v, w.qkvBias()[l][2]);
            }
            rope.rotate(q, c.heads());
            rope.rotate(k, c.kvHeads());
            laps.lap("rope", l);
            cache.store(l, pos, k, v);
            attention.layer(l, pos);
            laps.lap("attention", l);
            mul(w.wo()[l], xb, xb2, l);
            for (int i = 0; i < dim; i++) x[i] += xb2[i];

            // Feed-forward block: down(silu(gate(x)) * up(x)).
            ScalarKernels.rmsNorm(xb, x, w.ffnNorm()[l], dim, c.rmsEps());
            laps.lap("rmsnorm", l);
            mul(w.gate()[l], xb, hb, l);
            mul(w.up()[l], xb, hb2, l);
            model.kernels().siluMul(hb, hb2, c.hiddenDim());
            laps.lap("silu", l);
            mul(w.down()[l], hb, xb, l);
            for (int i = 0; i < dim; i++) x[i] += xb[i];
        }
        position++;
        if (wantLogits) {
            ScalarKernels.rmsNorm(x, x, w.finalNorm(), dim, c.rmsEps());
            laps.lap("rmsnorm", -1);
            mul(w.classifier(), x, logits, -1);
        }
    }

    private void mul(FloatMatrix m, float[] in, float[] out, int layer) {
        matVec.prepare(m, in, out);
        pool.parallelFor(m.rows(), Math.max(1, MIN_MACS_PER_CHUNK / m.cols()), matVec.rowAlignment(), matVec);
        laps.lapProduct(m, layer, 1);
    }

    static void addInPlace(float[] a, float[] b) {
        for (int i = 0; i < b.length; i++) a[i] += b[i];
    }

    /**
     * out = m . in, rows split across the pool. Reused: no allocation per call. A native matrix
     * of a quantized type gets its input quantized here, once, rather than once per row range.
     */
    private static final class MatVecTask implements RangeTask {
        private final NativeInputs quantized = new NativeInputs();
        private FloatMatrix m;
        private NativeMatrix nativeMatrix;
        private float[] in, out;

        void prepare(FloatMatrix m, float[] in, float[] out) {
            this.m = m;
            this.in = in;
            this.out = out;
            this.nativeMatrix = m instanceof NativeMatrix n && n.roundsActivations() ? n : null;
            if (nativeMatrix != null) nativeMatrix.quantizeInput(in, quantized);
        }

        /** What row ranges should be multiples of: the tile of a tiled native matrix, else 1. */
        int rowAlignment() {
            return nativeMatrix != null && nativeMatrix.tiled() ? NativeMatrix.ROW_TILE : 1;
        }

        @Override
        public void run(int from, int to) {
            if (nativeMatrix != null) nativeMatrix.matVec(quantized, out, from, to);
            else m.matVec(in, out, from, to);
        }
    }

    /**
     * Causal attention at the current position, into xb. Up to {@link Attention#BLOCK} positions
     * one task per key/value head; beyond, one task per (key/value head, block of positions), so
     * the threads share even a single head's positions, and then each head's blocks merged
     * (flash-decoding).
     */
    private final class AttentionTask implements RangeTask {
        private int layer, pos, blocks;

        void layer(int layer, int pos) {
            this.layer = layer;
            this.pos = pos;
            int n = pos + 1, group = c.heads() / c.kvHeads(), hs = c.headSize();
            blocks = (n + Attention.BLOCK - 1) / Attention.BLOCK;
            int macsPerTask = 2 * Math.min(n, Attention.BLOCK) * hs * group;
            pool.parallelFor(c.kvHeads() * blocks, Math.max(1, MIN_MACS_PER_CHUNK / macsPerTask), this);
            if (blocks == 1) return;
            for (int g = 0; g < c.kvHeads(); g++) {
                int h = g * group, first = h * blocks; // block 0's slots; its log-sum-exps become the running ones
                System.arraycopy(partOut, first * hs, xb, h * hs, group * hs);
                for (int b = 1; b < blocks; b++) {
                    Attention.combine(xb, h * hs, partLse, first, partOut, (first + b * group) * hs, partLse, first + b * group, group, hs);
                }
            }
        }

        /**
         * Index g * blocks + b: block b of key/value head g. With several blocks its group's
         * results go to slots [g * group * blocks + b * group, + group) of partOut and partLse.
         */
        @Override
        public void run(int from, int to) {
            int hs = c.headSize(), group = c.heads() / c.kvHeads(), n = pos + 1;
            float scale = (float) (1.0 / Math.sqrt(hs));
            if (blocks == 1) { // [from, to) are key/value heads, side by side in q, xb and partLse
                Attention.attendGroups(cache, layer, q, from, to, group, hs, scale, n, xb, partLse);
                return;
            }
            for (int i = from; i < to; i++) {
                int g = i / blocks, b = i % blocks, h = g * group, slot = h * blocks + b * group;
                Attention.attend(cache, layer, q, h * hs, group, g * hs, hs, scale, b * Attention.BLOCK,
                        Math.min(n, (b + 1) * Attention.BLOCK), partOut, slot * hs, partLse, slot);
            }
        }
    }
}
