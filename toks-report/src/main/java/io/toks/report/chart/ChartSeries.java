package io.toks.report.chart;

import java.util.List;

/**
 * One named series of a chart: a document, or a document's configuration when a document holds several.
 *
 * @param name   the legend entry
 * @param style  bars or a line
 * @param points in x order (lines) or category order (bars)
 */
public record ChartSeries(String name, SeriesStyle style, List<ChartPoint> points) {

    public ChartSeries {
        points = List.copyOf(points);
    }

    /** Whether any point carries an interval (the chart draws error bars for this series). */
    public boolean hasIntervals() {
        return points.stream().anyMatch(ChartPoint::hasInterval);
    }
}
