package io.toks.core.meter;

import io.toks.core.events.TokenCountSource;
import io.toks.core.result.MeterRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a {@link TokenMeter} measured so far: the finished calls and the training steps. Every
 * figure is one of docs/metrics.md's, under its name in {@link #metrics()}: per-call latencies
 * ({@code ttft}, {@code tpot}, {@code e2e}) and rates ({@code decode_tps}, {@code prefill_tps})
 * with every call's value kept, n, mean, stdev, 95% interval, and p50/p90/p95/p99; gap
 * distributions ({@code itl}, {@code chunk_gap}) with exact n, mean, stdev, min and max and
 * percentiles within 0.1%; throughputs over the window ({@code output_tps}, {@code total_tps},
 * {@code request_throughput}: n = 1); {@code train_tps} with a sample per step.
 *
 * @param model              the meter's model
 * @param calls              calls finished (succeeded + failed)
 * @param succeeded          calls finished normally: the only ones in token and latency figures
 * @param failed             calls marked failed
 * @param inFlight           calls started and not finished when the figures were taken (in none of them)
 * @param promptTokens       prompt tokens of the succeeded calls (usage where given, else the program's count)
 * @param outputTokens       output tokens of the succeeded calls
 * @param countSources       succeeded calls by how their output count was known: {@code SERVER_USAGE}
 *                           (given with {@code usage}) or {@code CHUNKS_COUNTED} (the tokens reported chunk by chunk)
 * @param countDisagreements calls whose usage disagreed with their chunks' counts (their gaps are
 *                           chunk gaps only, not itl)
 * @param chunks             arrivals (chunks, decode steps) of the succeeded calls
 * @param multiTokenChunks   arrivals that carried more than one token
 * @param windowSeconds      first finished call's start to the last one's end; NaN without calls
 * @param trainSteps         training steps reported
 * @param trainTokens        their tokens
 * @param trainSeconds       their time
 * @param metrics            every figure measured, by metric (a metric not measured is absent)
 */
public record TokenStats(String model, long calls, long succeeded, long failed, long inFlight, long promptTokens,
                         long outputTokens, Map<TokenCountSource, Long> countSources, long countDisagreements, long chunks,
                         long multiTokenChunks, double windowSeconds, long trainSteps, long trainTokens, double trainSeconds,
                         Map<Metric, MetricSummary> metrics) {

    public TokenStats {
        EnumMap<TokenCountSource, Long> sources = new EnumMap<>(TokenCountSource.class);
        sources.putAll(countSources);
        countSources = Collections.unmodifiableMap(sources);
        metrics = Metric.ordered(metrics);
    }

    /** The summary of {@code metric}; one with n = 0 and NaN figures when it was not measured. */
    public MetricSummary metric(Metric metric) {
        MetricSummary s = metrics.get(metric);
        return s != null ? s : Summaries.none(metric.unit());
    }

    /** Output tokens / window (tok/s); NaN without calls. */
    public double outputTps() {
        return metric(Metric.OUTPUT_TPS).mean();
    }

    /** (Prompt + output tokens) / window (tok/s). */
    public double totalTps() {
        return metric(Metric.TOTAL_TPS).mean();
    }

    /** Succeeded calls / window (req/s). */
    public double requestThroughput() {
        return metric(Metric.REQUEST_THROUGHPUT).mean();
    }

    /** (Output tokens - 1) / first-to-last token time, per call. */
    public MetricSummary decodeTps() {
        return metric(Metric.DECODE_TPS);
    }

    /** Prompt tokens / (prefill done - sent), per call that reported {@code prefillDone}. */
    public MetricSummary prefillTps() {
        return metric(Metric.PREFILL_TPS);
    }

    /** First token - sent, per call (ms). */
    public MetricSummary ttft() {
        return metric(Metric.TTFT);
    }

    /** Gaps before chunks of one token (ms). */
    public MetricSummary itl() {
        return metric(Metric.ITL);
    }

    /** Gaps between chunks, whatever they carried (ms). */
    public MetricSummary chunkGap() {
        return metric(Metric.CHUNK_GAP);
    }

    /** (e2e - ttft) / (output tokens - 1), per call (ms). */
    public MetricSummary tpot() {
        return metric(Metric.TPOT);
    }

    /** Finished - sent, per call (ms). */
    public MetricSummary e2e() {
        return metric(Metric.E2E);
    }

    /** Training tokens / the time of their steps (tok/s); NaN without a timed step. */
    public double trainTps() {
        return trainSeconds > 0 ? trainTokens / trainSeconds : Double.NaN;
    }

    /** Each step's tokens / its time: a sample per step (tok/s). */
    public MetricSummary trainStepTps() {
        return metric(Metric.TRAIN_TPS);
    }

    /** As a result document's run. */
    MeterRun toRun() {
        Map<String, Long> sources = new LinkedHashMap<>();
        countSources.forEach((source, n) -> sources.put(source.name().toLowerCase(Locale.ROOT), n));
        return new MeterRun(model, model, calls, succeeded, failed, inFlight, promptTokens, outputTokens, sources, countDisagreements,
                chunks, multiTokenChunks, windowSeconds, trainSteps, trainTokens, trainSeconds, metrics);
    }

    /** A few lines for people: the calls, their throughput and latencies, the training steps; what was not measured is left out. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s: %d calls (%d ok, %d failed, %d in flight)", model, calls, succeeded, failed, inFlight));
        if (succeeded > 0) {
            b.append(String.format(Locale.ROOT, " in %.3f s%n  output %d tokens (%s): %.1f tok/s; total %.1f tok/s; %.2f req/s",
                    windowSeconds, outputTokens, sourcesText(), outputTps(), totalTps(), requestThroughput()));
        }
        rate(b, "decode tok/s per call", decodeTps());
        rate(b, "prefill tok/s per call", prefillTps());
        latency(b, "ttft ms", ttft());
        latency(b, "itl ms", itl());
        latency(b, "tpot ms", tpot());
        latency(b, "e2e ms", e2e());
        if (trainSteps > 0) {
            b.append(String.format(Locale.ROOT, "%n  training: %d steps, %d tokens in %.3f s: %.1f tok/s", trainSteps, trainTokens,
                    trainSeconds, trainTps()));
            MetricSummary steps = trainStepTps();
            if (steps.n() > 0) b.append(String.format(Locale.ROOT, " (per step %.1f ± %.1f)", steps.mean(), steps.stdev()));
        }
        return b.toString();
    }

    private String sourcesText() {
        StringBuilder b = new StringBuilder("counts from ");
        countSources.forEach((source, n) -> b.append(b.length() > 12 ? ", " : "").append(source.name().toLowerCase(Locale.ROOT))
                .append(' ').append(n).append(n == 1 ? " call" : " calls"));
        return b.toString();
    }

    private static void rate(StringBuilder b, String label, MetricSummary s) {
        if (s.n() == 0) return;
        b.append(String.format(Locale.ROOT, "%n  %s: mean %.1f ± %.1f (95%% CI %.1f..%.1f, n=%d)", label, s.mean(),
                s.stdev(), s.ci95Low(), s.ci95High(), s.n()));
    }

    private static void latency(StringBuilder b, String label, MetricSummary s) {
        if (s.n() == 0) return;
        b.append(String.format(Locale.ROOT, "%n  %s: mean %.3f, p50 %.3f, p90 %.3f, p99 %.3f, max %.3f (n=%d)", label, s.mean(),
                s.percentile("p50"), s.percentile("p90"), s.percentile("p99"), s.max(), s.n()));
    }
}
