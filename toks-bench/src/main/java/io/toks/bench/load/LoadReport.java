package io.toks.bench.load;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders load levels as a Markdown table with a notes block per level. */
public final class LoadReport {

    private LoadReport() {}

    public static void header(PrintStream out, boolean withGoodput) {
        out.println("| load | ok | err | req/s | output tok/s | total tok/s | ttft ms mean / p50 / p99 | itl ms mean / p50 / p99 "
                + "| tpot ms mean / p99 | e2e ms mean / p99 |" + (withGoodput ? " goodput req/s |" : ""));
        out.println("|---|---:|---:|---:|---:|---:|---|---|---|---|" + (withGoodput ? "---:|" : ""));
    }

    public static void row(PrintStream out, LevelMetrics m) {
        int errors = m.errors().values().stream().mapToInt(Integer::intValue).sum();
        out.printf(Locale.ROOT, "| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s |%s%n", m.label(), m.succeeded(), errors,
                num(m.requestThroughput(), 2), num(m.outputTps(), 1), num(m.totalTps(), 1),
                three(m.ttft()), three(m.itl()), two(m.tpot().mean(), m.tpot().p99()), two(m.e2e().mean(), m.e2e().p99()),
                Double.isNaN(m.goodput()) ? "" : " " + num(m.goodput(), 2) + " |");
    }

    /** What a reader must know about a level beyond the table: failures, token-count caveats, client health. */
    public static List<String> notes(LevelMetrics m, String referenceTokenizer) {
        List<String> notes = new java.util.ArrayList<>();
        if (!m.errors().isEmpty()) notes.add("errors: " + kinds(m.errors()));
        notes.add("output token counts from: " + kinds(m.countSources()));
        if (m.succeeded() > 0) {
            notes.add("output as text: " + num(m.outputCharsPerSecond(), 1) + " chars/s"
                    + (Double.isNaN(m.referenceTps()) ? "" : ", " + num(m.referenceTps(), 1) + " " + referenceTokenizer + " tok/s")
                    + " (compares across tokenizers)");
        }
        if (m.multiTokenChunks() > 0) {
            notes.add(m.multiTokenChunks() + " chunks carried several tokens: kept out of itl (chunk gaps p50/p99: "
                    + num(m.chunkGap().p50(), 2) + " / " + num(m.chunkGap().p99(), 2) + " ms)");
        }
        if (m.unknownChunkRequests() > 0) {
            notes.add(m.unknownChunkRequests() + " requests had fewer chunks than tokens and no per-chunk counts: their gaps "
                    + "are chunk gaps only (p50/p99 " + num(m.chunkGap().p50(), 2) + " / " + num(m.chunkGap().p99(), 2) + " ms), not itl");
        }
        if (m.lengthMismatches() > 0) notes.add(m.lengthMismatches() + " of " + m.succeeded() + " requests got an output length other than the one asked for");
        if (m.countDisagreements() > 0) notes.add(m.countDisagreements() + " of " + m.succeeded() + " requests: server usage and the client's re-count ("
                + referenceTokenizer + ") disagree (expected unless that is the served model's tokenizer)");
        notes.add(String.format(Locale.ROOT, "client: %s req/s sent%s, send lag p99 %s ms, CPU %s", num(m.achievedRate(), 2),
                Double.isNaN(m.targetRate()) ? "" : " of " + num(m.targetRate(), 2) + " asked",
                num(m.sendLag().p99(), 2), Double.isNaN(m.clientCpuShare()) ? "n/a" : Math.round(100 * m.clientCpuShare()) + "%"));
        for (String w : ClientHealth.warnings(m)) notes.add("WARNING: " + w);
        return notes;
    }

    private static String kinds(Map<String, Integer> counts) {
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
        return sb.isEmpty() ? "none" : sb.toString();
    }

    private static String three(LatencyStats s) {
        if (s.count() == 0) return "n/a";
        return num(s.mean(), 1) + " / " + num(s.p50(), 1) + " / " + num(s.p99(), 1);
    }

    private static String two(double a, double b) {
        if (Double.isNaN(a)) return "n/a";
        return num(a, 1) + " / " + num(b, 1);
    }

    static String num(double v, int decimals) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
