package io.toks.engine.model;

import io.toks.engine.tensor.FloatMatrix;

/**
 * All weights of a Llama-family model, one array element per layer. Norm weights and biases are
 * small and kept as float arrays; matrices stay in their storage type.
 *
 * @param qkvBias     per layer {q, k, v} biases (Qwen2), or null when the model has none
 * @param ropeFactors per-pair RoPE frequency divisors (Llama 3.1+ {@code rope_freqs}), or null
 */
public record LlamaWeights(FloatMatrix tokenEmbedding, float[][] attentionNorm,
                           FloatMatrix[] wq, FloatMatrix[] wk, FloatMatrix[] wv, FloatMatrix[] wo,
                           float[][] ffnNorm, FloatMatrix[] gate, FloatMatrix[] down, FloatMatrix[] up,
                           float[] finalNorm, FloatMatrix classifier, float[][][] qkvBias, float[] ropeFactors) {

    /** Weights without biases or RoPE factors (Llama 1/2, llama2.c). */
    public LlamaWeights(FloatMatrix tokenEmbedding, float[][] attentionNorm,
                        FloatMatrix[] wq, FloatMatrix[] wk, FloatMatrix[] wv, FloatMatrix[] wo,
                        float[][] ffnNorm, FloatMatrix[] gate, FloatMatrix[] down, FloatMatrix[] up,
                        float[] finalNorm, FloatMatrix classifier) {
        this(tokenEmbedding, attentionNorm, wq, wk, wv, wo, ffnNorm, gate, down, up, finalNorm, classifier, null, null);
    }

    /** The same weights with every matrix replaced by f(matrix); a classifier shared with the embedding stays shared. */
    public LlamaWeights map(java.util.function.UnaryOperator<FloatMatrix> f) {
        FloatMatrix embedding = f.apply(tokenEmbedding);
        FloatMatrix output = classifier == tokenEmbedding ? embedding : f.apply(classifier);
        return new LlamaWeights(embedding, attentionNorm, each(wq, f), each(wk, f), each(wv, f), each(wo, f), ffnNorm,
                each(gate, f), each(down, f), each(up, f), finalNorm, output, qkvBias, ropeFactors);
    }

    /** Whether any matrix satisfies the test. */
    public boolean anyMatrix(java.util.function.Predicate<FloatMatrix> test) {
        if (test.test(tokenEmbedding) || test.test(classifier)) return true;
        for (FloatMatrix[] layer : new FloatMatrix[][] {wq, wk, wv, wo, gate, down, up}) {
            for (FloatMatrix m : layer) if (test.test(m)) return true;
        }
        return false;
    }

    private static FloatMatrix[] each(FloatMatrix[] ms, java.util.function.UnaryOperator<FloatMatrix> f) {
        FloatMatrix[] out = new FloatMatrix[ms.length];
        for (int i = 0; i < ms.length; i++) out[i] = f.apply(ms[i]);
        return out;
    }

    /** Number of weights, counting a classifier shared with the embedding once. */
    public long parameterCount() {
        long n = elements(tokenEmbedding) + finalNorm.length;
        for (int l = 0; l < wq.length; l++) {
            n += attentionNorm[l].length + ffnNorm[l].length + elements(wq[l]) + elements(wk[l]) + elements(wv[l])
                    + elements(wo[l]) + elements(gate[l]) + elements(down[l]) + elements(up[l]);
        }
        if (classifier != tokenEmbedding) n += elements(classifier);
        if (qkvBias != null) for (float[][] b : qkvBias) n += b[0].length + b[1].length + b[2].length;
        return n;
    }

    /** Bytes of weights, counting a shared classifier once. */
    public long byteSize() {
        long n = tokenEmbedding.byteSize() + 4L * finalNorm.length;
        for (int l = 0; l < wq.length; l++) {
            n += 4L * (attentionNorm[l].length + ffnNorm[l].length) + wq[l].byteSize() + wk[l].byteSize()
                    + wv[l].byteSize() + wo[l].byteSize() + gate[l].byteSize() + down[l].byteSize() + up[l].byteSize();
        }
        if (classifier != tokenEmbedding) n += classifier.byteSize();
        return n;
    }

    /**
     * Bytes one decode step must read: every matrix once, but of the embedding only one row.
     * The basis of the memory-bandwidth roofline.
     */
    public long bytesReadPerToken() {
        long all = byteSize();
        if (classifier != tokenEmbedding) {
            all -= tokenEmbedding.byteSize() - tokenEmbedding.byteSize() / tokenEmbedding.rows();
        }
        return all;
    }

    private static long elements(FloatMatrix m) {
        return (long) m.rows() * m.cols();
    }
}
