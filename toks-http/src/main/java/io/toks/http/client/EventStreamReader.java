package io.toks.http.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.LongSupplier;

/**
 * Splits a streamed body into messages: server-sent events (WHATWG rules: lines end in LF, CRLF
 * or CR; {@code data:} lines accumulate; a blank line dispatches; {@code :} lines are comments;
 * other fields are ignored) or newline-delimited JSON (each non-blank line is a message, as
 * Ollama streams). Each message carries the arrival time of the bytes that completed it.
 */
public final class EventStreamReader {

    /** How the stream delimits messages. */
    public enum Framing { SSE, NDJSON }

    /** A message longer than this is a malformed stream, not something to buffer forever. */
    static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    private final InputStream in;
    private final Framing framing;
    private final LongSupplier arrivalClock;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private boolean lastWasCr;

    public EventStreamReader(InputStream in, Framing framing, LongSupplier arrivalClock) {
        this.in = in;
        this.framing = framing;
        this.arrivalClock = arrivalClock;
    }

    /** The next message, or null at the end of the stream (an unterminated last SSE event is dropped, as the spec says). */
    public StreamEvent next() throws IOException {
        while (true) {
            String l = readLine();
            if (l == null) {
                if (framing == Framing.NDJSON && hasData) {
                    hasData = false;
                    return new StreamEvent(takeData(), arrivalClock.getAsLong());
                }
                return null;
            }
            if (framing == Framing.NDJSON) {
                if (!l.isBlank()) return new StreamEvent(l, arrivalClock.getAsLong());
                continue;
            }
            if (l.isEmpty()) {
                if (hasData) {
                    hasData = false;
                    return new StreamEvent(takeData(), arrivalClock.getAsLong());
                }
                continue;
            }
            if (l.charAt(0) == ':') continue;
            int colon = l.indexOf(':');
            String field = colon < 0 ? l : l.substring(0, colon);
            if (!field.equals("data")) continue;
            String value = colon < 0 ? "" : l.substring(colon + 1);
            if (value.startsWith(" ")) value = value.substring(1);
            if (hasData) data.append('\n');
            data.append(value);
            hasData = true;
            if (data.length() > MAX_MESSAGE_BYTES) throw new IOException("server-sent event over " + MAX_MESSAGE_BYTES + " bytes");
        }
    }

    private String takeData() {
        String s = data.toString();
        data.setLength(0);
        return s;
    }

    /** One line, terminated by LF, CRLF or CR; null at end of stream with nothing read. */
    private String readLine() throws IOException {
        line.reset();
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (line.size() == 0) return null;
                return line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                if (lastWasCr) { // the LF of a CRLF whose CR already ended the line
                    lastWasCr = false;
                    continue;
                }
                return line.toString(StandardCharsets.UTF_8);
            }
            lastWasCr = b == '\r';
            if (b == '\r') return line.toString(StandardCharsets.UTF_8);
            if (line.size() >= MAX_MESSAGE_BYTES) throw new IOException("stream line over " + MAX_MESSAGE_BYTES + " bytes");
            line.write(b);
        }
    }
}
