package io.toks.http.client;

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
    private byte[] buf = new byte[8192];
    private int pos, limit, shift;
    private boolean skipLf;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;

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

    /**
     * One line, terminated by LF, CRLF or CR; null at end of stream with nothing read. Bytes are
     * taken from the body in bulk, but more are read only when no complete line is buffered, so
     * an event is always dispatched before the read that follows it (its timestamp stays right).
     */
    private String readLine() throws IOException {
        if (skipLf && pos < limit) {
            skipLf = false;
            if (buf[pos] == '\n') pos++; // the LF of a CRLF whose CR ended the previous line
        }
        int scanned = pos;
        while (true) {
            for (int i = scanned; i < limit; i++) {
                byte b = buf[i];
                if (b == '\n' || b == '\r') {
                    String line = new String(buf, pos, i - pos, StandardCharsets.UTF_8);
                    pos = i + 1;
                    if (b == '\r') skipLf = true;
                    return line;
                }
            }
            scanned = limit;
            if (limit - pos >= MAX_MESSAGE_BYTES) throw new IOException("stream line over " + MAX_MESSAGE_BYTES + " bytes");
            if (!fill()) {
                if (limit == pos) return null;
                String line = new String(buf, pos, limit - pos, StandardCharsets.UTF_8);
                pos = limit;
                return line;
            }
            scanned -= shift;
        }
    }

    /** Reads more bytes after the unconsumed ones; false at end of stream. Sets {@link #shift}. */
    private boolean fill() throws IOException {
        shift = pos;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        if (limit == buf.length) buf = java.util.Arrays.copyOf(buf, buf.length * 2);
        while (true) {
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) return false;
            if (n == 0) continue;
            if (skipLf) {
                skipLf = false;
                if (buf[limit] == '\n') { // the LF of a CRLF whose CR ended the previous line
                    System.arraycopy(buf, limit + 1, buf, limit, n - 1);
                    n--;
                    if (n == 0) continue;
                }
            }
            limit += n;
            return true;
        }
    }
}
