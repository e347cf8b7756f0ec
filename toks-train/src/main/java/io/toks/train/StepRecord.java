package io.toks.train;

/**
 * One optimizer step as it happened.
 *
 * @param step         steps done after it (1 for the first)
 * @param loss         mean cross-entropy of its batch, nats
 * @param learningRate the rate it was taken at
 * @param gradientNorm the global gradient norm before clipping
 * @param tokens       tokens trained on (batch x sequence length: never padding)
 * @param nanos        forward, backward and optimizer update, wall time
 */
public record StepRecord(int step, double loss, double learningRate, double gradientNorm, long tokens, long nanos) {

    public double tokensPerSecond() {
        return tokens * 1e9 / nanos;
    }
}
