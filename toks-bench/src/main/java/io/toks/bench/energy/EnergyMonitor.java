package io.toks.bench.energy;

import io.toks.core.manifest.Manifest;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.Unit;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a measuring command uses to state the energy of its runs: a meter, the machine's idle power
 * read once before the runs, and the figures of each run ({@link #figures}). Without a meter (none
 * readable, turned off, a server on another machine) it measures nothing and its
 * {@link #facts()} say why.
 */
public final class EnergyMonitor implements AutoCloseable {

    private final EnergyMeter meter;
    private final String offReason;
    private final double idleWatts;
    private final double idleSeconds;

    private EnergyMonitor(EnergyMeter meter, String offReason, double idleWatts, double idleSeconds) {
        this.meter = meter;
        this.offReason = offReason;
        this.idleWatts = idleWatts;
        this.idleSeconds = idleSeconds;
    }

    /** Measures nothing, for {@code reason} (stated in the output). */
    public static EnergyMonitor off(String reason) {
        return new EnergyMonitor(null, reason, Double.NaN, 0);
    }

    /**
     * Measures with {@code meter}, its idle power first sampled for {@code idle} (this thread
     * sleeps meanwhile; zero: not sampled). An unavailable meter measures nothing, for its reason.
     * The monitor closes the meter.
     */
    public static EnergyMonitor start(EnergyMeter meter, Duration idle) {
        if (!meter.available()) return off(meter.unavailableReason());
        if (idle.isZero() || idle.isNegative()) return new EnergyMonitor(meter, null, Double.NaN, 0);
        return new EnergyMonitor(meter, null, meter.idleWatts(idle), idle.toNanos() / 1e9);
    }

    /** Whether runs get energy figures. */
    public boolean measuring() {
        return meter != null;
    }

    /** The idle power sampled before the runs; NaN when not sampled. */
    public double idleWatts() {
        return idleWatts;
    }

    /** A tally of timed sections (one per run); measures nothing when this monitor does not. */
    public EnergyTally tally() {
        return new EnergyTally(meter);
    }

    /** How energy was measured, or why not, for the manifest. */
    public Manifest.Energy facts() {
        if (meter == null) return Manifest.Energy.notMeasured(offReason);
        return new Manifest.Energy(meter.source(), idleWatts, idleSeconds, meter.failure());
    }

    /** The energy figures of a run that processed {@code tokens} tokens while {@code reading} was taken; none without a reading. */
    public Map<Metric, MetricSummary> metrics(EnergyReading reading, double tokens) {
        if (meter == null) return Map.of();
        return figures(reading, idleWatts, tokens);
    }

    /**
     * {@code energy}, {@code average_power} and {@code tokens_per_joule} of a reading, with
     * {@code idle_power} and {@code energy_above_idle} where the idle power is known
     * (docs/metrics.md, "Energy"); empty when the reading has no figure.
     */
    public static Map<Metric, MetricSummary> figures(EnergyReading reading, double idleWatts, double tokens) {
        Map<Metric, MetricSummary> m = new EnumMap<>(Metric.class);
        if (!reading.known()) return m;
        m.put(Metric.ENERGY, MetricSummary.single(Unit.JOULES, reading.joules()));
        m.put(Metric.AVERAGE_POWER, MetricSummary.single(Unit.WATTS, reading.averageWatts()));
        if (!Double.isNaN(idleWatts)) {
            m.put(Metric.IDLE_POWER, MetricSummary.single(Unit.WATTS, idleWatts));
            m.put(Metric.ENERGY_ABOVE_IDLE, MetricSummary.single(Unit.JOULES, reading.joules() - idleWatts * reading.seconds()));
        }
        // No joules counted (a span shorter than the counter's update): a rate per joule would be infinite.
        m.put(Metric.TOKENS_PER_JOULE, MetricSummary.single(Unit.TOKENS_PER_JOULE, reading.joules() > 0 ? tokens / reading.joules() : Double.NaN));
        return m;
    }

    @Override
    public void close() {
        if (meter != null) meter.close();
    }
}
