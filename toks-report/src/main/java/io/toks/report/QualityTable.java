package io.toks.report;

import io.toks.core.manifest.Manifest;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.QualityRun;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.Run;
import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code toks perplexity}: a row per model (or precision) with its perplexity ± standard error
 * and evaluation speed, and where a reference was given the distance of its distributions from
 * the reference's: mean KL divergence with its tail, top-1 agreement, RMS Δp and Δ perplexity.
 */
final class QualityTable implements ResultRenderer {

    private final PrintStream out;
    private boolean header;

    QualityTable(PrintStream out) {
        this.out = out;
    }

    @Override
    public void run(Manifest manifest, Run run) {
        if (!(run instanceof QualityRun q)) return;
        if (!header) {
            out.println("| model                    | type   |  ctx | chunks | tokens scored |          perplexity |         eval t/s |   KLD mean (p99, max) nats | top-1 same | RMS Δp |   Δ ppl |");
            out.println("| ------------------------ | ------ | ---: | -----: | ------------: | ------------------: | ---------------: | -------------------------: | ---------: | -----: | ------: |");
            header = true;
        }
        MetricSummary speed = q.metric(Metric.PREFILL_TPS);
        MetricSummary kl = q.metric(Metric.KL_DIVERGENCE);
        MetricSummary top = q.metric(Metric.TOP1_AGREEMENT);
        MetricSummary rms = q.metric(Metric.RMS_DELTA_P);
        MetricSummary delta = q.metric(Metric.DELTA_PERPLEXITY);
        out.printf(Locale.ROOT, "| %-24s | %-6s | %4d | %6d | %13d | %19s | %16s | %26s | %10s | %6s | %7s |%n",
                q.model(), q.modelType(), q.nCtx(), q.chunks(), q.tokensScored(),
                String.format(Locale.ROOT, "%.4f ± %.4f", q.perplexity(), q.perplexityError()),
                String.format(Locale.ROOT, "%.1f ± %.1f", speed.mean(), speed.stdev()),
                kl == null ? "" : String.format(Locale.ROOT, "%.6f (%.4f, %.4f)", kl.mean(), kl.percentile("p99"), kl.max()),
                top == null ? "" : String.format(Locale.ROOT, "%.2f%%", 100 * top.mean()),
                rms == null ? "" : String.format(Locale.ROOT, "%.4f", rms.mean()),
                delta == null ? "" : String.format(Locale.ROOT, "%+.4f", delta.mean()));
        out.flush();
    }

    @Override
    public void end(ResultDocument document) {
        for (Run run : document.runs()) {
            if (!(run instanceof QualityRun q)) continue;
            out.println();
            out.printf(Locale.ROOT, "%s: %d tokens of %s (BOS first where the model asks for it), %d chunks of %d, the last %d positions of each scored "
                    + "(llama.cpp's method: docs/metrics.md, \"perplexity\"); eval t/s = chunk tokens / time, mean ± stdev over chunks%n",
                    q.model(), q.textTokens(), q.text(), q.chunks(), q.nCtx(), q.tokensScored() / Math.max(1, q.chunks()));
            if (q.reference() != null) {
                out.printf(Locale.ROOT, "against %s: KLD = KL(reference || model) per position; top-1 same = both rank the same token first; "
                        + "RMS Δp = RMS of the difference in probability of the actual next token; Δ ppl = model - reference%n", q.reference());
            }
            break;
        }
        for (QualityRun q : document.runs(QualityRun.class)) {
            String line = EnergyLines.of(document.manifest(), q, "energy " + q.model() + " " + q.modelType());
            if (line != null) out.println(line + " (tokens scored per joule)");
        }
        String missing = EnergyLines.missing(document.manifest());
        if (missing != null) out.println(missing);
        out.flush();
    }
}
