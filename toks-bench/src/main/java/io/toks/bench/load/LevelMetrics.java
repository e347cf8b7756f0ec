package io.toks.bench.load;

import java.util.Map;

/**
 * The figures of one load level, named as in docs/metrics.md. Rates are per second over the
 * measured window; latencies are in milliseconds.
 *
 * @param label               the offered load
 * @param targetRate          open loop: requests/s asked for; NaN for closed loop
 * @param achievedRate        requests/s actually sent in the window
 * @param measured            requests whose due time fell in the window (warm-up/cool-down excluded)
 * @param succeeded           of those, requests that completed
 * @param errors              failed requests by kind
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
 * @param multiTokenChunks    chunks that carried more than one token (ITL excludes them)
 * @param unknownChunkRequests requests whose chunks disagreed with the token count, so per-chunk
 *                            token counts are unknown and their gaps are in chunkGap only
 * @param lengthMismatches    succeeded requests whose output length differs from the one asked for
 * @param countSources        how output token counts were known, by source
 * @param countDisagreements  requests where the server's usage and the client's re-tokenization differ
 * @param clientCpuShare      client CPU time / (window x cores); NaN if unknown
 * @param outputCharsPerSecond generated text of succeeded requests, in Unicode code points, / window:
 *                            a rate that does not depend on the server's tokenizer
 * @param referenceTps        the same text re-counted by the client's tokenizer, / window; NaN
 *                            unless every succeeded request was re-counted
 */
public record LevelMetrics(String label, double targetRate, double achievedRate, int measured, int succeeded,
                           Map<String, Integer> errors, double windowSeconds, double requestThroughput,
                           double outputTps, double totalTps, double goodput, LatencyStats ttft, LatencyStats itl,
                           LatencyStats chunkGap, LatencyStats tpot, LatencyStats e2e, LatencyStats sendLag,
                           long multiTokenChunks, int unknownChunkRequests, int lengthMismatches,
                           Map<String, Integer> countSources, int countDisagreements, double clientCpuShare,
                           double outputCharsPerSecond, double referenceTps) {}
