package io.toks.core.estimate;

/**
 * How long training on {@code tokens} tokens takes at a model FLOPs utilization:
 * time = tokens × FLOPs per token / (peak × mfu), FLOPs per token from {@link TokenCost#trainingFlops}.
 *
 * @param sequenceLength tokens per training sequence (the attention term grows with it)
 * @param mfu            the share of the peak assumed reached
 */
public record TrainingEstimate(ModelShape model, HardwareLimits hardware, double tokens, int sequenceLength, double mfu,
                               double flopsPerToken, double seconds) {

    public static TrainingEstimate of(ModelShape model, HardwareLimits hardware, double tokens, int sequenceLength, double mfu) {
        if (!(tokens > 0)) throw new IllegalArgumentException("training tokens must be positive, got " + tokens);
        if (sequenceLength < 1) throw new IllegalArgumentException("sequence length must be at least 1, got " + sequenceLength);
        if (!(mfu > 0 && mfu <= 1)) throw new IllegalArgumentException("mfu must be in (0, 1], got " + mfu);
        double perToken = TokenCost.trainingFlops(model, sequenceLength);
        return new TrainingEstimate(model, hardware, tokens, sequenceLength, mfu, perToken,
                tokens * perToken / (hardware.peakFlopsPerSecond() * mfu));
    }

    /** Tokens per second at the assumed mfu. */
    public double tokensPerSecond() {
        return tokens / seconds;
    }
}
