package io.toks.core.estimate;

/**
 * Bytes and FLOPs one token costs: the one set of formulas behind {@code toks bench}'s roofline,
 * {@code toks estimate} and training MFU (docs/metrics.md, "Roofline" and "Estimates").
 * An average context of c positions means each token attends over c cached keys and values.
 */
public final class TokenCost {

    private TokenCost() {}

    /** Attention FLOPs per token: q·k and the weighted sum of v over c positions, every head of every layer. */
    public static double attentionFlops(ModelShape m, double averageContext) {
        return 4.0 * m.layers() * m.heads() * m.headSize() * averageContext;
    }

    /** KV-cache bytes one token reads: keys and values of c positions in every layer. */
    public static double kvBytesRead(ModelShape m, KvCacheType cache, double averageContext) {
        return 2.0 * m.layers() * m.kvDim() * cache.bytesPerElement() * averageContext;
    }

    /** KV-cache bytes one sequence holds at {@code positions}. */
    public static double kvBytesHeld(ModelShape m, KvCacheType cache, long positions) {
        return 2.0 * m.layers() * m.kvDim() * cache.bytesPerElement() * positions;
    }

    /** Decode: 2 FLOPs per matrix weight (output matrix included) plus attention. */
    public static double decodeFlops(ModelShape m, double averageContext) {
        return 2.0 * m.matmulParameters() + attentionFlops(m, averageContext);
    }

    /** Decode, one sequence: every weight read once per token, plus its KV cache. */
    public static double decodeBytes(ModelShape m, KvCacheType cache, double averageContext) {
        return m.bytesReadPerToken() + kvBytesRead(m, cache, averageContext);
    }

    /**
     * Prefill of a {@code promptTokens}-token prompt: the layer matrices for every token, the
     * output matrix only once (logits for the last token), plus attention.
     */
    public static double prefillFlops(ModelShape m, int promptTokens, double averageContext) {
        long classifier = m.classifierParameters();
        return 2.0 * (m.matmulParameters() - classifier) + 2.0 * classifier / promptTokens + attentionFlops(m, averageContext);
    }

    /**
     * Prefill: the weights and the cached keys and values read once per batch of {@code batch}
     * tokens (the batch's queries share each read, as in tiled attention). The fewest bytes an
     * implementation needs, so the bound it gives holds for all.
     */
    public static double prefillBytes(ModelShape m, KvCacheType cache, int batch, double averageContext) {
        return (m.bytesReadPerToken() + kvBytesRead(m, cache, averageContext)) / batch;
    }

    /**
     * Training FLOPs per token, forward and backward: 6 per matrix weight plus PaLM's attention
     * term 12 · layers · heads · head size · sequence length (the causal mask not discounted, as
     * PaLM counts it).
     */
    public static double trainingFlops(ModelShape m, int sequenceLength) {
        return 6.0 * m.matmulParameters() + 12.0 * m.layers() * m.heads() * m.headSize() * sequenceLength;
    }

    /** Average positions attended over by tokens at depth {@code depth} + 1 .. depth + n: depth + (n + 1) / 2. */
    public static double averageContext(int depth, int tokens) {
        return depth + (tokens + 1) / 2.0;
    }
}
