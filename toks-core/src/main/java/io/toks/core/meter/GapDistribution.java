package io.toks.core.meter;

import io.toks.core.result.MetricSummary;
import io.toks.core.result.Unit;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Gaps between arrivals (itl, chunk gaps): too many to keep one by one, so percentiles come from
 * an HdrHistogram in microseconds at 3 significant digits (within 0.1%, as {@code toks load}'s),
 * while count, mean, standard deviation, min and max are exact. Not thread-safe: its owner locks.
 */
final class GapDistribution {

    private final Histogram micros = new Histogram(3);
    private long count;
    private double meanMs;
    private double squaresMs;
    private long minNanos = Long.MAX_VALUE;
    private long maxNanos = Long.MIN_VALUE;

    GapDistribution() {
        micros.setAutoResize(true);
    }

    void record(long nanos) {
        long gap = Math.max(0, nanos);
        micros.recordValue((gap + 500) / 1000);
        // Welford's update: exact to double precision however many gaps come.
        double ms = gap / 1e6;
        count++;
        double delta = ms - meanMs;
        meanMs += delta / count;
        squaresMs += delta * (ms - meanMs);
        minNanos = Math.min(minNanos, gap);
        maxNanos = Math.max(maxNanos, gap);
    }

    long count() {
        return count;
    }

    /** In milliseconds; the interval of the mean from the normal approximation (gaps are many); null without gaps. */
    MetricSummary summary() {
        if (count == 0) return null;
        double stdev = count > 1 ? Math.sqrt(squaresMs / (count - 1)) : Double.NaN;
        double half = count > 1 ? 1.96 * stdev / Math.sqrt(count) : Double.NaN;
        double p50 = percentile(50);
        return new MetricSummary(Unit.MILLISECONDS, count, meanMs, stdev, Math.max(0, meanMs - half), meanMs + half,
                minNanos / 1e6, p50, maxNanos / 1e6,
                Map.of("p50", p50, "p90", percentile(90), "p95", percentile(95), "p99", percentile(99)), null);
    }

    /** The histogram's value, kept within the exact min and max (a bucket's top may pass the largest gap). */
    private double percentile(double p) {
        return Math.clamp(micros.getValueAtPercentile(p) / 1e3, minNanos / 1e6, maxNanos / 1e6);
    }
}
