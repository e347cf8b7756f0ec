package io.toks.serve;

import io.toks.core.events.FinishReason;

/** Receives one job's output from the engine thread. Must return quickly: it runs inside the decode loop. */
public interface TokenSink {

    /** Prefill is done ({@code promptTokens} processed); tokens follow. */
    void onStart(int promptTokens, long nanos);

    void onToken(int tokenId, long nanos);

    void onFinish(FinishReason reason, int generatedTokens, long nanos);

    /** The job failed; no more calls follow. */
    void onError(String message);
}
