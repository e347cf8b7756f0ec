package io.toks.report.chart;

import io.toks.core.result.MeterRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.report.LabeledDocument;
import java.util.ArrayList;
import java.util.List;

/**
 * Charts of TokenMeter results ({@code meter} documents): a bar per model and document for its
 * throughput, per-call decode rate and training rate, and its latency percentiles side by side.
 */
final class MeterCharts {

    private static final List<Metric> LATENCIES = List.of(Metric.TTFT, Metric.ITL, Metric.TPOT, Metric.E2E);
    private static final List<String> PERCENTILES = List.of("p50", "p90", "p99");

    private MeterCharts() {}

    static List<ChartSpec> of(List<LabeledDocument> documents) {
        if (documents.stream().allMatch(d -> d.document().runs(MeterRun.class).isEmpty())) return List.of();
        List<ChartSpec> charts = new ArrayList<>();
        perModel(charts, "Output tok/s per model (output tokens / window)", Metric.OUTPUT_TPS, documents);
        perModel(charts, "Decode tok/s per call (mean, 95% CI)", Metric.DECODE_TPS, documents);
        perModel(charts, "Training tok/s per step (mean, 95% CI)", Metric.TRAIN_TPS, documents);
        latencies(charts, documents);
        return charts;
    }

    private static void perModel(List<ChartSpec> charts, String title, Metric metric, List<LabeledDocument> documents) {
        List<ChartSeries> series = new ArrayList<>();
        for (LabeledDocument d : documents) {
            List<ChartPoint> points = new ArrayList<>();
            for (MeterRun m : d.document().runs(MeterRun.class)) {
                MetricSummary s = m.metric(metric);
                if (s != null && s.n() > 0) points.add(ChartPoint.at(m.model(), s.mean(), s.ci95Low(), s.ci95High()));
            }
            if (!points.isEmpty()) series.add(new ChartSeries(d.label(), SeriesStyle.BAR, points));
        }
        if (!series.isEmpty()) {
            charts.add(new ChartSpec(title, Axis.category("model"), new Axis(metric.key(), metric.unit().symbol(), AxisKind.VALUE), series));
        }
    }

    /** A bar per latency percentile ({@code ttft p50} ...), a series per document (and model, where a document has several). */
    private static void latencies(List<ChartSpec> charts, List<LabeledDocument> documents) {
        List<ChartSeries> series = new ArrayList<>();
        for (LabeledDocument d : documents) {
            List<MeterRun> meters = d.document().runs(MeterRun.class);
            for (MeterRun m : meters) {
                List<ChartPoint> points = new ArrayList<>();
                for (Metric latency : LATENCIES) {
                    MetricSummary s = m.metric(latency);
                    if (s == null || s.n() == 0) continue;
                    for (String p : PERCENTILES) {
                        double v = s.percentile(p);
                        if (!Double.isNaN(v)) points.add(ChartPoint.at(latency.key() + " " + p, v, Double.NaN, Double.NaN));
                    }
                }
                String name = meters.size() == 1 ? d.label() : d.label() + " " + m.model();
                if (!points.isEmpty()) series.add(new ChartSeries(name, SeriesStyle.BAR, points));
            }
        }
        if (!series.isEmpty()) {
            charts.add(new ChartSpec("Latency percentiles per call and per token", Axis.category("percentile"),
                    new Axis("latency", "ms", AxisKind.VALUE), series));
        }
    }
}
