package io.toks.core.estimate;

/** Roofline bounds of inference (docs/metrics.md, "Estimates"). */
public final class Estimator {

    private Estimator() {}

    /**
     * Memory and rate bounds of {@code model} on {@code hardware} for {@code workload}. Decode reads
     * the weights once per step for all {@code concurrency} sequences and each sequence's own KV
     * cache; prefill reads the weights once per {@code batch} prompt tokens.
     */
    public static InferenceEstimate inference(ModelShape model, HardwareLimits hardware, InferenceWorkload workload) {
        int c = workload.concurrency();
        KvCacheType cache = workload.cache();
        double kvHeld = TokenCost.kvBytesHeld(model, cache, workload.context()) * c;
        return new InferenceEstimate(model, hardware, workload, model.weightBytes(), kvHeld,
                decode(model, hardware, cache, c, 0), decode(model, hardware, cache, c, workload.context()),
                prefill(model, hardware, cache, workload.context(), Math.min(workload.batch(), workload.context()), 0));
    }

    /**
     * Decode of {@code concurrency} sequences together, each attending over {@code context}
     * positions: per step the weights once and every sequence's cache; per token a step's share.
     */
    public static InferenceEstimate.Bound decode(ModelShape model, HardwareLimits hardware, KvCacheType cache, int concurrency,
                                                 double context) {
        double stepBytes = model.bytesReadPerToken() + concurrency * TokenCost.kvBytesRead(model, cache, context);
        return InferenceEstimate.Bound.of(stepBytes / concurrency, TokenCost.decodeFlops(model, context), hardware);
    }

    /** Prefill of {@code promptTokens} tokens after {@code depth} cached ones, {@code batch} tokens per weight pass. */
    public static InferenceEstimate.Bound prefill(ModelShape model, HardwareLimits hardware, KvCacheType cache, int promptTokens,
                                                  int batch, int depth) {
        double context = TokenCost.averageContext(depth, promptTokens);
        return InferenceEstimate.Bound.of(TokenCost.prefillBytes(model, cache, Math.min(batch, promptTokens), context),
                TokenCost.prefillFlops(model, promptTokens, context), hardware);
    }
}
