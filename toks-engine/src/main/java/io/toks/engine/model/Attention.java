package io.toks.engine.model;

import io.toks.engine.math.VectorKernels;

/**
 * Causal attention of one query head over a KV cache: the step shared by every forward pass.
 *
 * <p>A layer's key cache is stored transposed: one row of {@code contextSize} positions per key
 * dimension ({@code keys[c * contextSize + p]} is dimension c of the key at position p), so the
 * scores of a query against all positions are broadcast FMAs over contiguous positions with no
 * horizontal sums (a dot product per position cost a measurable share of prefill:
 * docs/performance.md, "Attention: transposed key cache"). Values stay one position per row: the
 * weighted sum adds whole rows.
 */
final class Attention {

    private static final ThreadLocal<float[]> SCORES = ThreadLocal.withInitial(() -> new float[0]);

    private Attention() {}

    /** The calling thread's score scratch, at least {@code n} long: no allocation per decode step. */
    static float[] scratch(int n) {
        float[] s = SCORES.get();
        if (s.length < n) {
            s = new float[n];
            SCORES.set(s);
        }
        return s;
    }

    /** Stores key k[0, kvDim) at position pos of a transposed key cache of contextSize positions. */
    static void storeKey(float[] k, int kvDim, float[] keys, int contextSize, int pos) {
        for (int c = 0; c < kvDim; c++) keys[c * contextSize + pos] = k[c];
    }

    /**
     * {@link #head} for {@code count} consecutive query heads that share one key/value head
     * (grouped-query attention), up to 4 at a time (a last single one alone): each key and value
     * loaded then serves 4 heads (measured: docs/performance.md, "Attention: four query heads per
     * key/value head").
     *
     * @param scores scratch: count * (pos + 1) floats from {@code scoresOffset} are overwritten
     */
    static void group(float[] q, int qOffset, int count, float[] keys, float[] values, int kvDim, int kvOffset, int contextSize,
                      int pos, int headSize, float scale, float[] scores, int scoresOffset, float[] out, int outOffset) {
        int n = pos + 1, j = 0;
        while (count - j >= 2) { // 2 to 4 heads at a time
            int heads = Math.min(4, count - j), head = j * headSize;
            VectorKernels.transposedDots4(heads, q, qOffset + head, headSize, keys, kvOffset * contextSize, contextSize, headSize, n,
                    scale, scores, scoresOffset, n);
            for (int i = 0; i < heads; i++) VectorKernels.softmax(scores, scoresOffset + i * n, n);
            VectorKernels.weightedSum4(heads, scores, scoresOffset, n, n, values, kvOffset, kvDim, headSize, out, outOffset + head,
                    headSize);
            j += heads;
        }
        for (; j < count; j++) {
            head(q, qOffset + j * headSize, keys, values, kvDim, kvOffset, contextSize, pos, headSize, scale, scores, scoresOffset,
                    out, outOffset + j * headSize);
        }
    }

    /**
     * out[outOffset, +headSize) = softmax(q . k_p * scale for p <= pos) weighted sum of v_p.
     *
     * @param keys      the layer's transposed key cache (see the class comment)
     * @param kvOffset  where this head's key/value group starts within a key or value of kvDim
     * @param scores    scratch: pos + 1 floats from {@code scoresOffset} are overwritten
     */
    static void head(float[] q, int qOffset, float[] keys, float[] values, int kvDim, int kvOffset, int contextSize, int pos,
                     int headSize, float scale, float[] scores, int scoresOffset, float[] out, int outOffset) {
        VectorKernels.transposedDots(q, qOffset, keys, kvOffset * contextSize, contextSize, headSize, pos + 1, scale,
                scores, scoresOffset);
        VectorKernels.softmax(scores, scoresOffset, pos + 1);
        VectorKernels.weightedSum(scores, scoresOffset, pos + 1, values, kvOffset, kvDim, headSize, out, outOffset);
    }
}
