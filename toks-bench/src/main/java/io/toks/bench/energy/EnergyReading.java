package io.toks.bench.energy;

/**
 * Energy drawn over a span of time, as a meter read it.
 *
 * @param joules  energy drawn; NaN when the source could not say (it failed during the span)
 * @param seconds the span's length
 */
public record EnergyReading(double joules, double seconds) {

    /** Nothing drawn over no time: where a sum of readings starts. */
    public static final EnergyReading NONE = new EnergyReading(0, 0);

    public EnergyReading {
        if (seconds < 0) throw new IllegalArgumentException("seconds must be >= 0, got " + seconds);
    }

    /** Whether the source gave a figure. */
    public boolean known() {
        return !Double.isNaN(joules);
    }

    /** Joules / seconds; NaN over no time or without a figure. */
    public double averageWatts() {
        return seconds > 0 ? joules / seconds : Double.NaN;
    }

    /** Both spans together (unknown if either is). */
    public EnergyReading plus(EnergyReading other) {
        return new EnergyReading(joules + other.joules, seconds + other.seconds);
    }
}
