package io.toks.engine.sampling;

import io.toks.core.ToksException;
import io.toks.engine.math.ScalarKernels;

/**
 * Temperature, optional top-k, optional top-p (nucleus) sampling with a seeded xorshift64* RNG.
 * With top-k off, this follows llama2.c's {@code sample} step for step (same RNG, same
 * cutoff pre-filter, same cumulative rule), so a seed reproduces llama2.c's output.
 */
public final class RandomSampler implements Sampler {

    private final float temperature;
    private final int topK;
    private final float topP;
    private long state;
    private int[] order = new int[0];
    private long[] sortKeys = new long[0];

    public RandomSampler(float temperature, int topK, float topP, long seed) {
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.state = seed == 0 ? 0x9E3779B97F4A7C15L : seed; // xorshift must not start at 0
    }

    /** xorshift64*, returning the high 32 bits, as llama2.c's random_u32. */
    int nextU32() {
        state ^= state >>> 12;
        state ^= state << 25;
        state ^= state >>> 27;
        return (int) ((state * 0x2545F4914F6CDD1DL) >>> 32);
    }

    /** Uniform in [0, 1) with 24 bits, as llama2.c's random_f32. */
    float nextFloat() {
        return (nextU32() >>> 8) / 16777216.0f;
    }

    @Override
    public int sample(float[] logits) {
        int n = logits.length;
        for (int i = 0; i < n; i++) {
            float scaled = logits[i] / temperature;
            // -infinity is a token ruled out (probability 0); NaN and +infinity leave no distribution.
            if (Float.isNaN(scaled) || scaled == Float.POSITIVE_INFINITY) throw new NonFiniteLogitsException(logits[i]);
            logits[i] = scaled;
        }
        ScalarKernels.softmax(logits, 0, n);
        float coin = nextFloat();
        boolean nucleus = topP > 0 && topP < 1;
        if (topK == 0 && !nucleus) return sampleAll(logits, coin);
        return sampleTruncated(logits, coin, nucleus);
    }

    private static int sampleAll(float[] probs, float coin) {
        float cdf = 0;
        for (int i = 0; i < probs.length; i++) {
            cdf += probs[i];
            if (coin < cdf) return i;
        }
        return probs.length - 1; // rounding
    }

    private int sampleTruncated(float[] p, float coin, boolean nucleus) {
        int n = p.length;
        if (order.length < n) {
            order = new int[n];
            sortKeys = new long[n];
        }
        // Tokens below this cannot be in the nucleus: a cheap pre-filter before sorting (llama2.c).
        float cutoff = nucleus ? (1.0f - topP) / (n - 1) : 0f;
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (p[i] >= cutoff) order[kept++] = i;
        }
        // No probability passed the filter only when they are not numbers: NaN logits from broken weights.
        if (kept == 0) throw new ToksException("the model's output is not a number (NaN): its weights or hyper-parameters are broken");
        sortByProbabilityDescending(p, kept);
        if (topK > 0) kept = Math.min(kept, topK);
        float cumulative = 0;
        int last = kept - 1;
        for (int i = 0; i < kept; i++) {
            cumulative += p[order[i]];
            if (nucleus && cumulative > topP) {
                last = i;
                break;
            }
        }
        float r = coin * cumulative;
        float cdf = 0;
        for (int i = 0; i <= last; i++) {
            cdf += p[order[i]];
            if (r < cdf) return order[i];
        }
        return order[last];
    }

    private void sortByProbabilityDescending(float[] p, int count) {
        // Box-free sort of indices by probability: sort (probability, index) pairs packed in longs.
        long[] keys = sortKeys;
        for (int i = 0; i < count; i++) {
            int bits = Float.floatToIntBits(p[order[i]]); // probabilities are >= 0: bits order = value order
            keys[i] = ((long) (Integer.MAX_VALUE - bits) << 32) | order[i];
        }
        java.util.Arrays.sort(keys, 0, count);
        for (int i = 0; i < count; i++) order[i] = (int) keys[i];
    }
}
