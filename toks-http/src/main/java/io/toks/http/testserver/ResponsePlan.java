package io.toks.http.testserver;

import java.util.List;

/**
 * What the scripted server does for one request: an exact schedule of chunks, or a failure.
 *
 * @param status          HTTP status; anything but 200 answers with an error body and no stream
 * @param promptTokens    reported in usage
 * @param chunks          the messages to send, each at its offset from when the request arrived
 * @param fault           what goes wrong, and after how many chunks
 * @param faultAfter      chunks sent before the fault strikes
 * @param continuousUsage put cumulative usage in every chunk (as vLLM's continuous usage stats do),
 *                        so the client can know how many tokens each chunk carried
 */
public record ResponsePlan(int status, int promptTokens, List<Chunk> chunks, Fault fault, int faultAfter,
                           boolean continuousUsage) {

    /**
     * One message of the stream.
     *
     * @param offsetNanos when to send it, after the request arrived (absolute, so delays never drift)
     * @param tokens      how many tokens it carries (its text is that many words)
     */
    public record Chunk(long offsetNanos, int tokens) {}

    public enum Fault {
        NONE,
        /** Reset the connection mid-stream. */
        CUT,
        /** Send a message that is not JSON. */
        MALFORMED_JSON,
        /** Send an {@code error} object in the stream. */
        ERROR_EVENT,
        /** Stop sending without closing. */
        STALL
    }

    public int totalTokens() {
        int n = 0;
        for (Chunk c : chunks) n += c.tokens();
        return n;
    }

    public static ResponsePlan ok(int promptTokens, List<Chunk> chunks) {
        return new ResponsePlan(200, promptTokens, chunks, Fault.NONE, 0, false);
    }

    public static ResponsePlan httpError(int status) {
        return new ResponsePlan(status, 0, List.of(), Fault.NONE, 0, false);
    }
}
