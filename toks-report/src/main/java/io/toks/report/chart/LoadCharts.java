package io.toks.report.chart;

import io.toks.core.result.LoadRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.report.LabeledDocument;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Charts of {@code toks load} levels, closed loop (against concurrency) and open loop (against
 * the rate asked for) apart: latency percentiles per latency metric, output tok/s, and the
 * serving Pareto curve (what one user gets against what the server delivers in all).
 */
final class LoadCharts {

    static final List<Metric> LATENCIES = List.of(Metric.TTFT, Metric.ITL, Metric.TPOT, Metric.E2E);
    static final List<String> PERCENTILES = List.of("p50", "p90", "p99");

    /** Closed loop or open loop: what a level's x is. */
    private record Mode(String parameter, String unit, Predicate<LoadRun> holds) {
        double level(LoadRun r) {
            return r.concurrency() != null ? r.concurrency() : r.targetRate();
        }
    }

    private static final List<Mode> MODES = List.of(
            new Mode("concurrency", "streams", r -> r.concurrency() != null),
            new Mode("request rate", "req/s", r -> r.concurrency() == null && r.rate() != null));

    private LoadCharts() {}

    static List<ChartSpec> of(List<LabeledDocument> documents) {
        List<ChartSpec> charts = new ArrayList<>();
        for (Mode mode : MODES) {
            List<Levels> levels = new ArrayList<>();
            for (LabeledDocument d : documents) {
                List<LoadRun> runs = d.document().runs(LoadRun.class).stream().filter(mode.holds())
                        .sorted(Comparator.comparingDouble(mode::level)).toList();
                if (!runs.isEmpty()) levels.add(new Levels(d.label(), runs));
            }
            if (levels.isEmpty()) continue;
            List<Double> xs = levels.stream().flatMap(l -> l.runs().stream()).map(mode::level).toList();
            Axis x = NumericAxes.of(mode.parameter(), mode.unit(), xs);
            // Percentile names alone where one document has levels of this mode; its label too where several do.
            for (Metric latency : LATENCIES) latency(latency, mode, x, levels, levels.size(), charts);
            outputTps(mode, x, levels, charts);
            pareto(mode, levels, charts);
        }
        return charts;
    }

    /** One document's levels of one mode, in level order. */
    private record Levels(String label, List<LoadRun> runs) {}

    private static void latency(Metric metric, Mode mode, Axis x, List<Levels> levels, int documents, List<ChartSpec> charts) {
        List<ChartSeries> series = new ArrayList<>();
        for (Levels l : levels) {
            for (String p : PERCENTILES) {
                List<ChartPoint> points = new ArrayList<>();
                for (LoadRun r : l.runs()) {
                    MetricSummary s = r.metric(metric);
                    if (s != null && s.n() > 0 && !Double.isNaN(s.percentile(p))) {
                        points.add(ChartPoint.at(mode.level(r), s.percentile(p), Double.NaN, Double.NaN));
                    }
                }
                if (!points.isEmpty()) series.add(new ChartSeries(SeriesNames.of(l.label(), p, documents), SeriesStyle.LINE, points));
            }
        }
        if (series.isEmpty()) return;
        String name = metric.key().toUpperCase(Locale.ROOT);
        charts.add(new ChartSpec(name + " percentiles against " + mode.parameter(), x,
                new Axis(metric.key(), metric.unit().symbol(), AxisKind.VALUE), series));
    }

    private static void outputTps(Mode mode, Axis x, List<Levels> levels, List<ChartSpec> charts) {
        List<ChartSeries> series = new ArrayList<>();
        for (Levels l : levels) {
            List<ChartPoint> points = new ArrayList<>();
            for (LoadRun r : l.runs()) {
                double tps = value(r, Metric.OUTPUT_TPS);
                if (!Double.isNaN(tps)) points.add(ChartPoint.at(mode.level(r), tps, Double.NaN, Double.NaN));
            }
            if (!points.isEmpty()) series.add(new ChartSeries(l.label(), SeriesStyle.LINE, points));
        }
        if (series.isEmpty()) return;
        charts.add(new ChartSpec("Output tok/s against " + mode.parameter(), x, new Axis("output_tps", "tok/s", AxisKind.VALUE), series));
    }

    /**
     * A point per level: x = output tok/s one user sees (1000 / mean tpot in ms: the decode speed of
     * one stream), y = output tok/s of all streams together. Levels further right serve each user
     * faster, higher ones serve more in all; the curve is the trade-off (docs/metrics.md).
     */
    private static void pareto(Mode mode, List<Levels> levels, List<ChartSpec> charts) {
        List<ChartSeries> series = new ArrayList<>();
        for (Levels l : levels) {
            List<ChartPoint> points = new ArrayList<>();
            for (LoadRun r : l.runs()) {
                double perUser = 1000 / value(r, Metric.TPOT);
                double total = value(r, Metric.OUTPUT_TPS);
                if (Double.isFinite(perUser) && !Double.isNaN(total)) points.add(ChartPoint.at(perUser, total, Double.NaN, Double.NaN).labelled(r.name()));
            }
            if (!points.isEmpty()) series.add(new ChartSeries(l.label(), SeriesStyle.LINE, points));
        }
        if (series.isEmpty()) return;
        charts.add(new ChartSpec("Serving Pareto curve, a point per " + mode.parameter() + " level",
                new Axis("output tok/s per user (1000 / mean tpot)", "tok/s", AxisKind.VALUE),
                new Axis("total output tok/s", "tok/s", AxisKind.VALUE), series));
    }

    private static double value(LoadRun r, Metric metric) {
        MetricSummary s = r.metric(metric);
        return s == null || s.n() == 0 ? Double.NaN : s.mean();
    }
}
