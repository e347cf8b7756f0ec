package io.toks.train.model;

import io.toks.engine.parallel.WorkerPool;
import io.toks.train.kernel.MatrixProduct;
import io.toks.train.kernel.ParallelMatMul;

/**
 * The forward and backward passes of the Llama architecture the engine runs, over a batch of
 * sequences of {@code seq} tokens, in float: token embedding; per layer RMSNorm, the q/k/v
 * projection, RoPE, causal grouped-query attention, the output projection and the residual,
 * RMSNorm, SwiGLU and the residual; the final RMSNorm, the output head and the cross-entropy of
 * each position's next token.
 *
 * <p>Rows are tokens ({@code sequences x seq} of them), one array per activation, kept from the
 * forward pass for the backward one. The q, k and v projections run as one product (their
 * weights are consecutive rows of the parameter array), and so do the gate and up projections.
 * Forward products read each weight matrix transposed ({@link TransposedWeights}, refreshed once
 * per step), so every product streams rows of both operands. The output head and the loss run in
 * chunks of rows, so a large vocabulary never needs the logits of the whole batch at once.
 *
 * <p>Every sum has a fixed order whatever the thread count (rows split across threads, never a
 * reduction), so a step gives the same bits on 1 thread as on 8. Not thread-safe.
 */
public final class Transformer {

    /**
     * Logits held at once, at most (64 MiB): the output head runs in chunks of rows below this.
     * Each chunk reads and writes the head's whole weight gradient, so chunks are kept large.
     */
    private static final int LOGITS_BUDGET = 1 << 24;

    private final ModelConfig c;
    private final Parameters params;
    private final WorkerPool pool;
    private final ParallelMatMul matMul;
    private final int maxSequences, seq, dim, kvDim, hidden, vocab, layers, qkvWidth;
    private final RopeTable rope;
    private final CausalAttention attention;
    private final TransposedWeights transposed;

    // Forward activations: per layer, rows of the batch's tokens.
    private final float[][] residual; // input of layer l (layers + 1: the last is the final norm's input)
    private final float[][] middle, attnIn, ffnIn, qkv, attnOut, gateUp, act;
    private final float[][] attnScale, ffnScale;
    private final float[] finalIn, finalScale, logits, positionLoss;
    // Backward scratch, reused across layers.
    private final float[] dResidual, dNormed, dAttnOut, dQkv, dGateUp, dAct;

    private int[] inputs, targets;
    private int sequences;

    /**
     * @param maxSequences the most sequences a batch holds (training batches and evaluation batches
     *                     both fit)
     * @param seq          tokens per sequence
     */
    public Transformer(Parameters params, WorkerPool pool, int maxSequences, int seq) {
        this.c = params.config();
        if (seq > c.contextLength()) throw new IllegalArgumentException("sequence length " + seq + " exceeds the context length " + c.contextLength());
        this.params = params;
        this.pool = pool;
        this.matMul = new ParallelMatMul(pool);
        this.maxSequences = maxSequences;
        this.seq = seq;
        this.dim = c.dim();
        this.kvDim = c.kvDim();
        this.hidden = c.hiddenDim();
        this.vocab = c.vocabSize();
        this.layers = c.layers();
        this.qkvWidth = dim + 2 * kvDim;
        this.rope = new RopeTable(c.headSize(), seq, c.ropeTheta());
        this.attention = new CausalAttention(c, seq);
        this.transposed = new TransposedWeights(params);
        int n = maxSequences * seq;
        residual = new float[layers + 1][n * dim];
        middle = new float[layers][n * dim];
        attnIn = new float[layers][n * dim];
        ffnIn = new float[layers][n * dim];
        qkv = new float[layers][n * qkvWidth];
        attnOut = new float[layers][n * dim];
        gateUp = new float[layers][n * 2 * hidden];
        act = new float[layers][n * hidden];
        attnScale = new float[layers][n];
        ffnScale = new float[layers][n];
        finalIn = new float[n * dim];
        finalScale = new float[n];
        logits = new float[chunkRows(n) * vocab];
        positionLoss = new float[n];
        dResidual = new float[n * dim];
        dNormed = new float[n * dim];
        dAttnOut = new float[n * dim];
        dQkv = new float[n * qkvWidth];
        dGateUp = new float[n * 2 * hidden];
        dAct = new float[n * hidden];
    }

    private int chunkRows(int rows) {
        return chunkRows(rows, vocab);
    }

    private static int chunkRows(int rows, int vocab) {
        int chunk = Math.max(4, LOGITS_BUDGET / vocab / 4 * 4);
        return Math.min(rows, chunk);
    }

    /**
     * Bytes this class allocates for a batch of {@code sequences x seq} tokens: the activations
     * kept for the backward pass, its scratch, a chunk of logits and the transposed weights
     * (the weights, gradients and optimizer state are the caller's).
     */
    public static long memoryBytes(ModelConfig c, int sequences, int seq) {
        long n = (long) sequences * seq;
        long qkvWidth = c.dim() + 2L * c.kvDim(), dim = c.dim(), hidden = c.hiddenDim();
        long perLayer = n * (4 * dim + qkvWidth + 3 * hidden + 2);
        long backward = n * (3 * dim + qkvWidth + 3 * hidden);
        long floats = (long) c.layers() * perLayer + n * (2 * dim + 2) + backward
                + (long) chunkRows((int) Math.min(n, Integer.MAX_VALUE), c.vocabSize()) * c.vocabSize() + c.matmulParameterCount();
        return 4 * floats;
    }

    public int sequenceLength() {
        return seq;
    }

    public int maxSequences() {
        return maxSequences;
    }

    /**
     * Forward and backward: the mean cross-entropy over every position of the batch, its
     * gradient added to {@link Parameters#grads()} (zero them first for a fresh step).
     *
     * @param inputs  {@code sequences x seq} token ids
     * @param targets the token after each input
     */
    public double step(int[] inputs, int[] targets) {
        double loss = forward(inputs, targets, true);
        backward();
        return loss;
    }

    /** Forward only: the mean cross-entropy; {@link #positionLosses()} holds each position's. */
    public double loss(int[] inputs, int[] targets) {
        return forward(inputs, targets, false);
    }

    /** Each position's cross-entropy after the last {@link #loss} or {@link #step}; valid until the next. */
    public float[] positionLosses() {
        return positionLoss;
    }

    private double forward(int[] inputs, int[] targets, boolean training) {
        if (inputs.length != targets.length || inputs.length % seq != 0 || inputs.length / seq > maxSequences || inputs.length == 0) {
            throw new IllegalArgumentException(inputs.length + " inputs and " + targets.length + " targets do not make 1.." + maxSequences
                    + " sequences of " + seq);
        }
        this.inputs = inputs;
        this.targets = targets;
        this.sequences = inputs.length / seq;
        int n = inputs.length;
        float[] w = params.values();
        transposed.refresh(pool);
        for (int t = 0; t < n; t++) {
            int token = inputs[t];
            checkToken(token);
            checkToken(targets[t]);
            System.arraycopy(w, params.embedding.offset() + token * dim, residual[0], t * dim, dim);
        }
        for (int l = 0; l < layers; l++) layerForward(l, n);
        float[] x = residual[layers];
        rows(n, dim, (from, to) -> RmsNorm.forward(finalIn, x, w, params.finalNorm.offset(), finalScale, dim, c.rmsEps(), from, to));
        return head(n, training);
    }

    private void checkToken(int token) {
        if (token < 0 || token >= vocab) throw new IllegalArgumentException("token id " + token + " outside the vocabulary of " + vocab);
    }

    private void layerForward(int l, int n) {
        float[] w = params.values();
        float[] x = residual[l], h = attnIn[l], q = qkv[l], o = attnOut[l], mid = middle[l];
        rows(n, dim, (from, to) -> RmsNorm.forward(h, x, w, params.attnNorm[l].offset(), attnScale[l], dim, c.rmsEps(), from, to));
        matMul.compute(new MatrixProduct(n, qkvWidth, dim, h, 0, dim, 1, transposed.qkv(l), 0, qkvWidth, q, 0, qkvWidth, 1f, false));
        rows(n, qkvWidth, (from, to) -> {
            for (int t = from; t < to; t++) {
                rope.rotate(q, t * qkvWidth, c.heads(), t % seq, false);
                rope.rotate(q, t * qkvWidth + dim, c.kvHeads(), t % seq, false);
            }
        });
        int groups = c.kvHeads();
        pool.parallelFor(sequences * groups, 1, (from, to) -> {
            for (int i = from; i < to; i++) attention.forward(q, o, i / groups, i % groups);
        });
        System.arraycopy(x, 0, mid, 0, n * dim);
        matMul.compute(new MatrixProduct(n, dim, dim, o, 0, dim, 1, transposed.wo(l), 0, dim, mid, 0, dim, 1f, true));

        float[] h2 = ffnIn[l], gu = gateUp[l], a = act[l], next = residual[l + 1];
        rows(n, dim, (from, to) -> RmsNorm.forward(h2, mid, w, params.ffnNorm[l].offset(), ffnScale[l], dim, c.rmsEps(), from, to));
        matMul.compute(new MatrixProduct(n, 2 * hidden, dim, h2, 0, dim, 1, transposed.gateUp(l), 0, 2 * hidden, gu, 0, 2 * hidden, 1f, false));
        rows(n, hidden, (from, to) -> SwiGlu.forward(gu, a, hidden, from, to));
        System.arraycopy(mid, 0, next, 0, n * dim);
        matMul.compute(new MatrixProduct(n, dim, hidden, a, 0, hidden, 1, transposed.down(l), 0, dim, next, 0, dim, 1f, true));
    }

    /**
     * The output head and the loss, chunk by chunk; when training, each chunk's logit gradient at
     * once goes back to the final norm's output (into dNormed) and into the head's weight gradient.
     */
    private double head(int n, boolean training) {
        float[] w = params.values(), g = params.grads();
        int chunk = chunkRows(n), out = params.output.offset();
        float weight = training ? 1f / n : 0f;
        double total = 0;
        for (int r0 = 0; r0 < n; r0 += chunk) {
            int rows = Math.min(chunk, n - r0), first = r0;
            matMul.compute(new MatrixProduct(rows, vocab, dim, finalIn, r0 * dim, dim, 1, transposed.output(), 0, vocab,
                    logits, 0, vocab, 1f, false));
            rows(rows, vocab, (from, to) -> {
                for (int r = from; r < to; r++) {
                    positionLoss[first + r] = (float) CrossEntropy.row(logits, r * vocab, vocab, targets[first + r], weight);
                }
            });
            if (training) {
                matMul.compute(new MatrixProduct(rows, dim, vocab, logits, 0, vocab, 1, w, out, dim, dNormed, r0 * dim, dim, 1f, false));
                matMul.compute(new MatrixProduct(vocab, dim, rows, logits, 0, 1, vocab, finalIn, r0 * dim, dim, g, out, dim, 1f, true));
            }
        }
        for (int r = 0; r < n; r++) total += positionLoss[r];
        return total / n;
    }

    private void backward() {
        int n = sequences * seq;
        float[] w = params.values(), g = params.grads();
        float[] x = residual[layers];
        java.util.Arrays.fill(dResidual, 0, n * dim, 0f);
        rows(n, dim, (from, to) -> RmsNorm.backward(dResidual, dNormed, x, w, params.finalNorm.offset(), finalScale, dim, from, to));
        gainGradient(params.finalNorm, dNormed, x, finalScale, n);
        for (int l = layers - 1; l >= 0; l--) layerBackward(l, n);
        // The embedding's gradient: each position's residual gradient added to its token's row, in position order.
        int e = params.embedding.offset();
        for (int t = 0; t < n; t++) {
            int at = e + inputs[t] * dim;
            for (int i = 0; i < dim; i++) g[at + i] += dResidual[t * dim + i];
        }
    }

    /**
     * On entry dResidual holds the gradient of layer l's output; on return, of its input. The
     * residual connections pass it through unchanged, and each block adds its own part.
     */
    private void layerBackward(int l, int n) {
        float[] w = params.values(), g = params.grads();
        // Feed-forward block: next = mid + down(act).
        float[] a = act[l], gu = gateUp[l], h2 = ffnIn[l], mid = middle[l];
        matMul.compute(new MatrixProduct(n, hidden, dim, dResidual, 0, dim, 1, w, params.down[l].offset(), hidden, dAct, 0, hidden, 1f, false));
        matMul.compute(new MatrixProduct(dim, hidden, n, dResidual, 0, 1, dim, a, 0, hidden, g, params.down[l].offset(), hidden, 1f, true));
        rows(n, hidden, (from, to) -> SwiGlu.backward(gu, dAct, dGateUp, hidden, from, to));
        int gateAt = params.gate[l].offset();
        matMul.compute(new MatrixProduct(n, dim, 2 * hidden, dGateUp, 0, 2 * hidden, 1, w, gateAt, dim, dNormed, 0, dim, 1f, false));
        matMul.compute(new MatrixProduct(2 * hidden, dim, n, dGateUp, 0, 1, 2 * hidden, h2, 0, dim, g, gateAt, dim, 1f, true));
        rows(n, dim, (from, to) -> RmsNorm.backward(dResidual, dNormed, mid, w, params.ffnNorm[l].offset(), ffnScale[l], dim, from, to));
        gainGradient(params.ffnNorm[l], dNormed, mid, ffnScale[l], n);

        // Attention block: mid = x + wo(attention(rope(qkv(norm(x))))).
        float[] o = attnOut[l], q = qkv[l], h = attnIn[l], x = residual[l];
        matMul.compute(new MatrixProduct(n, dim, dim, dResidual, 0, dim, 1, w, params.wo[l].offset(), dim, dAttnOut, 0, dim, 1f, false));
        matMul.compute(new MatrixProduct(dim, dim, n, dResidual, 0, 1, dim, o, 0, dim, g, params.wo[l].offset(), dim, 1f, true));
        java.util.Arrays.fill(dQkv, 0, n * qkvWidth, 0f);
        int groups = c.kvHeads();
        pool.parallelFor(sequences * groups, 1, (from, to) -> {
            for (int i = from; i < to; i++) attention.backward(q, o, dAttnOut, dQkv, i / groups, i % groups);
        });
        rows(n, qkvWidth, (from, to) -> {
            for (int t = from; t < to; t++) {
                rope.rotate(dQkv, t * qkvWidth, c.heads(), t % seq, true);
                rope.rotate(dQkv, t * qkvWidth + dim, c.kvHeads(), t % seq, true);
            }
        });
        int qAt = params.wq[l].offset();
        matMul.compute(new MatrixProduct(n, dim, qkvWidth, dQkv, 0, qkvWidth, 1, w, qAt, dim, dNormed, 0, dim, 1f, false));
        matMul.compute(new MatrixProduct(qkvWidth, dim, n, dQkv, 0, 1, qkvWidth, h, 0, dim, g, qAt, dim, 1f, true));
        rows(n, dim, (from, to) -> RmsNorm.backward(dResidual, dNormed, x, w, params.attnNorm[l].offset(), attnScale[l], dim, from, to));
        gainGradient(params.attnNorm[l], dNormed, x, attnScale[l], n);
    }

    private void gainGradient(Parameters.Tensor gain, float[] dy, float[] x, float[] scale, int n) {
        float[] g = params.grads();
        rows(dim, n, (from, to) -> RmsNorm.gainGradient(g, gain.offset(), dy, x, scale, n, dim, from, to));
    }

    /** Runs task over [0, count) on the pool, in chunks of enough work ({@code width} floats per index) to be worth a thread. */
    private void rows(int count, int width, io.toks.engine.parallel.RangeTask task) {
        pool.parallelFor(count, Math.max(1, 16384 / Math.max(1, width)), task);
    }
}
