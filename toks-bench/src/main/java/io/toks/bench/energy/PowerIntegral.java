package io.toks.bench.energy;

/**
 * The energy of a power signal known only at samples: each new sample adds the trapezoid
 * between it and the previous one; between the last sample and a later instant the last power is
 * held. Kept as a running total, so memory does not grow with the length of a run.
 */
final class PowerIntegral {

    private long previousNanos;
    private double previousWatts = Double.NaN;
    /** Joules up to the previous sample. */
    private double joulesAtPrevious;
    private long lastNanos;
    private double lastWatts = Double.NaN;

    /** A power sample taken at {@code nanos}; samples come in time order. */
    synchronized void add(long nanos, double watts) {
        if (!Double.isNaN(lastWatts)) {
            joulesAtPrevious = joulesUpToLast();
            previousNanos = lastNanos;
            previousWatts = lastWatts;
        } else {
            previousNanos = nanos;
            previousWatts = watts;
        }
        lastNanos = Math.max(nanos, previousNanos);
        lastWatts = watts;
    }

    synchronized boolean sampled() {
        return !Double.isNaN(lastWatts);
    }

    /** When the last sample came; meaningless before the first. */
    synchronized long lastNanos() {
        return lastNanos;
    }

    /**
     * Joules from the first sample to {@code nanos}; NaN before any sample. An instant inside the
     * last interval (a sample that arrived while the caller read the clock) counts only the part
     * of it before that instant; an instant earlier than that is taken as the interval's start,
     * so the total never runs backwards.
     */
    synchronized double joulesAt(long nanos) {
        if (Double.isNaN(lastWatts)) return Double.NaN;
        if (nanos >= lastNanos) return joulesUpToLast() + lastWatts * (nanos - lastNanos) / 1e9;
        if (nanos <= previousNanos) return joulesAtPrevious;
        double span = lastNanos - previousNanos;
        double wattsThen = previousWatts + (lastWatts - previousWatts) * (nanos - previousNanos) / span;
        return joulesAtPrevious + (previousWatts + wattsThen) / 2 * (nanos - previousNanos) / 1e9;
    }

    private double joulesUpToLast() {
        return joulesAtPrevious + (previousWatts + lastWatts) / 2 * (lastNanos - previousNanos) / 1e9;
    }
}
