package io.toks.report;

import io.toks.core.result.EngineRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.QualityRun;
import io.toks.core.result.ResultDocument;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code toks bench --quality}: one row per model and precision with its speed (each test's t/s,
 * at the largest thread count measured, first kernels) beside its quality (perplexity, and against
 * the first model KL divergence and top-1 agreement), so the fastest setting that keeps the
 * model's quality can be read off one table.
 */
final class SpeedAndQualityTable {

    private SpeedAndQualityTable() {}

    static void print(ResultDocument document, PrintStream out) {
        List<QualityRun> quality = document.runs(QualityRun.class);
        if (quality.isEmpty()) return;
        // One sequence per test: what a user of the model alone gets (runs of several sequences, -B, are left out).
        List<EngineRun> engine = document.runs(EngineRun.class).stream().filter(r -> r.nParallel() == 1).toList();
        List<String> tests = new ArrayList<>();
        for (EngineRun r : engine) if (!tests.contains(r.name())) tests.add(r.name());
        StringBuilder header = new StringBuilder("| model                    | type   |        size |");
        StringBuilder rule = new StringBuilder("| ------------------------ | ------ | ----------: |");
        for (String t : tests) {
            header.append(String.format(Locale.ROOT, " %12s |", t + " t/s"));
            rule.append(" -----------: |");
        }
        header.append("          perplexity | KLD mean (p99) nats | top-1 same |");
        rule.append(" ------------------: | ------------------: | ---------: |");
        out.println();
        out.println("speed and quality (" + quality.get(0).nCtx() + "-token chunks; KLD and top-1 against "
                + (quality.get(0).reference() == null ? quality.get(0).model() + " " + quality.get(0).modelType() : quality.get(0).reference()) + "):");
        out.println(header);
        out.println(rule);
        for (QualityRun q : quality) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %-24s | %-6s | %11s |", q.model(), q.modelType(), Units.bytes(q.modelSize())));
            Map<String, EngineRun> byTest = fastestSetting(engine, q);
            for (String t : tests) {
                EngineRun r = byTest.get(t);
                row.append(String.format(Locale.ROOT, " %12s |", r == null ? "" : String.format(Locale.ROOT, "%.2f", r.avgTs())));
            }
            MetricSummary kl = q.metric(Metric.KL_DIVERGENCE), top = q.metric(Metric.TOP1_AGREEMENT);
            row.append(String.format(Locale.ROOT, " %19s | %19s | %10s |", String.format(Locale.ROOT, "%.4f ± %.4f", q.perplexity(), q.perplexityError()),
                    kl == null ? "(reference)" : String.format(Locale.ROOT, "%.6f (%.4f)", kl.mean(), kl.percentile("p99")),
                    top == null ? "" : String.format(Locale.ROOT, "%.2f%%", 100 * top.mean())));
            out.println(row);
        }
    }

    /** Each test of the quality run's model and type, at its largest thread count, the first kernels measured. */
    private static Map<String, EngineRun> fastestSetting(List<EngineRun> engine, QualityRun q) {
        Map<String, EngineRun> byTest = new LinkedHashMap<>();
        for (EngineRun r : engine) {
            if (!r.model().equals(q.model()) || !r.modelType().equals(q.modelType())) continue;
            EngineRun seen = byTest.get(r.name());
            if (seen == null || r.nThreads() > seen.nThreads()) byTest.put(r.name(), r);
        }
        return byTest;
    }
}
