package io.toks.report;

import io.toks.core.manifest.Manifest;
import io.toks.core.manifest.TargetFacts;
import io.toks.core.result.LoadRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.Run;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Load levels as a Markdown table, a row per level as it ends, then a notes block per level. */
final class LoadTable implements ResultRenderer {

    private final PrintStream out;

    LoadTable(PrintStream out) {
        this.out = out;
    }

    @Override
    public void begin(Manifest manifest) {
        boolean withGoodput = manifest.parameters().get("slo") != null;
        out.println("| load | ok | err | req/s | output tok/s | total tok/s | ttft ms mean / p50 / p99 | itl ms mean / p50 / p99 "
                + "| tpot ms mean / p99 | e2e ms mean / p99 |" + (withGoodput ? " goodput req/s |" : ""));
        out.println("|---|---:|---:|---:|---:|---:|---|---|---|---|" + (withGoodput ? "---:|" : ""));
        out.flush();
    }

    @Override
    public void run(Manifest manifest, Run run) {
        if (!(run instanceof LoadRun m)) return;
        double goodput = value(m, Metric.GOODPUT);
        out.printf(Locale.ROOT, "| %s | %d | %d | %s | %s | %s | %s | %s | %s | %s |%s%n", m.name(), m.succeeded(), m.failed(),
                num(value(m, Metric.REQUEST_THROUGHPUT), 2), num(value(m, Metric.OUTPUT_TPS), 1), num(value(m, Metric.TOTAL_TPS), 1),
                three(m.metric(Metric.TTFT)), three(m.metric(Metric.ITL)), two(m.metric(Metric.TPOT)), two(m.metric(Metric.E2E)),
                Double.isNaN(goodput) ? "" : " " + num(goodput, 2) + " |");
        out.flush();
    }

    @Override
    public void end(ResultDocument document) {
        Map<String, Object> p = document.manifest().parameters();
        Object referenceName = p.get("reference_tokenizer");
        String reference = referenceName == null ? "reference" : referenceName.toString();
        List<LoadRun> levels = document.runs(LoadRun.class);
        out.println();
        for (LoadRun m : levels) {
            out.println(m.name() + ":");
            for (String note : notes(m, reference)) out.println("  " + note);
            String energy = EnergyLines.of(document.manifest(), m, "energy");
            if (energy != null) out.println("  " + energy + " (prompt and output tokens over the whole level)");
        }
        if (document.manifest().target() instanceof TargetFacts.Server server && server.hardware() != null) {
            out.println();
            out.println(hardwareNote(server.hardware(), levels));
        }
        String missing = EnergyLines.missing(document.manifest());
        if (missing != null) out.println(missing);
        Object slo = p.get("slo");
        if (slo != null) out.println("\nSLO: " + slo + " (goodput counts requests meeting all of it)");
        if (Boolean.TRUE.equals(p.get("sweep"))) {
            long share = Math.round(100 * ((Number) p.getOrDefault("slo_target", 0.9)).doubleValue());
            LoadRun best = levels.stream().filter(m -> Boolean.TRUE.equals(m.sloMet()))
                    .max(Comparator.comparingDouble(LoadTable::level)).orElse(null);
            out.println(best == null ? "No level met the SLO for " + share + "% of requests."
                    : "Highest load meeting the SLO for " + share + "% of requests: " + best.name());
        }
        out.flush();
    }

    /** Output tok/s per device and per watt of TDP, each level, with where the hardware facts come from. */
    static String hardwareNote(TargetFacts.ServerHardware hw, List<LoadRun> levels) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "server hardware: %d x %s (%s; spec sheet %s)",
                hw.devices(), hw.name(), hw.origin(), hw.source()));
        for (LoadRun m : levels) {
            double perDevice = value(m, Metric.OUTPUT_TPS_PER_DEVICE);
            if (Double.isNaN(perDevice)) continue;
            double perWatt = value(m, Metric.OUTPUT_TPS_PER_TDP_WATT);
            b.append(String.format(Locale.ROOT, "%n  %s: %s output tok/s per device%s", m.name(), num(perDevice, 1),
                    Double.isNaN(perWatt) ? "" : ", " + num(perWatt, 3) + " tok/s per W of TDP (" + num(hw.tdpWatts(), 0) + " W each; not measured power)"));
        }
        return b.toString();
    }

    private static double level(LoadRun m) {
        return m.concurrency() != null ? m.concurrency() : m.targetRate();
    }

    /** What a reader must know about a level beyond the table: failures, token-count caveats, client health. */
    static List<String> notes(LoadRun m, String referenceTokenizer) {
        List<String> notes = new ArrayList<>();
        if (!m.errors().isEmpty()) notes.add("errors: " + kinds(m.errors()));
        m.errorMessages().forEach((kind, message) -> notes.add("first " + kind + " error: " + message));
        notes.add("output token counts from: " + kinds(m.countSources()));
        if (m.invalidUsageRequests() > 0) {
            notes.add("server usage invalid in " + m.invalidUsageRequests() + " of " + m.succeeded() + " requests (" + kinds(m.invalidUsage())
                    + "): not used, their token counts are the client's");
        }
        MetricSummary chunkGap = m.metric(Metric.CHUNK_GAP);
        if (m.succeeded() > 0) {
            double referenceTps = value(m, Metric.REFERENCE_TPS);
            notes.add("output as text: " + num(value(m, Metric.OUTPUT_CHARS_PER_S), 1) + " chars/s"
                    + (Double.isNaN(referenceTps) ? "" : ", " + num(referenceTps, 1) + " " + referenceTokenizer + " tok/s")
                    + " (compares across tokenizers)");
        }
        if (m.multiTokenChunks() > 0) {
            notes.add(m.multiTokenChunks() + " chunks carried several tokens: kept out of itl (chunk gaps p50/p99: "
                    + num(chunkGap.percentile("p50"), 2) + " / " + num(chunkGap.percentile("p99"), 2) + " ms)");
        }
        if (m.unknownChunkRequests() > 0) {
            notes.add(m.unknownChunkRequests() + " requests had fewer chunks than tokens and no per-chunk counts: their gaps "
                    + "are chunk gaps only (p50/p99 " + num(chunkGap.percentile("p50"), 2) + " / " + num(chunkGap.percentile("p99"), 2) + " ms), not itl");
        }
        if (m.lengthMismatches() > 0) notes.add(m.lengthMismatches() + " of " + m.succeeded() + " requests got an output length other than the one asked for");
        if (m.degenerateOutputs() > 0) notes.add(m.degenerateOutputs() + " of " + m.succeeded() + " requests generated degenerate text (one short piece"
                + " repeated for most of it): a speed measured on such output overstates the server");
        if (m.countDisagreements() > 0) notes.add(m.countDisagreements() + " of " + m.succeeded() + " requests: server usage and the client's re-count ("
                + referenceTokenizer + ") disagree (expected unless that is the served model's tokenizer)");
        MetricSummary lag = m.metric(Metric.SEND_LAG);
        notes.add(String.format(Locale.ROOT, "client: %s req/s sent%s, send lag p99 %s ms, CPU %s", num(m.achievedRate(), 2), asked(m),
                num(lag == null ? Double.NaN : lag.percentile("p99"), 2),
                Double.isNaN(m.clientCpuShare()) ? "n/a" : Math.round(100 * m.clientCpuShare()) + "%"));
        for (String w : ClientHealth.warnings(m)) notes.add("WARNING: " + w);
        return notes;
    }

    /**
     * What an open loop asked for: the rate its schedule asked of the measured requests (the one
     * the client is held to, as {@link ClientHealth} words it), and the nominal --rate beside it
     * where they differ (a short Poisson schedule runs above or below it by chance).
     */
    static String asked(LoadRun m) {
        if (Double.isNaN(m.targetRate())) return "";
        String nominal = num(m.targetRate(), 2);
        if (Double.isNaN(m.scheduledRate())) return " (nominal rate " + nominal + ")";
        String scheduled = num(m.scheduledRate(), 2);
        return " of the " + scheduled + " the schedule asked" + (scheduled.equals(nominal) ? "" : " (nominal rate " + nominal + ")");
    }

    private static double value(LoadRun m, Metric metric) {
        MetricSummary s = m.metric(metric);
        return s == null ? Double.NaN : s.mean();
    }

    private static String kinds(Map<String, Integer> counts) {
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
        return sb.isEmpty() ? "none" : sb.toString();
    }

    private static String three(MetricSummary s) {
        if (s == null || s.n() == 0) return "n/a";
        return num(s.mean(), 1) + " / " + num(s.percentile("p50"), 1) + " / " + num(s.percentile("p99"), 1);
    }

    private static String two(MetricSummary s) {
        if (s == null || s.n() == 0 || Double.isNaN(s.mean())) return "n/a";
        return num(s.mean(), 1) + " / " + num(s.percentile("p99"), 1);
    }

    static String num(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "n/a";
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        return s.startsWith("-") && s.chars().noneMatch(c -> c >= '1' && c <= '9') ? s.substring(1) : s; // no "-0.00"
    }
}
