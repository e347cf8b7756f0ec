package io.toks.train.optim;

/**
 * Linear warm-up to the peak rate, then a cosine decay to the minimum at the last step (the
 * schedule of nanoGPT and llm.c).
 *
 * @param peak        the rate reached at the end of warm-up
 * @param minimum     the rate at the last step
 * @param warmupSteps steps of linear warm-up (step s of them, from 0, runs at peak · (s + 1) / warmupSteps)
 * @param totalSteps  steps in the whole run
 */
public record LearningRateSchedule(double peak, double minimum, int warmupSteps, int totalSteps) {

    public LearningRateSchedule {
        if (!(peak > 0)) throw new IllegalArgumentException("learning rate must be positive, got " + peak);
        if (!(minimum >= 0 && minimum <= peak)) throw new IllegalArgumentException("minimum learning rate must be in [0, " + peak + "], got " + minimum);
        if (warmupSteps < 0) throw new IllegalArgumentException("warm-up steps must be at least 0, got " + warmupSteps);
        if (totalSteps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + totalSteps);
    }

    /** The rate of step {@code step} (from 0). */
    public double rate(int step) {
        if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
        int decaySteps = totalSteps - warmupSteps;
        if (decaySteps <= 1) return peak;
        double progress = Math.min(1.0, (double) (step - warmupSteps) / (decaySteps - 1));
        return minimum + 0.5 * (peak - minimum) * (1 + Math.cos(Math.PI * progress));
    }
}
