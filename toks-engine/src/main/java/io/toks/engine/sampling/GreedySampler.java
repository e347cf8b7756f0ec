package io.toks.engine.sampling;

/** Argmax; the first index wins ties, as in llama2.c. Refuses NaN or infinite logits ({@link NonFiniteLogitsException}). */
public final class GreedySampler implements Sampler {

    @Override
    public int sample(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) best = i;
        }
        // NaN compares false: all-NaN logits leave token 0, itself NaN; infinity wins as itself.
        if (!Float.isFinite(logits[best])) throw new NonFiniteLogitsException(logits[best]);
        return best;
    }
}
