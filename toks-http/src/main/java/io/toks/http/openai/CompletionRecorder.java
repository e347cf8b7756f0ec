package io.toks.http.openai;

import io.toks.core.events.Usage;
import io.toks.core.events.ErrorKind;
import io.toks.core.events.FinishReason;
import io.toks.http.client.HttpWire;
import io.toks.http.client.StreamEvent;
import java.util.Arrays;

/**
 * Accumulates what one streamed request showed, message by message, whichever transport read
 * it, and turns it into a {@link StreamedCompletion}. Not thread-safe: one per request.
 */
final class CompletionRecorder {

    long sent, head, end;
    int status;
    /** The answer's Content-Type, or null when it had none. */
    String contentType;
    private int messages;
    private long[] times = new long[64];
    private int[] tokens = new int[64];
    private int n;
    private int lastCumulative;
    private final StringBuilder text = new StringBuilder();
    private Usage usage;
    private FinishReason finish;
    private ErrorKind error;
    private String message;

    /**
     * Takes one message of the stream.
     *
     * @return true when the stream is over: its end marker, or an error reported in it
     */
    boolean onMessage(StreamEvent event, StreamChunkParser parser) throws StreamChunkParser.MalformedChunkException {
        StreamChunk chunk = parser.parse(event.data());
        messages++;
        if (chunk.error() != null) {
            fail(ErrorKind.SERVER_ERROR, "server error in stream: " + chunk.error());
            return true;
        }
        // NDJSON (Ollama): a non-streamed answer is one JSON line that is also the end, labelled
        // JSON; a real stream is labelled application/x-ndjson and ends after its text.
        if (messages == 1 && chunk.done() && (chunk.hasText() || chunk.usage() != null) && HttpWire.isJsonType(contentType)) {
            fail(ErrorKind.MALFORMED, notStreamed());
            return true;
        }
        if (chunk.hasText()) chunk(event.arrivalNanos(), chunk);
        else if (chunk.usage() != null) lastCumulative = Math.max(lastCumulative, chunk.usage().completionTokens());
        if (chunk.usage() != null) usage = chunk.usage();
        if (chunk.finishReason() != null) finish = FinishReason.fromWire(chunk.finishReason());
        if (chunk.done()) {
            end = event.arrivalNanos();
            return true;
        }
        return false;
    }

    /**
     * The body ended properly without an end marker. Some servers end after the finish_reason
     * without a [DONE]: that is complete. Without either, the answer was cut, unless it ended
     * inside an event: data lines that no blank line ever ended broke the format.
     * <p>
     * A body that held no message at all and is a JSON document is a server that ignored
     * {@code stream:true}: said so, not taken for a cut stream. (Counting it as one chunk would
     * report its whole time as ttft and a stream that never was; toks load measures streams.)
     *
     * @param insideEvent the body ended with an event's data lines still open
     * @param bodyStart   the first bytes of the body
     */
    void endOfBody(long nanos, boolean insideEvent, String bodyStart) {
        end = nanos;
        if (finish != null) return;
        String json = bodyStart.stripLeading();
        if (messages == 0 && (json.startsWith("{") || json.startsWith("["))) {
            String said = json.contains("\"error\"") ? errorMessage(json) : "";
            fail(ErrorKind.MALFORMED, notStreamed() + (said.isEmpty() || said.equals(json) ? "" : " (it said: " + said + ")"));
        } else if (insideEvent) fail(ErrorKind.MALFORMED, "stream ended inside an event: its data lines were never followed by a blank line");
        else fail(ErrorKind.CUT, "stream ended without a finish_reason or end marker");
    }

    private String notStreamed() {
        return "the server answered with a non-streamed JSON body (" + (contentType == null ? "no Content-Type" : contentType.trim())
                + "): it ignored stream:true";
    }

    private void chunk(long nanos, StreamChunk c) {
        if (n == times.length) {
            times = Arrays.copyOf(times, n * 2);
            tokens = Arrays.copyOf(tokens, n * 2);
        }
        times[n] = nanos;
        // Continuous usage: a cumulative completion count in every chunk tells how many
        // tokens this chunk carried. Otherwise (or when the count went backwards, which says
        // nothing about this chunk) the count per chunk is unknown.
        int cumulative = c.usage() == null ? -1 : c.usage().completionTokens();
        if (cumulative >= 0 && cumulative >= lastCumulative) {
            tokens[n] = cumulative - lastCumulative;
            lastCumulative = cumulative;
        } else {
            tokens[n] = -1;
        }
        n++;
        text.append(c.text());
    }

    /** Records a failure (the first one wins) and returns the result. */
    StreamedCompletion fail(ErrorKind kind, String why) {
        if (error == null) {
            error = kind;
            message = why;
        }
        return result();
    }

    /**
     * A non-2xx answer: its status and the message of its (OpenAI-style) error body, if any. A
     * redirect is not followed (a load test measures the address it was given; a loop must end)
     * and says where it pointed.
     */
    StreamedCompletion failHttp(int status, String body, String location) {
        if (status >= 300 && status < 400) {
            return fail(ErrorKind.REDIRECT, "HTTP " + status + " redirect to " + (location == null ? "(no Location)" : location) + ", not followed");
        }
        String detail = errorMessage(body.trim());
        return fail(status >= 400 && status < 500 ? ErrorKind.HTTP_4XX : ErrorKind.HTTP_5XX, "HTTP " + status + (detail.isEmpty() ? "" : ": " + detail));
    }

    /** The {@code message} of a JSON error, the text of an HTML page (a proxy's), or the body as it is. */
    static String errorMessage(String body) {
        if (looksLikeHtml(body)) {
            String text = body.replaceAll("(?is)<(script|style)\\b.*?</\\1>", " ").replaceAll("<[^>]*>", " ")
                    .replaceAll("\\s+", " ").strip();
            return text.length() > 200 ? text.substring(0, 200) : text;
        }
        int i = body.indexOf("\"message\"");
        if (i >= 0) {
            int start = body.indexOf('"', body.indexOf(':', i) + 1);
            int end = body.indexOf('"', start + 1);
            if (start > 0 && end > start) return body.substring(start + 1, end);
        }
        return body.length() > 200 ? body.substring(0, 200) : body;
    }

    private static boolean looksLikeHtml(String body) {
        String start = body.substring(0, Math.min(body.length(), 64)).toLowerCase(java.util.Locale.ROOT);
        return start.startsWith("<!doctype html") || start.startsWith("<html") || start.startsWith("<head") || start.startsWith("<body");
    }

    boolean failed() {
        return error != null;
    }

    StreamedCompletion result() {
        if (end == 0) end = System.nanoTime();
        return new StreamedCompletion(sent, head, end, status, Arrays.copyOf(times, n), Arrays.copyOf(tokens, n),
                text.toString(), usage, finish, error, message);
    }
}
