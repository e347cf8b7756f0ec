package io.toks.report.chart;

import io.toks.core.result.HardwareRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.report.LabeledDocument;
import java.util.ArrayList;
import java.util.List;

/** Charts of {@code toks hw} runs: each limit of the machine against threads, a line per document. */
final class HardwareCharts {

    private HardwareCharts() {}

    static List<ChartSpec> of(List<LabeledDocument> documents) {
        List<Double> threads = documents.stream().flatMap(d -> d.document().runs(HardwareRun.class).stream())
                .map(h -> (double) h.threads()).toList();
        if (threads.isEmpty()) return List.of();
        Axis x = NumericAxes.of("threads", "", threads);
        List<ChartSpec> charts = new ArrayList<>();
        add(charts, "Memory read bandwidth against threads (mean, 95% CI)", x, Metric.READ_BANDWIDTH, documents);
        add(charts, "Peak FP32 FMA against threads (mean, 95% CI)", x, Metric.PEAK_FMA, documents);
        return charts;
    }

    private static void add(List<ChartSpec> charts, String title, Axis x, Metric metric, List<LabeledDocument> documents) {
        List<ChartSeries> series = new ArrayList<>();
        for (LabeledDocument d : documents) {
            List<ChartPoint> points = new ArrayList<>();
            for (HardwareRun h : d.document().runs(HardwareRun.class)) {
                MetricSummary s = h.metric(metric);
                if (s != null && s.n() > 0) points.add(ChartPoint.at(h.threads(), s.mean(), s.ci95Low(), s.ci95High()));
            }
            if (!points.isEmpty()) series.add(new ChartSeries(d.label(), SeriesStyle.LINE, points));
        }
        if (!series.isEmpty()) charts.add(new ChartSpec(title, x, new Axis(metric.key(), metric.unit().symbol(), AxisKind.VALUE), series));
    }
}
