package io.toks.core.meter;

import io.toks.core.result.MetricSummary;
import io.toks.core.result.Unit;
import io.toks.core.stats.Statistics;
import java.util.Arrays;
import java.util.Map;

/** Per-call and per-step samples as the result document states them: every sample kept, exact figures. */
final class Summaries {

    private Summaries() {}

    /**
     * A latency over calls (ms): mean, stdev and 95% interval of the mean, median, and the p50,
     * p90, p95 and p99 by nearest rank (HdrHistogram's definition, exact here); null without samples.
     */
    static MetricSummary latency(double[] ms) {
        if (ms.length == 0) return null;
        MetricSummary s = MetricSummary.ofSamples(Unit.MILLISECONDS, ms);
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        Map<String, Double> percentiles = Map.of("p50", Statistics.percentile(sorted, 50), "p90", Statistics.percentile(sorted, 90),
                "p95", Statistics.percentile(sorted, 95), "p99", Statistics.percentile(sorted, 99));
        return new MetricSummary(s.unit(), s.n(), s.mean(), s.stdev(), s.ci95Low(), s.ci95High(), s.min(), s.median(), s.max(),
                percentiles, ms);
    }

    /** A rate over calls or steps (tok/s), every sample kept; null without samples. */
    static MetricSummary rate(double[] tokensPerSecond) {
        return tokensPerSecond.length == 0 ? null : MetricSummary.ofSamples(Unit.TOKENS_PER_SECOND, tokensPerSecond);
    }

    /** Not measured: n = 0, every figure NaN (what {@link TokenStats} answers instead of null). */
    static MetricSummary none(Unit unit) {
        return new MetricSummary(unit, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                Map.of(), null);
    }
}
