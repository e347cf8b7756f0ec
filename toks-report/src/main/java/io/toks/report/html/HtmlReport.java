package io.toks.report.html;

import io.toks.core.result.ResultDocument;
import io.toks.core.result.Run;
import io.toks.report.LabeledDocument;
import io.toks.report.chart.Axis;
import io.toks.report.chart.AxisKind;
import io.toks.report.chart.ChartPoint;
import io.toks.report.chart.ChartSeries;
import io.toks.report.chart.ChartSpec;
import io.toks.report.chart.Charts;
import io.toks.report.chart.SeriesStyle;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Self-contained HTML pages with charts: one file with its scripts (ECharts), styles and data
 * inlined, that opens offline and loads nothing from the network (its Content-Security-Policy
 * forbids it). Text from documents appears only as text: a model named
 * {@code </script><script>...} is shown, never run.
 *
 * <p>While loading, the page records what it drew for whoever checks it headless: each
 * {@code div.chart} gets {@code data-rendered="true"} and {@code data-series} (its data series;
 * error bars not counted), {@code <body>} gets {@code data-charts-rendered}, and every script
 * error is counted in {@code <html data-errors>} and shown in {@code #toks-errors}.
 */
public final class HtmlReport {

    private HtmlReport() {}

    /**
     * A report comparing result documents: the charts their runs call for ({@link Charts}), each
     * document one series, then per document its manifest and its figures as tables.
     *
     * @param title     the page's title
     * @param documents one or more documents
     */
    public static String of(String title, List<LabeledDocument> documents) {
        if (documents.isEmpty()) throw new IllegalArgumentException("a report needs at least one result document");
        List<ChartSpec> charts = Charts.of(documents);
        StringBuilder sections = new StringBuilder();
        for (LabeledDocument d : documents) sections.append(section(d));
        String subtitle = "toks report of " + documents.stream().map(HtmlReport::describe).collect(Collectors.joining("; "))
                + ". Error bars: 95% confidence interval of the mean over repetitions.";
        return HtmlPage.render(title, subtitle, charts, sections.toString());
    }

    /**
     * A trend page: one chart, a line per series, time on x and the metric's mean on y with its
     * 95% confidence interval as error bars (where a point has one). For {@code toks history}.
     *
     * @param title       the page's title, also the chart's
     * @param metricLabel what the y axis shows, e.g. {@code decode_tps}; its unit is taken from the points
     * @param series      the lines; may be empty (the page then says so)
     */
    public static String trend(String title, String metricLabel, List<TrendSeries> series) {
        String unit = series.stream().flatMap(s -> s.points().stream()).map(p -> p.value().unit().symbol()).findFirst().orElse("");
        List<ChartSeries> lines = series.stream().map(s -> new ChartSeries(s.label(), SeriesStyle.LINE, s.points().stream()
                .sorted(Comparator.comparing(TrendPoint::at))
                .map(p -> ChartPoint.at(p.at().toEpochMilli(), p.value().mean(), p.value().ci95Low(), p.value().ci95High()))
                .toList())).toList();
        var chart = new ChartSpec(title, new Axis("time", "", AxisKind.TIME), new Axis(metricLabel, unit, AxisKind.VALUE), lines);
        int points = series.stream().mapToInt(s -> s.points().size()).sum();
        String subtitle = series.size() + " series, " + points + " measurement(s)"
                + (points == 0 ? ": nothing to draw yet" : "; error bars: 95% confidence interval of the mean");
        return HtmlPage.render(title, subtitle, List.of(chart), "");
    }

    private static String describe(LabeledDocument d) {
        ResultDocument doc = d.document();
        return d.label() + " (toks " + doc.command() + ", " + doc.runs().size() + " run(s))";
    }

    private static String section(LabeledDocument d) {
        ResultDocument doc = d.document();
        String runs = doc.runs().stream().map(Run::name).collect(Collectors.joining(", "));
        return "<section class=\"document\">\n<h2>" + Html.escape(d.label()) + " — toks " + Html.escape(doc.command()) + "</h2>\n"
                + "<p>" + Html.escape(doc.manifest().createdAt()) + "; runs: " + Html.escape(runs) + "</p>\n"
                + "<h3>Figures</h3>\n" + FiguresHtml.of(doc)
                + "<details open><summary>Manifest: machine, JVM, target, parameters</summary>\n" + ManifestHtml.of(doc.manifest()) + "</details>\n"
                + "</section>\n";
    }
}
