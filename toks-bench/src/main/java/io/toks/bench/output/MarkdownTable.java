package io.toks.bench.output;

import io.toks.core.result.BenchRecord;
import java.io.PrintStream;
import java.util.Locale;

/**
 * llama-bench's table: one row per test, tok/s as {@code mean ± stdev}. Rows can be printed as
 * they are measured: the header first, then {@link #row} per record.
 */
public final class MarkdownTable {

    private static final String FORMAT = "| %-24s | %11s | %9s | %-6s | %-7s | %7s | %-6s | %20s | %19s |%n";

    private final PrintStream out;

    public MarkdownTable(PrintStream out) {
        this.out = out;
    }

    public void header() {
        out.printf(Locale.ROOT, FORMAT, "model", "size", "params", "type", "kernels", "threads", "test", "t/s", "roofline");
        out.printf(Locale.ROOT, "| %s | %s: | %s: | %s | %s | %s: | %s | %s: | %s: |%n", "-".repeat(24), "-".repeat(10),
                "-".repeat(8), "-".repeat(6), "-".repeat(7), "-".repeat(6), "-".repeat(6), "-".repeat(19), "-".repeat(18));
    }

    public void row(BenchRecord r) {
        var s = r.tokensPerSecond();
        String tps = String.format(Locale.ROOT, "%.2f ± %.2f", s.mean(), s.stdev());
        String roofline = "";
        if (r.extra().get("roofline") instanceof java.util.Map<?, ?> m) {
            double share = 100 * ((Number) m.get("share")).doubleValue();
            if ("cache".equals(m.get("bound"))) roofline = "in cache";
            else if (!"memory".equals(m.get("bound"))) roofline = String.format(Locale.ROOT, "%.0f%% fma", share);
            else if (m.get("bandwidth_samples_gbs") == null) roofline = String.format(Locale.ROOT, "%.0f%% mem", share);
            else roofline = String.format(Locale.ROOT, "%.0f%% mem (%.0f GB/s)", share, ((Number) m.get("bandwidth_gbs")).doubleValue());
        }
        String kernels = String.valueOf(r.extra().getOrDefault("kernels", "java"));
        out.printf(Locale.ROOT, FORMAT, r.model(), Units.bytes(r.sizeBytes()), Units.count(r.params()), r.type(),
                kernels.startsWith("native") ? "native" : "java", r.threads(), r.test(), tps, roofline);
        out.flush();
    }
}
