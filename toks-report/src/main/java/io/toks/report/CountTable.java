package io.toks.report;

import io.toks.core.manifest.TargetFacts;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.TokenizerRun;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Tokenizers side by side: tokens, text per token, and speed (with --bench, against the reference). */
final class CountTable implements ResultRenderer {

    private final PrintStream out;

    CountTable(PrintStream out) {
        this.out = out;
    }

    @Override
    public void end(ResultDocument document) {
        List<TokenizerRun> runs = document.runs(TokenizerRun.class);
        if (runs.isEmpty()) return;
        Map<String, Object> p = document.manifest().parameters();
        int timed = ((Number) p.getOrDefault("repeat", 1)).intValue();
        int untimed = ((Number) p.getOrDefault("warmup", 0)).intValue();
        TokenizerRun any = runs.getFirst();
        String reference = any.reference();
        int files = document.manifest().target() instanceof TargetFacts.Tokenizers t ? t.files() : any.files();
        out.printf(Locale.ROOT, "%d file(s), %d characters, %d bytes, %d words%n", files, any.chars(), any.bytes(), any.words());
        out.printf(Locale.ROOT, "| %-16s | %-20s | %12s | %11s | %11s | %17s | %10s |%s%n", "tokenizer", "implementation", "tokens",
                "chars/token", "tokens/word", "MB/s (min-max)", "tokens/s", reference != null ? " vs " + reference + " |" : "");
        out.printf(Locale.ROOT, "| %s | %s | %s: | %s: | %s: | %s: | %s: |%s%n", "-".repeat(16), "-".repeat(20), "-".repeat(11),
                "-".repeat(10), "-".repeat(10), "-".repeat(16), "-".repeat(9), reference != null ? " " + "-".repeat(17) + ": |" : "");
        for (TokenizerRun t : runs) {
            MetricSummary mbs = t.metric(Metric.TOKENIZE_MB_PER_S);
            MetricSummary tps = t.metric(Metric.TOKENIZE_TPS);
            // A run without a speed (a document from another tool) still shows its counts.
            String speed = mbs == null ? "" : timed > 1 ? String.format(Locale.ROOT, "%.1f (%.1f-%.1f)", mbs.median(), mbs.min(), mbs.max())
                    : String.format(Locale.ROOT, "%.2f", mbs.median());
            out.printf(Locale.ROOT, "| %-16s | %-20s | %12d | %11.3f | %11.3f | %17s | %10s |%s%n", t.tokenizer(), t.implementation(),
                    t.tokens(), t.charsPerToken(), t.tokensPerWord(), speed, tps == null ? "" : String.format(Locale.ROOT, "%.0f", tps.median()),
                    reference != null ? String.format(Locale.ROOT, " %18.2f |", t.vsReference()) : "");
        }
        out.printf(Locale.ROOT, "MB/s and tokens/s: one thread, whole files encoded to ids, median of %d timed pass(es)%s (docs/metrics.md).%n",
                timed, untimed > 0 ? " after " + untimed + " warm-up pass(es)" : "");
        out.flush();
    }
}
