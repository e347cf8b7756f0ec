package io.toks.report.html;

import io.toks.core.result.MetricSummary;
import java.time.Instant;
import java.util.Objects;

/**
 * One measurement of a metric in a trend: when it was taken and what it was. The chart draws
 * {@code value.mean()} with its 95% confidence interval as an error bar where it has one.
 *
 * @param at    when the measurement was taken (a manifest's {@code created_at})
 * @param value the metric's summary
 */
public record TrendPoint(Instant at, MetricSummary value) {

    public TrendPoint {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(value, "value");
    }
}
