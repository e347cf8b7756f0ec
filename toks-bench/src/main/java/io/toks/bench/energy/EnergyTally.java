package io.toks.bench.energy;

/**
 * The energy of several timed sections added up (a benchmark's repetitions, without the untimed
 * work between them): {@link #begin()} before each, {@link #end()} after it. Without a meter it
 * does nothing and its total is unknown.
 */
public final class EnergyTally {

    private final EnergyMeter meter;
    private EnergyMeter.Span open;
    private EnergyReading total = EnergyReading.NONE;

    EnergyTally(EnergyMeter meter) {
        this.meter = meter;
    }

    /** A tally that measures nothing. */
    public static EnergyTally none() {
        return new EnergyTally(null);
    }

    public void begin() {
        if (meter == null) return;
        if (open != null) throw new IllegalStateException("a section is already open");
        open = meter.start();
    }

    public void end() {
        if (open == null) return;
        total = total.plus(open.stop());
        open = null;
    }

    /** Every section so far; joules unknown (NaN) without a meter. */
    public EnergyReading total() {
        return meter == null ? new EnergyReading(Double.NaN, total.seconds()) : total;
    }
}
