package io.toks.core.events;

/**
 * The one vocabulary in which every target reports a request: the in-process engine, the
 * server's scheduler, the HTTP client, user code. Events come in order; times are
 * {@link Clock} nanoseconds taken where the event happened (a socket read, a decode step), so a
 * target may hand them on after the fact without changing any figure. Targets emit these and
 * never compute statistics; {@link RequestTrace} records them and {@link RequestMetrics}
 * computes the metrics of docs/metrics.md from them, in one place.
 * Implementations called inside a decode loop must return quickly.
 */
public interface TokenEvents {

    /**
     * The request was due: the open-loop schedule's time, or when a closed-loop stream was
     * ready. Latencies count from here when it is given, so a late send is never hidden.
     */
    default void requestDue(long nanos) {}

    /** The request left the client (written to the socket, handed to the engine). */
    default void requestSent(long nanos) {}

    /** Prefill of {@code promptTokens} tokens is done; tokens follow. Only in-process targets see this. */
    default void prefillDone(long nanos, int promptTokens) {}

    /**
     * Generated output arrived: one engine token, or one streamed chunk.
     *
     * @param count   tokens it carried
     * @param source  how {@code count} was known: {@code CHUNKS_COUNTED} when nobody said, and
     *                the chunk is assumed to be one token
     * @param tokenId the token's id when it is one token the engine produced; -1 otherwise
     */
    default void tokens(long nanos, int count, TokenCountSource source, int tokenId) {}

    /** The request ended normally. {@code usage}: the server's or engine's counts, null if none. */
    default void finished(long nanos, FinishReason reason, Usage usage) {}

    /** The request failed; no event follows. */
    default void failed(long nanos, ErrorKind kind, String message) {}

    TokenEvents NONE = new TokenEvents() {};

    /** Every event to {@code first}, then to {@code second}. */
    static TokenEvents both(TokenEvents first, TokenEvents second) {
        return new TokenEvents() {
            @Override public void requestDue(long nanos) {
                first.requestDue(nanos);
                second.requestDue(nanos);
            }
            @Override public void requestSent(long nanos) {
                first.requestSent(nanos);
                second.requestSent(nanos);
            }
            @Override public void prefillDone(long nanos, int promptTokens) {
                first.prefillDone(nanos, promptTokens);
                second.prefillDone(nanos, promptTokens);
            }
            @Override public void tokens(long nanos, int count, TokenCountSource source, int tokenId) {
                first.tokens(nanos, count, source, tokenId);
                second.tokens(nanos, count, source, tokenId);
            }
            @Override public void finished(long nanos, FinishReason reason, Usage usage) {
                first.finished(nanos, reason, usage);
                second.finished(nanos, reason, usage);
            }
            @Override public void failed(long nanos, ErrorKind kind, String message) {
                first.failed(nanos, kind, message);
                second.failed(nanos, kind, message);
            }
        };
    }
}
