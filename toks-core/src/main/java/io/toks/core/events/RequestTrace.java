package io.toks.core.events;

import java.util.Arrays;

/**
 * Records the events of one request so that its metrics can be computed afterwards
 * ({@link RequestMetrics}). Arrival times and counts go into growable primitive arrays: recording
 * a token allocates nothing on the per-token path in the common case. Not thread-safe: events of
 * one request come from one thread at a time.
 */
public final class RequestTrace implements TokenEvents {

    private long dueNanos = -1;
    private long sentNanos = -1;
    private long prefillDoneNanos = -1;
    private long endNanos = -1;
    private int promptTokens = -1;
    private long[] arrivals;
    private int[] counts;
    private int[] tokenIds;
    private int n;
    private TokenCountSource source;
    private long countSum;
    private boolean countsKnown = true;
    private FinishReason finishReason;
    private Usage usage;
    private ErrorKind error;
    private String errorMessage;

    /** @param expectedChunks room for this many tokens or chunks before growing */
    public RequestTrace(int expectedChunks) {
        arrivals = new long[Math.max(16, expectedChunks)];
        counts = new int[arrivals.length];
        tokenIds = new int[arrivals.length];
    }

    /**
     * Forgets every event and keeps the arrays, grown as they are: a trace reused for the next
     * request (TokenMeter pools them) records it without allocating.
     */
    public void reset() {
        dueNanos = -1;
        sentNanos = -1;
        prefillDoneNanos = -1;
        endNanos = -1;
        promptTokens = -1;
        n = 0;
        source = null;
        countSum = 0;
        countsKnown = true;
        finishReason = null;
        usage = null;
        error = null;
        errorMessage = null;
    }

    @Override
    public void requestDue(long nanos) {
        dueNanos = nanos;
    }

    @Override
    public void requestSent(long nanos) {
        sentNanos = nanos;
    }

    @Override
    public void prefillDone(long nanos, int promptTokens) {
        prefillDoneNanos = nanos;
        this.promptTokens = promptTokens;
    }

    @Override
    public void tokens(long nanos, int count, TokenCountSource source, int tokenId) {
        if (n == arrivals.length) {
            arrivals = Arrays.copyOf(arrivals, n * 2);
            counts = Arrays.copyOf(counts, n * 2);
            tokenIds = Arrays.copyOf(tokenIds, n * 2);
        }
        arrivals[n] = nanos;
        counts[n] = count;
        tokenIds[n] = tokenId;
        n++;
        this.source = source;
        if (count >= 0 && source != TokenCountSource.CHUNKS_COUNTED) countSum += count;
        else countsKnown = false;
    }

    @Override
    public void finished(long nanos, FinishReason reason, Usage usage) {
        endNanos = nanos;
        finishReason = reason;
        this.usage = usage;
    }

    @Override
    public void failed(long nanos, ErrorKind kind, String message) {
        endNanos = nanos;
        error = kind;
        errorMessage = message;
    }

    /** Latencies count from here: the due time when one was given, else the send time. */
    public long startNanos() { return dueNanos >= 0 ? dueNanos : sentNanos; }
    public long dueNanos() { return dueNanos; }
    public long sentNanos() { return sentNanos; }
    /** -1 when the target could not see it (a server). */
    public long prefillDoneNanos() { return prefillDoneNanos; }
    public long endNanos() { return endNanos; }
    /** As the target said at prefill; -1 when it did not. */
    public int promptTokens() { return promptTokens; }
    /** Tokens or chunks that arrived. */
    public int arrivals() { return n; }
    public long arrivalNanos(int i) { return arrivals[i]; }
    /** Tokens arrival {@code i} carried, as its source says. */
    public int count(int i) { return counts[i]; }
    /** Tokens of all arrivals when every count was known (engine ids, per-chunk usage); -1 otherwise. */
    public long knownTokens() { return countsKnown ? countSum : -1; }
    /** How the last arrival's count was known; null when nothing arrived. */
    public TokenCountSource countSource() { return source; }
    public FinishReason finishReason() { return finishReason; }
    public Usage usage() { return usage; }
    public ErrorKind error() { return error; }
    public String errorMessage() { return errorMessage; }
    public boolean ok() { return error == null; }
    /** The engine's token ids, in order (arrivals without an id are left out). */
    public int[] tokenIds() {
        return Arrays.stream(tokenIds, 0, n).filter(id -> id >= 0).toArray();
    }
}
