package io.toks.core.meter;

import io.toks.core.events.Clock;

/**
 * The training steps a program reported: each step's time runs from the end of the one before
 * (the first from {@code startNanos}, the meter's creation), and each step gives one tok/s sample.
 */
final class TrainingLedger {

    private final SampleBuffer stepRates = new SampleBuffer();
    private long lastEndNanos;
    private long steps;
    private long tokens;
    private long nanos;

    TrainingLedger(long startNanos) {
        this.lastEndNanos = startNanos;
    }

    /** The clock is read under the lock, so steps reported by several threads end in the order they are counted. */
    synchronized void step(long stepTokens, Clock clock) {
        long endNanos = clock.nanoTime();
        long took = endNanos - lastEndNanos;
        lastEndNanos = endNanos;
        steps++;
        tokens += stepTokens;
        nanos += took;
        // A step the clock could not tell from the previous one has no rate (a coarse or fake clock).
        if (took > 0) stepRates.add(stepTokens / (took / 1e9));
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(steps, tokens, nanos / 1e9, stepRates.toArray());
    }

    /** @param stepRates tok/s of each step with a measurable time */
    record Snapshot(long steps, long tokens, double seconds, double[] stepRates) {}
}
