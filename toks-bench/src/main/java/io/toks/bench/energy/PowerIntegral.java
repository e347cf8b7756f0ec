package io.toks.bench.energy;

/**
 * The energy of a power signal known only at samples: each new sample adds the trapezoid
 * between it and the previous one; between the last sample and a later instant the last power is
 * held. Kept as a running total, so memory does not grow with the length of a run.
 */
final class PowerIntegral {

    private long lastNanos;
    private double lastWatts = Double.NaN;
    private double joules;

    /** A power sample taken at {@code nanos}; samples come in time order. */
    synchronized void add(long nanos, double watts) {
        if (!Double.isNaN(lastWatts)) joules += (lastWatts + watts) / 2 * Math.max(0, nanos - lastNanos) / 1e9;
        lastNanos = nanos;
        lastWatts = watts;
    }

    synchronized boolean sampled() {
        return !Double.isNaN(lastWatts);
    }

    /** When the last sample came; meaningless before the first. */
    synchronized long lastNanos() {
        return lastNanos;
    }

    /** Joules from the first sample to {@code nanos}; NaN before any sample. */
    synchronized double joulesAt(long nanos) {
        return joules + lastWatts * Math.max(0, nanos - lastNanos) / 1e9;
    }
}
