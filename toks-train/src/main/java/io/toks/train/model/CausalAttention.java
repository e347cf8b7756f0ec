package io.toks.train.model;

import io.toks.train.kernel.MatrixProduct;
import io.toks.train.kernel.ReproducibleMath;
import io.toks.train.kernel.VectorMatMul;

/**
 * Causal self-attention with grouped key/value heads, forward and backward, for one sequence and
 * one key/value head (with the query heads that share it) at a time: the unit the layer splits
 * across threads, since the key and value gradients of a group are sums over its query heads.
 *
 * <p>Per query head, with S = scale · Q Kᵀ (positions after the query's masked), P = softmax(S)
 * row-wise and O = P V, the backward pass is dV += Pᵀ dO, dP = dO Vᵀ,
 * dS = P ⊙ (dP - rowsum(dO ⊙ O)), dQ = scale · dS K, dK += scale · dSᵀ Q. P is not kept between
 * the passes (T² floats per head and layer): the backward pass recomputes it exactly as the
 * forward pass did. Rows go in blocks of {@link #BLOCK} positions and each block's products stop
 * at its last position, so about half of the masked products are skipped.
 *
 * <p>The queries, keys and values lie in one row per position, {@code [q | k | v]} of width
 * {@code dim + 2 · kvDim}, as the fused projection writes them.
 */
final class CausalAttention {

    static final int BLOCK = 32;

    private final int seq, dim, kvDim, headSize, group, qkvWidth;
    private final float scale;
    private final ThreadLocal<Scratch> scratch;

    /** Per thread: the transposed keys and values of a group, P and dP (dS) of one head. */
    private static final class Scratch {
        final float[] keysT, valuesT, probabilities, gradients;

        Scratch(int seq, int headSize) {
            keysT = new float[headSize * seq];
            valuesT = new float[headSize * seq];
            probabilities = new float[seq * seq];
            gradients = new float[seq * seq];
        }
    }

    CausalAttention(ModelConfig c, int seq) {
        this.seq = seq;
        this.dim = c.dim();
        this.kvDim = c.kvDim();
        this.headSize = c.headSize();
        this.group = c.heads() / c.kvHeads();
        this.qkvWidth = dim + 2 * kvDim;
        this.scale = (float) (1.0 / Math.sqrt(headSize));
        this.scratch = ThreadLocal.withInitial(() -> new Scratch(seq, headSize));
    }

    /** Sequence {@code b}, key/value head {@code g}: out (rows of dim) gets O of each of the group's query heads. */
    void forward(float[] qkv, float[] out, int b, int g) {
        Scratch s = scratch.get();
        int row0 = b * seq;
        transpose(qkv, row0 * qkvWidth + dim + g * headSize, s.keysT);
        for (int h = g * group; h < (g + 1) * group; h++) {
            probabilities(qkv, row0, h, s.keysT, s.probabilities);
            for (int r0 = 0; r0 < seq; r0 += BLOCK) {
                int r1 = Math.min(seq, r0 + BLOCK);
                // O rows [r0, r1) = P[r0..r1, 0..r1) · V[0..r1)
                VectorMatMul.compute(new MatrixProduct(r1 - r0, headSize, r1,
                        s.probabilities, r0 * seq, seq, 1,
                        qkv, row0 * qkvWidth + dim + kvDim + g * headSize, qkvWidth,
                        out, (row0 + r0) * dim + h * headSize, dim, 1f, false));
            }
        }
    }

    /**
     * Sequence {@code b}, key/value head {@code g}: dqkv gets dQ of the group's query heads and
     * dK, dV of the group (added: the caller zeroes dqkv first).
     *
     * @param out  the forward pass's O (rows of dim)
     * @param dOut its gradient
     */
    void backward(float[] qkv, float[] out, float[] dOut, float[] dqkv, int b, int g) {
        Scratch s = scratch.get();
        int row0 = b * seq;
        int kAt = row0 * qkvWidth + dim + g * headSize, vAt = kAt + kvDim;
        transpose(qkv, kAt, s.keysT);
        transpose(qkv, vAt, s.valuesT);
        float[] p = s.probabilities, ds = s.gradients;
        for (int h = g * group; h < (g + 1) * group; h++) {
            int qAt = row0 * qkvWidth + h * headSize, oAt = row0 * dim + h * headSize;
            probabilities(qkv, row0, h, s.keysT, p);
            for (int r0 = 0; r0 < seq; r0 += BLOCK) {
                int r1 = Math.min(seq, r0 + BLOCK), rows = r1 - r0;
                // dP rows [r0, r1) = dO · Vᵀ, columns up to the block's last position
                VectorMatMul.compute(new MatrixProduct(rows, r1, headSize, dOut, oAt + r0 * dim, dim, 1, s.valuesT, 0, seq,
                        ds, r0 * seq, seq, 1f, false));
                for (int t = r0; t < r1; t++) {
                    float d = dot(dOut, oAt + t * dim, out, oAt + t * dim, headSize);
                    int at = t * seq;
                    for (int j = 0; j <= t; j++) ds[at + j] = p[at + j] * (ds[at + j] - d);
                    for (int j = t + 1; j < r1; j++) ds[at + j] = 0f;
                }
                // dQ rows [r0, r1) = scale · dS · K
                VectorMatMul.compute(new MatrixProduct(rows, headSize, r1, ds, r0 * seq, seq, 1, qkv, kAt, qkvWidth,
                        dqkv, qAt + r0 * qkvWidth, qkvWidth, scale, false));
            }
            for (int j0 = 0; j0 < seq; j0 += BLOCK) {
                int j1 = Math.min(seq, j0 + BLOCK), from = j0; // queries before j0 do not see keys j0..j1
                // dK rows [j0, j1) += scale · dSᵀ · Q;  dV rows [j0, j1) += Pᵀ · dO
                VectorMatMul.compute(new MatrixProduct(j1 - j0, headSize, seq - from, ds, from * seq + j0, 1, seq,
                        qkv, qAt + from * qkvWidth, qkvWidth, dqkv, kAt + j0 * qkvWidth, qkvWidth, scale, true));
                VectorMatMul.compute(new MatrixProduct(j1 - j0, headSize, seq - from, p, from * seq + j0, 1, seq,
                        dOut, oAt + from * dim, dim, dqkv, vAt + j0 * qkvWidth, qkvWidth, 1f, true));
            }
        }
    }

    /** P of query head h for every row (columns past each block's last position left as they were). */
    private void probabilities(float[] qkv, int row0, int h, float[] keysT, float[] p) {
        for (int r0 = 0; r0 < seq; r0 += BLOCK) {
            int r1 = Math.min(seq, r0 + BLOCK);
            VectorMatMul.compute(new MatrixProduct(r1 - r0, r1, headSize, qkv, (row0 + r0) * qkvWidth + h * headSize, qkvWidth, 1,
                    keysT, 0, seq, p, r0 * seq, seq, scale, false));
            for (int t = r0; t < r1; t++) {
                ReproducibleMath.softmax(p, t * seq, t + 1);
                java.util.Arrays.fill(p, t * seq + t + 1, t * seq + r1, 0f);
            }
        }
    }

    /** The head of width headSize at column offset {@code at} of every row of a sequence, transposed: one row per dimension. */
    private void transpose(float[] qkv, int at, float[] target) {
        for (int t = 0; t < seq; t++) {
            int from = at + t * qkvWidth;
            for (int d = 0; d < headSize; d++) target[d * seq + t] = qkv[from + d];
        }
    }

    private static float dot(float[] a, int aOffset, float[] b, int bOffset, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) sum += a[aOffset + i] * b[bOffset + i];
        return sum;
    }
}
