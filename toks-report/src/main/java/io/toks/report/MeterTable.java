package io.toks.report;

import static io.toks.report.LoadTable.num;

import io.toks.core.manifest.Manifest;
import io.toks.core.result.MeterRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.Run;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a TokenMeter measured in a program's own code ({@code meter} documents): the calls as a
 * load level's row (throughputs over the window, per-call decode rate, latency percentiles), then
 * notes on how tokens were counted, then the training steps where there were any.
 */
final class MeterTable implements ResultRenderer {

    private final PrintStream out;
    private boolean header;

    MeterTable(PrintStream out) {
        this.out = out;
    }

    @Override
    public void run(Manifest manifest, Run run) {
        if (!(run instanceof MeterRun m) || (m.calls() == 0 && m.trainSteps() > 0)) return;
        if (!header) {
            out.println("| model | calls | ok | failed | req/s | output tok/s | total tok/s | decode tok/s mean ± stdev "
                    + "| ttft ms mean / p50 / p99 | itl ms mean / p50 / p99 | tpot ms mean / p99 | e2e ms mean / p99 |");
            out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|");
            header = true;
        }
        MetricSummary decode = m.metric(Metric.DECODE_TPS);
        out.printf(Locale.ROOT, "| %s | %d | %d | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n", m.model(), m.calls(), m.succeeded(),
                m.failed(), num(mean(m, Metric.REQUEST_THROUGHPUT), 2), num(mean(m, Metric.OUTPUT_TPS), 1),
                num(mean(m, Metric.TOTAL_TPS), 1),
                decode == null ? "n/a" : num(decode.mean(), 1) + " ± " + num(decode.stdev(), 1),
                three(m.metric(Metric.TTFT)), three(m.metric(Metric.ITL)), two(m.metric(Metric.TPOT)), two(m.metric(Metric.E2E)));
        out.flush();
    }

    @Override
    public void end(ResultDocument document) {
        List<MeterRun> meters = document.runs(MeterRun.class);
        Object clock = document.manifest().parameters().get("clock");
        out.println();
        for (MeterRun m : meters) {
            out.println(m.model() + ":");
            for (String note : notes(m)) out.println("  " + note);
        }
        if (clock != null && !"System.nanoTime".equals(clock)) out.println("\ntimed with the program's own clock (" + clock + "), not System.nanoTime");
        List<MeterRun> training = meters.stream().filter(m -> m.trainSteps() > 0).toList();
        if (!training.isEmpty()) {
            out.println();
            out.println("| model | steps | tokens | seconds | train tok/s | per step tok/s mean ± stdev (95% CI) |");
            out.println("|---|---:|---:|---:|---:|---:|");
            for (MeterRun m : training) {
                MetricSummary steps = m.metric(Metric.TRAIN_TPS);
                out.printf(Locale.ROOT, "| %s | %d | %d | %s | %s | %s |%n", m.model(), m.trainSteps(), m.trainTokens(),
                        num(m.trainSeconds(), 3), num(m.trainSeconds() > 0 ? m.trainTokens() / m.trainSeconds() : Double.NaN, 1),
                        steps == null ? "n/a" : num(steps.mean(), 1) + " ± " + num(steps.stdev(), 1) + " (" + num(steps.ci95Low(), 1)
                                + " .. " + num(steps.ci95High(), 1) + ")");
            }
            out.println("\ntrain tok/s = tokens of all steps / their time; each step is timed from the end of the one before (the first from the meter's creation)");
        }
        out.flush();
    }

    /** What a reader must know beyond the table: the window, token provenance, chunks, calls left out. */
    static List<String> notes(MeterRun m) {
        List<String> notes = new ArrayList<>();
        if (m.calls() > 0) {
            notes.add(String.format(Locale.ROOT, "window %s s (first call's start to the last one's end): %d prompt and %d output tokens",
                    num(m.windowSeconds(), 3), m.promptTokens(), m.outputTokens()));
            notes.add("output token counts from: " + kinds(m.countSources()));
        }
        MetricSummary chunkGap = m.metric(Metric.CHUNK_GAP);
        String gaps = chunkGap == null ? "" : " (chunk gaps p50/p99: " + num(chunkGap.percentile("p50"), 2) + " / "
                + num(chunkGap.percentile("p99"), 2) + " ms)";
        if (m.multiTokenChunks() > 0) {
            notes.add(m.multiTokenChunks() + " of " + m.chunks() + " chunks carried several tokens: kept out of itl" + gaps);
        }
        if (m.countDisagreements() > 0) {
            notes.add(m.countDisagreements() + " of " + m.succeeded() + " calls: the server's usage disagreed with the tokens counted in "
                    + "their chunks; their gaps are chunk gaps only, not itl" + (m.multiTokenChunks() > 0 ? "" : gaps));
        }
        if (m.failed() > 0) notes.add(m.failed() + " failed calls: counted, in no latency or token figure");
        if (m.inFlight() > 0) notes.add(m.inFlight() + " calls still open when the result was taken: in no figure");
        return notes;
    }

    private static double mean(MeterRun m, Metric metric) {
        MetricSummary s = m.metric(metric);
        return s == null ? Double.NaN : s.mean();
    }

    private static String kinds(Map<String, Long> counts) {
        StringBuilder sb = new StringBuilder();
        counts.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : ", ").append(k).append(' ').append(v).append(v == 1 ? " call" : " calls"));
        return sb.isEmpty() ? "none" : sb.toString();
    }

    private static String three(MetricSummary s) {
        if (s == null || s.n() == 0) return "n/a";
        return ms(s.mean()) + " / " + ms(s.percentile("p50")) + " / " + ms(s.percentile("p99"));
    }

    private static String two(MetricSummary s) {
        if (s == null || s.n() == 0) return "n/a";
        return ms(s.mean()) + " / " + ms(s.percentile("p99"));
    }

    /** Milliseconds: a tenth of one for a server's latencies, a microsecond for an in-process engine's sub-millisecond gaps. */
    private static String ms(double v) {
        return num(v, Math.abs(v) < 1 ? 3 : 1);
    }
}
