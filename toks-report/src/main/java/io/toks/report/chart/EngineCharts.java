package io.toks.report.chart;

import io.toks.core.result.EngineRun;
import io.toks.core.result.MetricSummary;
import io.toks.report.LabeledDocument;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * Charts of {@code toks bench} runs: tok/s per test (prefill and decode apart: their scales differ
 * by orders of magnitude), and tok/s against each parameter that varies across the runs. Every
 * value is the mean over repetitions with its 95% confidence interval.
 */
final class EngineCharts {

    /** What tells engine runs apart besides their document. */
    private enum Dimension {
        TEST, MODEL, KERNELS, THREADS, SEQUENCES;

        String of(EngineRun r) {
            return switch (this) {
                case TEST -> r.name();
                case MODEL -> r.model() + " " + r.modelType();
                case KERNELS -> r.kernels().startsWith("native") ? "native" : "java";
                case THREADS -> r.nThreads() + "t";
                case SEQUENCES -> "B=" + r.nParallel();
            };
        }
    }

    private record Row(String label, EngineRun run) {}

    private EngineCharts() {}

    static List<ChartSpec> of(List<LabeledDocument> documents) {
        List<Row> rows = new ArrayList<>();
        for (LabeledDocument d : documents) for (EngineRun r : d.document().runs(EngineRun.class)) rows.add(new Row(d.label(), r));
        if (rows.isEmpty()) return List.of();
        int n = documents.size();
        List<ChartSpec> charts = new ArrayList<>();
        perTest(rows, true, charts);
        perTest(rows, false, charts);
        against(rows, r -> true, "threads", "", r -> r.nThreads(), Dimension.THREADS, n, charts);
        against(rows, r -> true, "sequences together (B)", "", r -> r.nParallel(), Dimension.SEQUENCES, n, charts);
        against(rows, EngineRun::prefill, "prompt length (pp)", "tokens", r -> r.nPrompt(), Dimension.TEST, n, charts);
        against(rows, r -> !r.prefill(), "generation length (tg)", "tokens", r -> r.nGen(), Dimension.TEST, n, charts);
        against(rows, r -> true, "model size", "MiB", r -> r.modelSize() / (double) (1 << 20), Dimension.MODEL, n, charts);
        return charts;
    }

    /** Bars: one category per test configuration, one bar per document. */
    private static void perTest(List<Row> all, boolean prefill, List<ChartSpec> charts) {
        List<Row> rows = all.stream().filter(r -> r.run().prefill() == prefill).toList();
        if (rows.isEmpty()) return;
        Set<Dimension> varying = varying(rows, EnumSet.of(Dimension.MODEL, Dimension.KERNELS, Dimension.THREADS, Dimension.SEQUENCES));
        varying.add(Dimension.TEST);
        Map<String, List<ChartPoint>> byDocument = new LinkedHashMap<>();
        for (Row r : rows) {
            byDocument.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(point(describe(r.run(), varying), r.run()));
        }
        List<ChartSeries> series = new ArrayList<>();
        byDocument.forEach((label, points) -> series.add(new ChartSeries(label, SeriesStyle.BAR, points)));
        String phase = prefill ? "Prefill" : "Decode";
        charts.add(new ChartSpec(phase + " tok/s per test (mean, 95% CI)", Axis.category("test"),
                new Axis(phase.toLowerCase(Locale.ROOT) + " speed", "tok/s", AxisKind.VALUE), series));
    }

    /** Lines: tok/s against one parameter, where it takes more than one value; a line per document and configuration. */
    private static void against(List<Row> all, Predicate<EngineRun> which, String parameter, String unit, ToDoubleFunction<EngineRun> x,
                                Dimension swept, int documents, List<ChartSpec> charts) {
        List<Row> rows = all.stream().filter(r -> which.test(r.run())).toList();
        if (rows.stream().mapToDouble(r -> x.applyAsDouble(r.run())).distinct().count() < 2) return;
        Set<Dimension> grouping = varying(rows, EnumSet.complementOf(EnumSet.of(swept)));
        if (swept != Dimension.TEST) grouping.add(Dimension.TEST); // pp and tg never share a line
        Map<String, List<ChartPoint>> lines = new LinkedHashMap<>();
        for (Row r : rows) {
            String name = SeriesNames.of(r.label(), describe(r.run(), grouping), documents);
            lines.computeIfAbsent(name, k -> new ArrayList<>()).add(point(null, r.run()).atX(x.applyAsDouble(r.run())));
        }
        List<ChartSeries> series = new ArrayList<>();
        lines.forEach((name, points) -> series.add(new ChartSeries(name, SeriesStyle.LINE,
                points.stream().sorted(Comparator.comparingDouble(ChartPoint::x)).toList())));
        List<Double> xs = rows.stream().map(r -> x.applyAsDouble(r.run())).toList();
        charts.add(new ChartSpec("tok/s against " + parameter + " (mean, 95% CI)", NumericAxes.of(parameter, unit, xs),
                new Axis("speed", "tok/s", AxisKind.VALUE), series));
    }

    private static ChartPoint point(String category, EngineRun r) {
        MetricSummary tps = r.tokensPerSecond();
        if (tps == null) return ChartPoint.at(category, r.avgTs(), Double.NaN, Double.NaN);
        return ChartPoint.at(category, tps.mean(), tps.ci95Low(), tps.ci95High());
    }

    /**
     * The dimensions among {@code candidates} that take more than one value within a document:
     * what tells a document's own runs apart. One that differs only between documents (java in
     * one, native in the other) is what the series already say, and must not split categories.
     */
    private static Set<Dimension> varying(List<Row> rows, Set<Dimension> candidates) {
        Set<Dimension> out = EnumSet.noneOf(Dimension.class);
        Map<String, List<Row>> byDocument = new LinkedHashMap<>();
        for (Row r : rows) byDocument.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r);
        for (Dimension d : candidates) {
            for (List<Row> own : byDocument.values()) if (own.stream().map(r -> d.of(r.run())).distinct().count() > 1) out.add(d);
        }
        return out;
    }

    private static String describe(EngineRun r, Set<Dimension> dimensions) {
        List<String> parts = new ArrayList<>();
        for (Dimension d : dimensions) parts.add(d.of(r));
        return String.join(" · ", parts);
    }
}
