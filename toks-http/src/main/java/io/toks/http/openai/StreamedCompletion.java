package io.toks.http.openai;

import io.toks.core.events.ErrorKind;
import io.toks.core.events.FinishReason;
import io.toks.core.events.TokenCountSource;
import io.toks.core.events.TokenEvents;

import io.toks.core.events.Usage;

/**
 * Everything observed about one streamed request, as raw timestamps and counts: the load
 * generator computes metrics from this, and the journal stores it, so nothing is lost by
 * summarizing early. Times are {@code System.nanoTime()} values.
 *
 * @param sentNanos     request fully written to the socket
 * @param headNanos     response status line arrived (0 if none)
 * @param endNanos      the stream ended (or failed)
 * @param status        HTTP status (0 if none)
 * @param chunkNanos    arrival time of each message that carried generated text
 * @param chunkTokens   tokens each of those carried when the server said (cumulative usage in
 *                      every chunk); -1 where unknown
 * @param text          the generated text
 * @param usage         the server's final token counts, or null if it sent none
 * @param finishReason  why the server said it stopped, or null when it did not say
 * @param error         null on success
 * @param errorMessage  what went wrong, or null
 */
public record StreamedCompletion(long sentNanos, long headNanos, long endNanos, int status,
                                 long[] chunkNanos, int[] chunkTokens, String text, Usage usage,
                                 FinishReason finishReason, ErrorKind error, String errorMessage) {

    public boolean ok() {
        return error == null;
    }

    public int chunks() {
        return chunkNanos.length;
    }

    /**
     * Tells {@code events} what this request showed, in the shared event vocabulary, with the
     * times it was observed: sent, each text chunk (with its token count where the server's
     * cumulative usage said it, else counted as one token, which its source says), then finished
     * or failed.
     */
    public void replay(TokenEvents events) {
        events.requestSent(sentNanos);
        for (int i = 0; i < chunkNanos.length; i++) {
            boolean known = chunkTokens[i] >= 0;
            events.tokens(chunkNanos[i], known ? chunkTokens[i] : 1,
                    known ? TokenCountSource.SERVER_USAGE : TokenCountSource.CHUNKS_COUNTED, -1);
        }
        if (ok()) events.finished(endNanos, finishReason, usage);
        else events.failed(endNanos, error, errorMessage);
    }
}
