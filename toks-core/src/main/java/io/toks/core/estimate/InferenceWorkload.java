package io.toks.core.estimate;

/**
 * The serving situation an inference estimate is for.
 *
 * @param context     positions per sequence: the prompt prefilled, and the depth decode reaches
 * @param concurrency sequences decoded together (one weight read serves them all), each with its own KV cache
 * @param batch       prompt tokens prefilled per pass over the weights
 * @param cache       how the KV cache stores its elements
 */
public record InferenceWorkload(int context, int concurrency, int batch, KvCacheType cache) {

    public InferenceWorkload {
        if (context < 1) throw new IllegalArgumentException("context must be at least 1, got " + context);
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
    }
}
