package io.toks.report.image;

import io.toks.report.chart.AxisKind;
import io.toks.report.chart.ChartPoint;
import io.toks.report.chart.ChartSeries;
import io.toks.report.chart.ChartSpec;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A {@link ChartSpec} as an XChart chart. XChart draws symmetric error bars only, so an interval
 * is drawn as mean ± its upper half-width: exact for a t-interval, except where the interval was
 * cut at 0 (the HTML report draws the exact bounds).
 */
final class XChartDrawing {

    static final int WIDTH = 1000;
    static final int HEIGHT = 560;

    private XChartDrawing() {}

    static Chart<?, ?> of(ChartSpec spec) {
        return spec.x().kind() == AxisKind.CATEGORY ? bars(spec) : lines(spec);
    }

    private static CategoryChart bars(ChartSpec spec) {
        var chart = new CategoryChart(WIDTH, HEIGHT);
        style(chart, spec);
        chart.getStyler().setXAxisLabelRotation(spec.categories().size() > 4 ? 20 : 0);
        chart.getStyler().setOverlapped(false);
        List<String> categories = spec.categories();
        for (ChartSeries s : spec.series()) {
            List<Double> ys = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (String c : categories) {
                ChartPoint p = s.points().stream().filter(q -> c.equals(q.category())).findFirst().orElse(null);
                // A category this series lacks: an empty slot (0, no error bar), never another series' value.
                ys.add(p == null ? 0.0 : p.y());
                errors.add(p == null || !p.hasInterval() ? 0.0 : p.high() - p.y());
            }
            if (s.hasIntervals()) chart.addSeries(s.name(), categories, ys, errors);
            else chart.addSeries(s.name(), categories, ys);
        }
        return chart;
    }

    private static XYChart lines(ChartSpec spec) {
        var chart = new XYChart(WIDTH, HEIGHT);
        style(chart, spec);
        chart.getStyler().setXAxisLogarithmic(spec.x().kind() == AxisKind.LOG);
        boolean time = spec.x().kind() == AxisKind.TIME;
        if (time) chart.getStyler().setDatePattern("yyyy-MM-dd HH:mm");
        for (ChartSeries s : spec.series()) {
            if (s.points().isEmpty()) continue;
            List<Object> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (ChartPoint p : s.points()) {
                xs.add(time ? new Date((long) p.x()) : p.x());
                ys.add(p.y());
                errors.add(p.hasInterval() ? p.high() - p.y() : 0.0);
            }
            XYSeries series = s.hasIntervals() ? chart.addSeries(s.name(), xs, ys, errors) : chart.addSeries(s.name(), xs, ys);
            series.setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    private static void style(Chart<? extends AxesChartStyler, ?> chart, ChartSpec spec) {
        chart.setTitle(spec.title());
        chart.setXAxisTitle(spec.x().title());
        chart.setYAxisTitle(spec.y().title());
        AxesChartStyler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setErrorBarsColorSeriesColor(true);
        styler.setDecimalPattern("#,##0.##");
    }
}
