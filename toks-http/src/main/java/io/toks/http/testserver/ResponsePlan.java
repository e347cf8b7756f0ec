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

    /**
     * What goes wrong. The first group strikes after {@code faultAfter} chunks of a good stream;
     * the second replaces the whole answer (a hostile or broken server's), and {@code faultAfter}
     * is not used.
     */
    public enum Fault {
        NONE,
        /** Reset the connection mid-stream. */
        CUT,
        /** Send a message that is not JSON. */
        MALFORMED_JSON,
        /** Send an {@code error} object in the stream. */
        ERROR_EVENT,
        /** Stop sending without closing. */
        STALL,
        /** One event larger than a client may buffer (9 MiB of data, then the blank line). */
        OVERSIZED_EVENT,
        /** A chunk-size line that is not hex. */
        BAD_CHUNK_SIZE,
        /** A chunk carrying more bytes than its size line said. */
        CHUNK_OVERRUN,

        /** Close the connection (orderly) before a byte of the answer. */
        CLOSE_BEFORE_HEAD,
        /** Reset the connection before a byte of the answer. */
        RESET_BEFORE_HEAD,
        /** Keep the connection open and send nothing, not even the head. */
        STALL_BEFORE_HEAD,
        /** The whole (valid) answer, head included, one byte per write. */
        DRIP,
        /** The head, then one byte at a time of an event that never ends: bytes keep coming, a message never does. */
        DRIP_ENDLESS,
        /** Events ended by one newline instead of a blank line. */
        MISSING_BLANK_LINE,
        /** A Content-Length that ends the body halfway through the stream; the rest follows anyway. */
        SHORT_CONTENT_LENGTH,
        /** A Content-Length longer than the (otherwise complete) stream; the rest never comes. */
        LONG_CONTENT_LENGTH,
        /** The error status ({@code status}) with an HTML page as its body, as a proxy answers. */
        HTML_ERROR,
        /** A good stream whose usage cannot be true: a negative prompt count, a million completion tokens. */
        IMPOSSIBLE_USAGE,
        /** One plain {@code application/json} completion, as a server that ignores {@code stream:true} answers. */
        NOT_STREAMED,
        /** The good stream gzip-compressed ({@code Content-Encoding: gzip}), though the client asked for none. */
        GZIP_ENCODED;

        /** True when the fault replaces the whole answer rather than breaking a good stream midway. */
        public boolean wholeAnswer() {
            return ordinal() >= CLOSE_BEFORE_HEAD.ordinal();
        }
    }

    public int totalTokens() {
        int n = 0;
        for (Chunk c : chunks) n += c.tokens();
        return n;
    }

    public static ResponsePlan ok(int promptTokens, List<Chunk> chunks) {
        return new ResponsePlan(200, promptTokens, chunks, Fault.NONE, 0, false);
    }

    /** An HTTP error with an OpenAI-style JSON body; a 3xx status redirects to the request's own URL (a loop). */
    public static ResponsePlan httpError(int status) {
        return new ResponsePlan(status, 0, List.of(), Fault.NONE, 0, false);
    }

    /** A good stream of {@code chunks} that goes wrong as {@code fault} says, after {@code after} chunks. */
    public static ResponsePlan faulty(int promptTokens, List<Chunk> chunks, Fault fault, int after) {
        return new ResponsePlan(fault == Fault.HTML_ERROR ? 502 : 200, promptTokens, chunks, fault, after, false);
    }
}
