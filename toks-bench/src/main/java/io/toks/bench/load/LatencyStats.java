package io.toks.bench.load;

import org.HdrHistogram.Histogram;

/**
 * A latency distribution in milliseconds, from an HdrHistogram at 3 significant digits (values
 * within 0.1%). NaN everywhere when there were no samples.
 */
public record LatencyStats(long count, double mean, double p50, double p90, double p95, double p99, double max) {

    static final LatencyStats EMPTY = new LatencyStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

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
        if (h.getTotalCount() == 0) return EMPTY;
        return new LatencyStats(h.getTotalCount(), h.getMean() / 1e3, ms(h, 50), ms(h, 90), ms(h, 95), ms(h, 99), h.getMaxValue() / 1e3);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e3;
    }
}
