package io.toks.bench.output;

import io.toks.core.result.BenchRecord;
import java.io.PrintStream;
import java.util.Locale;

/**
 * llama-bench's table: one row per test, tok/s as {@code mean ± stdev}. Rows can be printed as
 * they are measured: the header first, then {@link #row} per record.
 */
public final class MarkdownTable {

    private static final String FORMAT = "| %-24s | %11s | %9s | %-6s | %-7s | %7s | %-6s | %20s | %8s |%n";

    private final PrintStream out;

    public MarkdownTable(PrintStream out) {
        this.out = out;
    }

    public void header() {
        out.printf(Locale.ROOT, FORMAT, "model", "size", "params", "type", "kernels", "threads", "test", "t/s", "roofline");
        out.printf(Locale.ROOT, "| %s | %s: | %s: | %s | %s | %s: | %s | %s: | %s: |%n", "-".repeat(24), "-".repeat(10),
                "-".repeat(8), "-".repeat(6), "-".repeat(7), "-".repeat(6), "-".repeat(6), "-".repeat(19), "-".repeat(7));
    }

    public void row(BenchRecord r) {
        var s = r.tokensPerSecond();
        String tps = String.format(Locale.ROOT, "%.2f ± %.2f", s.mean(), s.stdev());
        String roofline = "";
        if (r.extra().get("roofline") instanceof java.util.Map<?, ?> m) {
            roofline = "cache".equals(m.get("bound")) ? "in cache"
                    : String.format(Locale.ROOT, "%.0f%% %s", 100 * ((Number) m.get("share")).doubleValue(),
                            "memory".equals(m.get("bound")) ? "mem" : "fma");
        }
        String kernels = String.valueOf(r.extra().getOrDefault("kernels", "java"));
        out.printf(Locale.ROOT, FORMAT, r.model(), Units.bytes(r.sizeBytes()), Units.count(r.params()), r.type(),
                kernels.startsWith("native") ? "native" : "java", r.threads(), r.test(), tps, roofline);
        out.flush();
    }
}
