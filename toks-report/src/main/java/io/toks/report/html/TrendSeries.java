package io.toks.report.html;

import java.util.List;
import java.util.Objects;

/**
 * One line of a trend chart: a configuration measured over time ({@code stories260K tg128 2t}).
 *
 * @param label  the legend entry
 * @param points its measurements, in any order (the chart sorts them by time)
 */
public record TrendSeries(String label, List<TrendPoint> points) {

    public TrendSeries {
        Objects.requireNonNull(label, "label");
        points = List.copyOf(points);
    }
}
