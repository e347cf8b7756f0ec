package io.toks.engine.sampling;

/** Picks the next token from logits. Implementations may overwrite the logits array. */
public interface Sampler {

    int sample(float[] logits);

    /**
     * The sampler for these settings: greedy (argmax) when temperature is 0, otherwise
     * temperature, then top-k (0 = off), then top-p (nucleus; 0 or 1 = off), seeded.
     */
    static Sampler of(float temperature, int topK, float topP, long seed) {
        if (temperature < 0 || Float.isNaN(temperature)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("top-k must be >= 0, got " + topK);
        if (!(topP >= 0 && topP <= 1)) throw new IllegalArgumentException("top-p must be between 0 and 1, got " + topP);
        return temperature == 0 ? new GreedySampler() : new RandomSampler(temperature, topK, topP, seed);
    }
}
