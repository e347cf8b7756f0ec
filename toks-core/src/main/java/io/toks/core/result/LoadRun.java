package io.toks.core.result;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One level of load offered to a server ({@code toks load}): closed loop ({@code concurrency}
 * streams) or open loop ({@code rate} requests/s with an {@code arrival} process). Latency
 * metrics carry percentiles (HdrHistogram, 3 significant digits); throughputs are single figures
 * over the measured window. docs/metrics.md defines each.
 *
 * @param concurrency          closed loop: concurrent streams; null for open loop
 * @param rate                 open loop: requests/s asked for; null for closed loop
 * @param arrival              open loop: poisson or constant; null for closed loop
 * @param measured             requests due in the measured window
 * @param succeeded            of those, requests that completed
 * @param errors               failed requests by kind (connect, http_4xx, ...)
 * @param errorMessages        one message a server sent per kind of failure (for the reader), by kind
 * @param windowSeconds        first measured due time to last measured end
 * @param scheduledRate        open loop: requests/s the arrival schedule asked of the measured
 *                             requests (a Poisson schedule's own rate, not the nominal one); NaN in a closed loop
 * @param achievedRate         requests/s actually sent
 * @param multiTokenChunks     chunks that carried more than one token (kept out of itl)
 * @param unknownChunkRequests requests whose per-chunk token counts are unknown
 * @param lengthMismatches     succeeded requests with an output length other than the one asked for
 * @param countSources         how output token counts were known, by source
 * @param countDisagreements   requests where the server's usage and the client's re-count differ
 * @param clientCpuShare       client CPU time / (level time x cores); NaN if unknown
 * @param sloMet               whether the level met the SLO for the share asked; null without an SLO
 * @param degenerateOutputs    succeeded requests whose generated text was one short piece repeated
 *                             for most of it: a speed measured on them overstates the server
 * @param invalidUsage         succeeded requests whose server usage was not believed, by problem
 *                             ({@code not_a_count}, {@code over_max_tokens}): their counts are the
 *                             client's; empty in documents written before toks checked usage
 */
public record LoadRun(String name, Integer concurrency, Double rate, String arrival, int measured, int succeeded,
                      Map<String, Integer> errors, Map<String, String> errorMessages, double windowSeconds,
                      double scheduledRate, double achievedRate, long multiTokenChunks, int unknownChunkRequests, int lengthMismatches,
                      Map<String, Integer> countSources, int countDisagreements, double clientCpuShare, Boolean sloMet,
                      int degenerateOutputs, Map<String, Integer> invalidUsage, Map<Metric, MetricSummary> metrics) implements Run {

    public LoadRun {
        errors = sorted(errors);
        invalidUsage = invalidUsage == null ? Map.of() : sorted(invalidUsage);
        errorMessages = errorMessages == null ? Map.of() : sorted(errorMessages);
        countSources = sorted(countSources);
        metrics = Metric.ordered(metrics);
    }

    /** The same run with {@code more} metrics added (replacing any of the same name). */
    public LoadRun withMetrics(Map<Metric, MetricSummary> more) {
        var merged = new java.util.EnumMap<Metric, MetricSummary>(Metric.class);
        merged.putAll(metrics);
        merged.putAll(more);
        return new LoadRun(name, concurrency, rate, arrival, measured, succeeded, errors, errorMessages, windowSeconds, scheduledRate,
                achievedRate, multiTokenChunks, unknownChunkRequests, lengthMismatches, countSources, countDisagreements, clientCpuShare,
                sloMet, degenerateOutputs, invalidUsage, merged);
    }

    /** A level without the count of invalid usage (documents written before toks checked usage: none). */
    public LoadRun(String name, Integer concurrency, Double rate, String arrival, int measured, int succeeded,
                   Map<String, Integer> errors, Map<String, String> errorMessages, double windowSeconds,
                   double scheduledRate, double achievedRate, long multiTokenChunks, int unknownChunkRequests, int lengthMismatches,
                   Map<String, Integer> countSources, int countDisagreements, double clientCpuShare, Boolean sloMet,
                   int degenerateOutputs, Map<Metric, MetricSummary> metrics) {
        this(name, concurrency, rate, arrival, measured, succeeded, errors, errorMessages, windowSeconds, scheduledRate, achievedRate,
                multiTokenChunks, unknownChunkRequests, lengthMismatches, countSources, countDisagreements, clientCpuShare, sloMet,
                degenerateOutputs, Map.of(), metrics);
    }

    /** A level without the degenerate-output count (documents written before toks counted them: 0). */
    public LoadRun(String name, Integer concurrency, Double rate, String arrival, int measured, int succeeded,
                   Map<String, Integer> errors, Map<String, String> errorMessages, double windowSeconds,
                   double scheduledRate, double achievedRate, long multiTokenChunks, int unknownChunkRequests, int lengthMismatches,
                   Map<String, Integer> countSources, int countDisagreements, double clientCpuShare, Boolean sloMet,
                   Map<Metric, MetricSummary> metrics) {
        this(name, concurrency, rate, arrival, measured, succeeded, errors, errorMessages, windowSeconds, scheduledRate, achievedRate,
                multiTokenChunks, unknownChunkRequests, lengthMismatches, countSources, countDisagreements, clientCpuShare, sloMet, 0,
                Map.of(), metrics);
    }

    /** Sorted by key, so documents diff cleanly. */
    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return Collections.unmodifiableMap(new TreeMap<>(map));
    }

    /** The rate asked for, NaN in a closed loop. */
    public double targetRate() {
        return rate == null ? Double.NaN : rate;
    }

    public int failed() {
        return errors.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Succeeded requests whose usage was not believed, whatever the problem. */
    public int invalidUsageRequests() {
        return invalidUsage.values().stream().mapToInt(Integer::intValue).sum();
    }
}
