package io.toks.report.compare;

import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.Run;

/**
 * One number of a run that a comparison tests: a metric's mean ({@code decode_tps}) or one of its
 * percentiles ({@code ttft_p99}).
 *
 * @param metric     the metric
 * @param percentile 99 for p99; null for the mean
 */
record Figure(Metric metric, Integer percentile) {

    /** The percentiles a document records for latency metrics, and so the ones a figure may name. */
    static final int[] PERCENTILES = {50, 90, 95, 99};

    static Figure mean(Metric metric) {
        return new Figure(metric, null);
    }

    static Figure percentile(Metric metric, int percentile) {
        return new Figure(metric, percentile);
    }

    /** {@code decode_tps}, {@code ttft_p99}. */
    String name() {
        return percentile == null ? metric.key() : metric.key() + "_p" + percentile;
    }

    /** The summary of this figure's metric in {@code run}, or null when the run did not measure it. */
    MetricSummary of(Run run) {
        MetricSummary s = run.metric(metric);
        if (s == null || s.n() == 0 || Double.isNaN(s.mean())) return null;
        if (percentile != null && Double.isNaN(s.percentile("p" + percentile))) return null;
        return s;
    }

    /**
     * Why {@code run} gives no value of this figure though it carries the metric: "no samples of
     * it (n = 0)" or "no p99"; null when it gives one or does not carry the metric at all.
     */
    String emptiness(Run run) {
        MetricSummary s = run.metric(metric);
        if (s == null || of(run) != null) return null;
        if (s.n() == 0 || Double.isNaN(s.mean())) return "no samples of it (n = " + s.n() + ")";
        return "no p" + percentile;
    }

    @Override
    public String toString() {
        return name();
    }
}
