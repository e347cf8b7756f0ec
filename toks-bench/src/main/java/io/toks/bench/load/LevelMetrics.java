package io.toks.bench.load;

import io.toks.core.result.LoadRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.Unit;
import java.util.EnumMap;
import java.util.Map;

/**
 * The figures of one load level, named as in docs/metrics.md. Rates are per second over the
 * measured window; latencies are in milliseconds.
 *
 * @param shape               the offered load
 * @param targetRate          open loop: requests/s asked for; NaN for closed loop
 * @param scheduledRate       requests/s the schedule asked of the measured requests (open loop:
 *                            the arrival process's own rate over them, not the nominal one)
 * @param achievedRate        requests/s actually sent in the window
 * @param measured            requests whose due time fell in the window (warm-up/cool-down excluded)
 * @param succeeded           of those, requests that completed
 * @param errors              failed requests by kind
 * @param errorMessages       the first message of each kind of failure (what the server said)
 * @param windowSeconds       length of the measured window (first due time to last end)
 * @param requestThroughput   succeeded requests / window
 * @param outputTps           output tokens of succeeded requests / window
 * @param totalTps            (prompt + output tokens) / window
 * @param goodput             requests meeting the SLO / window; NaN without an SLO
 * @param ttft                time to first token, from the due time
 * @param itl                 gaps before chunks known to carry exactly one token
 * @param chunkGap            gaps between all consecutive text chunks
 * @param tpot                per request (e2e - ttft) / (output tokens - 1)
 * @param e2e                 due time to last byte
 * @param sendLag             how late requests left compared to their due time (client health)
 * @param ttftFromSend        first token - actual send: ttft without the client's own lag
 * @param multiTokenChunks    chunks that carried more than one token (ITL excludes them)
 * @param unknownChunkRequests requests whose chunks disagreed with the token count, so per-chunk
 *                            token counts are unknown and their gaps are in chunkGap only
 * @param lengthMismatches    succeeded requests whose output length differs from the one asked for
 * @param degenerateOutputs   succeeded requests whose text is one short piece repeated ({@link DegenerateText})
 * @param countSources        how output token counts were known, by source
 * @param countDisagreements  requests where the server's usage and the client's re-tokenization differ
 * @param invalidUsage        succeeded requests whose usage was not believed ({@link UsageProblem}), by problem
 * @param clientCpuShare      client CPU time / (window x cores); NaN if unknown
 * @param outputCharsPerSecond generated text of succeeded requests, in Unicode code points, / window:
 *                            a rate that does not depend on the server's tokenizer
 * @param referenceTps        the same text re-counted by the client's tokenizer, / window; NaN
 *                            unless every succeeded request was re-counted
 */
public record LevelMetrics(LoadShape shape, double targetRate, double scheduledRate, double achievedRate, int measured, int succeeded,
                           Map<String, Integer> errors, Map<String, String> errorMessages, double windowSeconds, double requestThroughput,
                           double outputTps, double totalTps, double goodput, LatencyStats ttft, LatencyStats itl,
                           LatencyStats chunkGap, LatencyStats tpot, LatencyStats e2e, LatencyStats sendLag, LatencyStats ttftFromSend,
                           long multiTokenChunks, int unknownChunkRequests, int lengthMismatches, int degenerateOutputs,
                           Map<String, Integer> countSources, int countDisagreements, Map<String, Integer> invalidUsage,
                           double clientCpuShare,
                           double outputCharsPerSecond, double referenceTps) {

    /** The level as the result document states it; {@code sloMet} null without an SLO. */
    public LoadRun toRun(Boolean sloMet) {
        Map<Metric, MetricSummary> metrics = new EnumMap<>(Metric.class);
        metrics.put(Metric.TTFT, ttft.toSummary());
        metrics.put(Metric.ITL, itl.toSummary());
        metrics.put(Metric.CHUNK_GAP, chunkGap.toSummary());
        metrics.put(Metric.TPOT, tpot.toSummary());
        metrics.put(Metric.E2E, e2e.toSummary());
        metrics.put(Metric.SEND_LAG, sendLag.toSummary());
        metrics.put(Metric.TTFT_FROM_SEND, ttftFromSend.toSummary());
        metrics.put(Metric.REQUEST_THROUGHPUT, MetricSummary.single(Unit.REQUESTS_PER_SECOND, requestThroughput));
        metrics.put(Metric.OUTPUT_TPS, MetricSummary.single(Unit.TOKENS_PER_SECOND, outputTps));
        metrics.put(Metric.TOTAL_TPS, MetricSummary.single(Unit.TOKENS_PER_SECOND, totalTps));
        metrics.put(Metric.GOODPUT, MetricSummary.single(Unit.REQUESTS_PER_SECOND, goodput));
        metrics.put(Metric.OUTPUT_CHARS_PER_S, MetricSummary.single(Unit.CHARS_PER_SECOND, outputCharsPerSecond));
        metrics.put(Metric.REFERENCE_TPS, MetricSummary.single(Unit.TOKENS_PER_SECOND, referenceTps));
        Integer concurrency = shape instanceof LoadShape.Concurrency c ? c.streams() : null;
        Double rate = shape instanceof LoadShape.Rate r ? r.perSecond() : null;
        String arrival = shape instanceof LoadShape.Rate r ? r.arrival().name().toLowerCase(java.util.Locale.ROOT) : null;
        return new LoadRun(shape.label(), concurrency, rate, arrival, measured, succeeded, errors, errorMessages, windowSeconds,
                rate == null ? Double.NaN : scheduledRate, achievedRate, multiTokenChunks, unknownChunkRequests, lengthMismatches, countSources, countDisagreements,
                clientCpuShare, sloMet, degenerateOutputs, invalidUsage, metrics);
    }
}
