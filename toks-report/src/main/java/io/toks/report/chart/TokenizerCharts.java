package io.toks.report.chart;

import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.TokenizerRun;
import io.toks.report.LabeledDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Charts of {@code toks count} runs: a bar per tokenizer and document. */
final class TokenizerCharts {

    private TokenizerCharts() {}

    static List<ChartSpec> of(List<LabeledDocument> documents) {
        if (documents.stream().allMatch(d -> d.document().runs(TokenizerRun.class).isEmpty())) return List.of();
        List<ChartSpec> charts = new ArrayList<>();
        add(charts, "Tokens of the text, by tokenizer", new Axis("tokens", "", AxisKind.VALUE), documents,
                t -> ChartPoint.at(t.tokenizer(), t.tokens(), Double.NaN, Double.NaN));
        add(charts, "Characters per token, by tokenizer", new Axis("characters per token", "chars/token", AxisKind.VALUE), documents,
                t -> ChartPoint.at(t.tokenizer(), t.charsPerToken(), Double.NaN, Double.NaN));
        add(charts, "Tokenizer speed, one thread (mean, 95% CI)", new Axis("tokenize_mb_per_s", "MB/s", AxisKind.VALUE), documents, t -> {
            MetricSummary s = t.metric(Metric.TOKENIZE_MB_PER_S);
            return s == null || s.n() == 0 ? null : ChartPoint.at(t.tokenizer(), s.mean(), s.ci95Low(), s.ci95High());
        });
        return charts;
    }

    private static void add(List<ChartSpec> charts, String title, Axis y, List<LabeledDocument> documents,
                            Function<TokenizerRun, ChartPoint> value) {
        List<ChartSeries> series = new ArrayList<>();
        for (LabeledDocument d : documents) {
            List<ChartPoint> points = d.document().runs(TokenizerRun.class).stream().map(value).filter(p -> p != null).toList();
            if (!points.isEmpty()) series.add(new ChartSeries(d.label(), SeriesStyle.BAR, points));
        }
        if (!series.isEmpty()) charts.add(new ChartSpec(title, Axis.category("tokenizer"), y, series));
    }
}
