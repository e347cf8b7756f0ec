package io.toks.engine.model;

/**
 * Attention written straight from its definition, in doubles, over a cache's elements as the
 * cache holds them (an F16 or Q8_0 cache's dequantized values): the reference the fast kernels
 * are tested against.
 */
final class AttentionDefinition {

    private AttentionDefinition() {}

    /** softmax(q . k_p * scale for p in [0, n)) weighted sum of v_p, for the head at kvOffset. */
    static double[] of(KvCache cache, int layer, float[] q, int qOffset, int kvOffset, int n, int headSize, float scale) {
        double[] scores = scores(cache, layer, q, qOffset, kvOffset, n, headSize, scale);
        double max = max(scores);
        double sum = 0;
        for (int p = 0; p < n; p++) sum += scores[p] = Math.exp(scores[p] - max);
        double[] out = new double[headSize];
        for (int p = 0; p < n; p++) {
            for (int d = 0; d < headSize; d++) out[d] += scores[p] / sum * cache.value(layer, p, kvOffset + d);
        }
        return out;
    }

    /** log(sum over p of exp(q . k_p * scale)): what a block's partial result carries for merging. */
    static double logSumExp(KvCache cache, int layer, float[] q, int qOffset, int kvOffset, int n, int headSize, float scale) {
        double[] scores = scores(cache, layer, q, qOffset, kvOffset, n, headSize, scale);
        double max = max(scores);
        double sum = 0;
        for (double s : scores) sum += Math.exp(s - max);
        return max + Math.log(sum);
    }

    /** q . k_p * scale for p in [0, n), in doubles. */
    private static double[] scores(KvCache cache, int layer, float[] q, int qOffset, int kvOffset, int n, int headSize, float scale) {
        double[] scores = new double[n];
        for (int p = 0; p < n; p++) {
            double dot = 0;
            for (int d = 0; d < headSize; d++) dot += (double) q[qOffset + d] * cache.key(layer, p, kvOffset + d);
            scores[p] = dot * scale;
        }
        return scores;
    }

    private static double max(double[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) max = Math.max(max, v);
        return max;
    }
}
