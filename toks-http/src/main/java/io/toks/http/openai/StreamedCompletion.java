package io.toks.http.openai;

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
 * @param finishReason  as the server said (stop, length, ...), or null
 * @param error         null on success
 * @param errorMessage  what went wrong, or null
 */
public record StreamedCompletion(long sentNanos, long headNanos, long endNanos, int status,
                                 long[] chunkNanos, int[] chunkTokens, String text, Usage usage,
                                 String finishReason, ErrorKind error, String errorMessage) {

    public boolean ok() {
        return error == null;
    }

    public int chunks() {
        return chunkNanos.length;
    }
}
