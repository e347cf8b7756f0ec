package io.toks.report.chart;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * A chart as data, independent of what draws it: the HTML page (ECharts) and the image writer
 * (XChart) draw the same specs.
 *
 * @param title  what the chart shows
 * @param x      the horizontal axis
 * @param y      the vertical axis
 * @param series its series, in legend order
 */
public record ChartSpec(String title, Axis x, Axis y, List<ChartSeries> series) {

    public ChartSpec {
        series = List.copyOf(series);
    }

    /** On a category axis: every category of every series, in first-seen order. */
    public List<String> categories() {
        var all = new LinkedHashSet<String>();
        for (ChartSeries s : series) for (ChartPoint p : s.points()) if (p.category() != null) all.add(p.category());
        return new ArrayList<>(all);
    }

    /** A file-name-safe form of the title: {@code Decode tok/s per test} -> {@code decode-tok-s-per-test}. */
    public String slug() {
        String slug = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return slug.isEmpty() ? "chart" : slug.length() > 80 ? slug.substring(0, 80) : slug;
    }
}
