package io.toks.core.events;

import java.util.Arrays;

/**
 * Records the events of one generation so that metrics can be computed from them afterwards.
 * Token timestamps go into a preallocated, growable primitive array: recording a token does not
 * allocate on the per-token path in the common case.
 */
public final class GenerationTrace implements GenerationListener {

    private long requestNanos = -1;
    private long prefillEndNanos = -1;
    private long finishNanos = -1;
    private int promptTokens;
    private long[] tokenNanos;
    private int[] tokenIds;
    private int generated;
    private FinishReason finishReason;

    public GenerationTrace(int expectedTokens) {
        tokenNanos = new long[Math.max(16, expectedTokens)];
        tokenIds = new int[tokenNanos.length];
    }

    @Override
    public void onPrefillStart(long nanos, int promptTokens) {
        this.requestNanos = nanos;
        this.promptTokens = promptTokens;
    }

    @Override
    public void onPrefillEnd(long nanos) {
        this.prefillEndNanos = nanos;
    }

    @Override
    public void onToken(long nanos, int tokenId) {
        if (generated == tokenNanos.length) {
            tokenNanos = Arrays.copyOf(tokenNanos, generated * 2);
            tokenIds = Arrays.copyOf(tokenIds, generated * 2);
        }
        tokenNanos[generated] = nanos;
        tokenIds[generated] = tokenId;
        generated++;
    }

    @Override
    public void onFinish(long nanos, int generatedTokens, FinishReason reason) {
        this.finishNanos = nanos;
        this.finishReason = reason;
    }

    public long requestNanos() { return requestNanos; }
    public long prefillEndNanos() { return prefillEndNanos; }
    public long finishNanos() { return finishNanos; }
    public int promptTokens() { return promptTokens; }
    public int generatedTokens() { return generated; }
    public FinishReason finishReason() { return finishReason; }
    public long tokenNanos(int i) { return tokenNanos[i]; }
    public int[] tokenIds() { return Arrays.copyOf(tokenIds, generated); }
}
