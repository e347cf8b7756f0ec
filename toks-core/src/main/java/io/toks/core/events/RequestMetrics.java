package io.toks.core.events;

/**
 * The per-request metrics of docs/metrics.md, computed from a {@link RequestTrace}: the only
 * place their formulas live. Times are nanoseconds (-1 where unobserved), rates tokens per
 * second; NaN where a metric is undefined (decode_tps and tpot with fewer than two tokens,
 * prefill_tps where prefill was not observed).
 *
 * @param promptTokens   prompt tokens (-1 if unknown)
 * @param outputTokens   generated tokens, from {@code outputSource}
 * @param outputSource   how {@code outputTokens} was known
 * @param prefillNanos   request start to end of prefill; -1 when not observable (a server)
 * @param ttftNanos      start (due time, else send time) to the first token; -1 when none came
 * @param decodeNanos    first to last token arrival; -1 with fewer than two arrivals
 * @param e2eNanos       start to the end of the request
 */
public record RequestMetrics(int promptTokens, int outputTokens, TokenCountSource outputSource, long prefillNanos,
                             long ttftNanos, long decodeNanos, long e2eNanos) {

    /**
     * Metrics of a traced request with its most honest output count: the engine's own ids; else
     * the target's usage; else per-chunk counts when every chunk had one; else the chunks
     * themselves, one token each (an assumption its source says).
     */
    public static RequestMetrics of(RequestTrace t) {
        if (t.countSource() == TokenCountSource.ENGINE_IDS && t.knownTokens() >= 0) {
            return of(t, (int) t.knownTokens(), TokenCountSource.ENGINE_IDS);
        }
        if (t.usage() != null && t.usage().completionTokens() >= 0) {
            return of(t, t.usage().completionTokens(), TokenCountSource.SERVER_USAGE);
        }
        if (t.arrivals() > 0 && t.knownTokens() >= 0) return of(t, (int) t.knownTokens(), TokenCountSource.SERVER_USAGE);
        return of(t, t.arrivals(), TokenCountSource.CHUNKS_COUNTED);
    }

    /** Metrics of a traced request with {@code outputTokens} counted as {@code source} says. */
    public static RequestMetrics of(RequestTrace t, int outputTokens, TokenCountSource source) {
        long start = t.startNanos();
        int n = t.arrivals();
        long prefill = t.prefillDoneNanos() >= 0 ? t.prefillDoneNanos() - start : -1;
        long ttft = n > 0 ? t.arrivalNanos(0) - start : -1;
        long decode = n > 1 ? t.arrivalNanos(n - 1) - t.arrivalNanos(0) : -1;
        return new RequestMetrics(t.promptTokens(), outputTokens, source, prefill, ttft, decode, t.endNanos() - start);
    }

    /** prompt tokens / prefill time. */
    public double prefillTps() {
        return prefillNanos > 0 && promptTokens >= 0 ? promptTokens / seconds(prefillNanos) : Double.NaN;
    }

    /** (output tokens - 1) / (last arrival - first arrival). */
    public double decodeTps() {
        return outputTokens > 1 && decodeNanos > 0 ? (outputTokens - 1) / seconds(decodeNanos) : Double.NaN;
    }

    /** (e2e - ttft) / (output tokens - 1), in nanoseconds. */
    public double tpotNanos() {
        return outputTokens > 1 && ttftNanos >= 0 ? (double) (e2eNanos - ttftNanos) / (outputTokens - 1) : Double.NaN;
    }

    public double prefillSeconds() { return prefillNanos < 0 ? Double.NaN : seconds(prefillNanos); }
    public double ttftSeconds() { return ttftNanos < 0 ? Double.NaN : seconds(ttftNanos); }
    public double decodeSeconds() { return decodeNanos < 0 ? Double.NaN : seconds(decodeNanos); }
    public double e2eSeconds() { return seconds(e2eNanos); }
    public double tpotSeconds() { return tpotNanos() / 1e9; }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
