package io.toks.core.result;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@code TokenMeter} measured inside a program's own code (io.toks.core.meter): the calls
 * it made to a model, timed where they happened, and the training steps it reported. The same
 * metrics as a load level where the quantity is the same (docs/metrics.md, "In your own code").
 * Only finished calls count: a call still open when the result was taken is in
 * {@code inFlight} and nowhere else.
 *
 * @param name               the meter's name: the model, as the program named it
 * @param model              the model, as the program named it
 * @param calls              calls finished (succeeded + failed)
 * @param succeeded          calls that finished normally
 * @param failed             calls marked failed: counted here, in no latency or token figure
 * @param inFlight           calls started and not yet finished when the result was taken
 * @param promptTokens       prompt tokens of the succeeded calls (the server's usage where given, else the program's count)
 * @param outputTokens       output tokens of the succeeded calls, each counted as {@code countSources} says
 * @param countSources       succeeded calls by how their output count was known ({@code server_usage},
 *                           {@code chunks_counted}: the tokens the program reported chunk by chunk)
 * @param countDisagreements calls whose usage disagreed with the tokens counted in their chunks:
 *                           their gaps are chunk gaps only, not itl
 * @param chunks             chunks (token arrivals) of the succeeded calls
 * @param multiTokenChunks   of those, chunks that carried more than one token (kept out of itl)
 * @param windowSeconds      first finished call's start to the last one's end; NaN without calls
 * @param trainSteps         training steps reported
 * @param trainTokens        tokens of those steps
 * @param trainSeconds       time of those steps, each from the end of the one before (the first
 *                           from the meter's creation)
 */
public record MeterRun(String name, String model, long calls, long succeeded, long failed, long inFlight, long promptTokens,
                       long outputTokens, Map<String, Long> countSources, long countDisagreements, long chunks,
                       long multiTokenChunks, double windowSeconds, long trainSteps, long trainTokens, double trainSeconds,
                       Map<Metric, MetricSummary> metrics) implements Run {

    public MeterRun {
        countSources = countSources == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(countSources));
        metrics = Metric.ordered(metrics);
    }
}
