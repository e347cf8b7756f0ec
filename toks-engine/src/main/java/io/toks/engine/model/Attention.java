package io.toks.engine.model;

import io.toks.engine.kernel.VectorKernels;
import java.util.Arrays;

/** Causal attention of one query head over a KV cache: the step shared by every forward pass. */
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

    /**
     * out[outOffset, +headSize) = softmax(q . k_p * scale for p <= pos) weighted sum of v_p.
     *
     * @param kvOffset  where this head's key/value group starts within a cache row of kvDim
     * @param scores    scratch: pos + 1 floats from {@code scoresOffset} are overwritten
     */
    static void head(float[] q, int qOffset, float[] keys, float[] values, int kvDim, int kvOffset, int pos,
                     int headSize, float scale, float[] scores, int scoresOffset, float[] out, int outOffset) {
        for (int p = 0; p <= pos; p++) {
            scores[scoresOffset + p] = VectorKernels.dot(q, qOffset, keys, p * kvDim + kvOffset, headSize) * scale;
        }
        VectorKernels.softmax(scores, scoresOffset, pos + 1);
        Arrays.fill(out, outOffset, outOffset + headSize, 0f);
        for (int p = 0; p <= pos; p++) {
            VectorKernels.axpy(scores[scoresOffset + p], values, p * kvDim + kvOffset, out, outOffset, headSize);
        }
    }
}
