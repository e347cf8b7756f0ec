package io.toks.core.meter;

import io.toks.core.events.RequestMetrics;
import io.toks.core.events.RequestTrace;
import io.toks.core.events.TokenCountSource;
import io.toks.core.result.MetricSummary;
import java.util.EnumMap;
import java.util.Map;

/**
 * Every finished call, folded into totals, per-call samples and gap distributions as it closes.
 * The per-call figures come from {@link RequestMetrics}, where their formulas live; the gaps are
 * split as {@code toks load} splits them. Thread-safe: calls close under its lock, briefly.
 */
final class CallLedger {

    private long calls;
    private long succeeded;
    private long failed;
    private long promptTokens;
    private long outputTokens;
    private final EnumMap<TokenCountSource, Long> sources = new EnumMap<>(TokenCountSource.class);
    private long disagreements;
    private long chunks;
    private long multiTokenChunks;
    private long firstStartNanos = Long.MAX_VALUE;
    private long lastEndNanos = Long.MIN_VALUE;
    private final SampleBuffer ttftMs = new SampleBuffer();
    private final SampleBuffer tpotMs = new SampleBuffer();
    private final SampleBuffer e2eMs = new SampleBuffer();
    private final SampleBuffer decodeTps = new SampleBuffer();
    private final SampleBuffer prefillTps = new SampleBuffer();
    private final GapDistribution itl = new GapDistribution();
    private final GapDistribution chunkGaps = new GapDistribution();

    synchronized void add(FinishedCall call) {
        RequestTrace t = call.trace();
        calls++;
        // The window holds failed calls too (as a load level's does); only succeeded ones count toward its throughputs.
        firstStartNanos = Math.min(firstStartNanos, t.sentNanos());
        lastEndNanos = Math.max(lastEndNanos, t.endNanos());
        if (call.failed()) {
            failed++;
            return;
        }
        succeeded++;
        promptTokens += call.promptTokens();
        outputTokens += call.outputTokens();
        sources.merge(call.outputSource(), 1L, Long::sum);
        if (!call.chunkCountsHold()) disagreements++;
        RequestMetrics m = RequestMetrics.of(t, (int) Math.min(Integer.MAX_VALUE, call.outputTokens()), call.outputSource());
        e2eMs.add(m.e2eNanos() / 1e6);
        if (m.ttftNanos() >= 0) ttftMs.add(m.ttftNanos() / 1e6);
        addDefined(tpotMs, m.tpotNanos() / 1e6);
        addDefined(decodeTps, m.decodeTps());
        addDefined(prefillTps, m.prefillTps());
        gaps(t, call.chunkCountsHold());
    }

    /** itl: gaps before chunks known to carry one token; chunk gaps: all of them (docs/metrics.md). */
    private void gaps(RequestTrace t, boolean countsHold) {
        int n = t.arrivals();
        chunks += n;
        for (int i = 0; i < n; i++) {
            if (countsHold && t.count(i) > 1) multiTokenChunks++;
            if (i == 0) continue;
            long gap = t.arrivalNanos(i) - t.arrivalNanos(i - 1);
            chunkGaps.record(gap);
            if (countsHold && t.count(i) == 1) itl.record(gap);
        }
    }

    private static void addDefined(SampleBuffer into, double value) {
        if (!Double.isNaN(value) && !Double.isInfinite(value)) into.add(value);
    }

    /** Copies taken under the lock; the summaries are computed from them outside it. */
    synchronized Snapshot snapshot() {
        double window = calls == 0 ? Double.NaN : (lastEndNanos - firstStartNanos) / 1e9;
        return new Snapshot(calls, succeeded, failed, promptTokens, outputTokens, new EnumMap<>(sources), disagreements, chunks,
                multiTokenChunks, window, ttftMs.toArray(), tpotMs.toArray(), e2eMs.toArray(), decodeTps.toArray(),
                prefillTps.toArray(), itl.summary(), chunkGaps.summary());
    }

    /** The ledger at one moment: totals, per-call samples (ms, tok/s) and the gap summaries (null without gaps). */
    record Snapshot(long calls, long succeeded, long failed, long promptTokens, long outputTokens,
                    Map<TokenCountSource, Long> sources, long disagreements, long chunks, long multiTokenChunks,
                    double windowSeconds, double[] ttftMs, double[] tpotMs, double[] e2eMs, double[] decodeTps,
                    double[] prefillTps, MetricSummary itl, MetricSummary chunkGap) {}
}
