package io.toks.bench.quality;

/**
 * Told about every scored position of a perplexity run, in order: the model's logits there and
 * the token that actually follows. The arrays are reused: copy what must outlive the call.
 */
@FunctionalInterface
interface ScoredPosition {

    void accept(float[] logits, double logNormalizer, int nextToken);

    ScoredPosition NONE = (logits, lse, next) -> {};
}
