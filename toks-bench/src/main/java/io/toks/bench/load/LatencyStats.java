package io.toks.bench.load;

import io.toks.core.result.MetricSummary;
import io.toks.core.result.Unit;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.HdrHistogram.Histogram;

/**
 * A latency distribution in milliseconds, from an HdrHistogram at 3 significant digits (values
 * within 0.1%). NaN everywhere when there were no samples.
 *
 * @param samples the per-request values, exact (not histogram-rounded), in order of due time, where
 *                the result document keeps them (ttft, tpot, e2e: {@code toks compare} bootstraps
 *                their percentiles); empty for per-token and per-chunk distributions (itl, chunk
 *                gaps), whose samples would outweigh the rest of the document
 */
public record LatencyStats(long count, double mean, double stdev, double min, double p50, double p90, double p95, double p99,
                           double max, double[] samples) {

    static final LatencyStats EMPTY = new LatencyStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN, new double[0]);

    public LatencyStats {
        samples = samples == null ? new double[0] : samples.clone();
    }

    /** By value, samples included: a level recomputed from its journal equals the live one. */
    @Override
    public boolean equals(Object o) {
        return o instanceof LatencyStats l && count == l.count && Double.compare(mean, l.mean) == 0
                && Double.compare(stdev, l.stdev) == 0 && Double.compare(min, l.min) == 0 && Double.compare(p50, l.p50) == 0
                && Double.compare(p90, l.p90) == 0 && Double.compare(p95, l.p95) == 0 && Double.compare(p99, l.p99) == 0
                && Double.compare(max, l.max) == 0 && Arrays.equals(samples, l.samples);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, mean, stdev, min, p50, p90, p95, p99, max) * 31 + Arrays.hashCode(samples);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "LatencyStats[count=%d, mean=%s, p50=%s, p99=%s, max=%s, samples=%d]",
                count, mean, p50, p99, max, samples.length);
    }

    /** Histograms record microseconds: sub-millisecond resolution, an hour of range. */
    static Histogram newHistogram() {
        Histogram h = new Histogram(3);
        h.setAutoResize(true);
        return h;
    }

    static void recordNanos(Histogram h, long nanos) {
        h.recordValue(Math.max(0, Math.round(nanos / 1e3)));
    }

    static LatencyStats of(Histogram h) {
        return of(h, new double[0]);
    }

    /** The histogram's figures, with the per-request samples ({@code samplesMs}) kept beside them. */
    static LatencyStats of(Histogram h, double[] samplesMs) {
        if (h.getTotalCount() == 0) return EMPTY;
        return new LatencyStats(h.getTotalCount(), h.getMean() / 1e3, h.getStdDeviation() / 1e3, h.getMinValue() / 1e3,
                ms(h, 50), ms(h, 90), ms(h, 95), ms(h, 99), h.getMaxValue() / 1e3, samplesMs);
    }

    /**
     * As the result document states a distribution: the 95% interval of the mean from the normal
     * approximation (the counts here are requests or tokens, many), percentiles by name.
     */
    MetricSummary toSummary() {
        double half = count > 1 ? 1.96 * stdev / Math.sqrt(count) : Double.NaN;
        return new MetricSummary(Unit.MILLISECONDS, count, mean, count > 1 ? stdev : Double.NaN, mean - half, mean + half,
                min, p50, max, count == 0 ? Map.of() : Map.of("p50", p50, "p90", p90, "p95", p95, "p99", p99), samples);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e3;
    }
}
