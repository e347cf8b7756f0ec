package io.toks.core.events;

/**
 * The per-request metrics of docs/metrics.md, computed from a {@link GenerationTrace}.
 * Times are in seconds, rates in tokens per second; NaN where a metric is undefined
 * (for example decode_tps with fewer than two generated tokens).
 */
public record GenerationMetrics(int promptTokens, int generatedTokens, TokenCountSource countSource,
                                double prefillSeconds, double prefillTps, double ttftSeconds,
                                double decodeTps, double tpotSeconds, double e2eSeconds) {

    public static GenerationMetrics of(GenerationTrace t, TokenCountSource source) {
        double prefill = seconds(t.prefillEndNanos() - t.requestNanos());
        int n = t.generatedTokens();
        double ttft = n > 0 ? seconds(t.tokenNanos(0) - t.requestNanos()) : Double.NaN;
        double e2e = seconds(t.finishNanos() - t.requestNanos());
        double decodeTps = n > 1 ? (n - 1) / seconds(t.tokenNanos(n - 1) - t.tokenNanos(0)) : Double.NaN;
        double tpot = n > 1 ? (e2e - ttft) / (n - 1) : Double.NaN;
        double prefillTps = t.promptTokens() / prefill;
        return new GenerationMetrics(t.promptTokens(), n, source, prefill, prefillTps, ttft,
                decodeTps, tpot, e2e);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
