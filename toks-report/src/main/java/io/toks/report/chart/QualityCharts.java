package io.toks.report.chart;

import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.QualityRun;
import io.toks.report.LabeledDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Charts of {@code toks perplexity} (and {@code bench --quality}) runs: a bar per model and precision. */
final class QualityCharts {

    private QualityCharts() {}

    static List<ChartSpec> of(List<LabeledDocument> documents) {
        if (documents.stream().allMatch(d -> d.document().runs(QualityRun.class).isEmpty())) return List.of();
        List<ChartSpec> charts = new ArrayList<>();
        add(charts, "Perplexity by model and precision (± 1.96 standard errors)", Metric.PERPLEXITY, documents, q -> {
            MetricSummary s = q.metric(Metric.PERPLEXITY);
            return s == null ? null : ChartPoint.at(name(q), s.mean(), s.ci95Low(), s.ci95High());
        });
        add(charts, "KL divergence from the reference (mean, 95% CI)", Metric.KL_DIVERGENCE, documents, q -> {
            MetricSummary s = q.metric(Metric.KL_DIVERGENCE);
            return s == null ? null : ChartPoint.at(name(q), s.mean(), s.ci95Low(), s.ci95High());
        });
        add(charts, "Top-1 agreement with the reference", Metric.TOP1_AGREEMENT, documents, q -> {
            MetricSummary s = q.metric(Metric.TOP1_AGREEMENT);
            return s == null ? null : ChartPoint.at(name(q), s.mean(), s.ci95Low(), s.ci95High());
        });
        return charts;
    }

    private static String name(QualityRun q) {
        return q.model() + " " + q.modelType();
    }

    private static void add(List<ChartSpec> charts, String title, Metric metric, List<LabeledDocument> documents,
                            Function<QualityRun, ChartPoint> value) {
        List<ChartSeries> series = new ArrayList<>();
        for (LabeledDocument d : documents) {
            List<ChartPoint> points = d.document().runs(QualityRun.class).stream().map(value).filter(p -> p != null).toList();
            if (!points.isEmpty()) series.add(new ChartSeries(d.label(), SeriesStyle.BAR, points));
        }
        if (!series.isEmpty()) {
            charts.add(new ChartSpec(title, Axis.category("model"), new Axis(metric.key(), metric.unit().symbol(), AxisKind.VALUE), series));
        }
    }
}
