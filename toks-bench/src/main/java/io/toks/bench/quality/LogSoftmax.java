package io.toks.bench.quality;

/**
 * Log-probabilities from logits: log p(i) = logit(i) - log(sum_j exp(logit(j))). The normalizer
 * is accumulated in double after subtracting the largest logit, as llama.cpp's perplexity tool
 * does, so a vocabulary of 150k logits loses nothing to float rounding or overflow.
 */
final class LogSoftmax {

    private LogSoftmax() {}

    /** log(sum exp(logits)), computed stably in double. */
    static double logNormalizer(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double sum = 0;
        for (float l : logits) sum += Math.exp((double) l - max);
        return max + Math.log(sum);
    }

    /** Every log-probability, into {@code out}. */
    static void logProbabilities(float[] logits, float[] out) {
        double lse = logNormalizer(logits);
        for (int i = 0; i < logits.length; i++) out[i] = (float) (logits[i] - lse);
    }

    /** The index of the largest value (the first of equals). */
    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
        return best;
    }
}
