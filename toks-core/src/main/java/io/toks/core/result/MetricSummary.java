package io.toks.core.result;

import io.toks.core.stats.Statistics;
import io.toks.core.stats.Summary;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One metric over its samples, the same shape for every metric of every command: n, mean,
 * stdev, the 95% confidence interval of the mean, min, median, max, percentiles where the
 * metric is a latency distribution, and the raw samples where the document keeps them (every
 * repetition of a benchmark; a load run's per-request samples are in its journal instead).
 * Undefined figures are NaN (null in JSON).
 *
 * @param unit        what the figures are in
 * @param n           number of samples
 * @param percentiles {@code p50}, {@code p90}, {@code p95}, {@code p99} where they apply; empty otherwise
 * @param samples     the raw samples in run order; empty when not kept
 */
public record MetricSummary(Unit unit, long n, double mean, double stdev, double ci95Low, double ci95High,
                            double min, double median, double max, Map<String, Double> percentiles, double[] samples) {

    public MetricSummary {
        // Sorted, so documents diff cleanly; a missing (null) percentile is left out.
        TreeMap<String, Double> sorted = new TreeMap<>();
        if (percentiles != null) percentiles.forEach((k, v) -> { if (k != null && v != null) sorted.put(k, v); });
        percentiles = Collections.unmodifiableMap(sorted);
        samples = samples == null ? new double[0] : samples.clone();
    }

    /**
     * Repetitions of one measurement, every sample kept. The interval of a quantity that cannot be
     * negative (every rate, time and share here) is cut at 0: a wide t-interval over few noisy
     * samples would otherwise state an impossible negative bound.
     */
    public static MetricSummary ofSamples(Unit unit, double... samples) {
        Summary s = Statistics.summarize(samples);
        double low = s.min() >= 0 ? Math.max(0, s.ci95Low()) : s.ci95Low();
        return new MetricSummary(unit, s.n(), s.mean(), s.stdev(), low, s.ci95High(), s.min(), s.median(),
                s.max(), Map.of(), samples);
    }

    /** A figure measured once over a whole window (a throughput): n = 1, no spread. */
    public static MetricSummary single(Unit unit, double value) {
        return new MetricSummary(unit, Double.isNaN(value) ? 0 : 1, value, Double.NaN, Double.NaN, Double.NaN,
                value, value, value, Map.of(), new double[0]);
    }

    /** A percentile ("p99") or NaN. */
    public double percentile(String name) {
        Double v = percentiles.get(name);
        return v == null ? Double.NaN : v;
    }
}
