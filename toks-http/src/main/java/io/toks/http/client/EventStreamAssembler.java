package io.toks.http.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The push form of {@link EventStreamReader}: bytes are fed as they arrive (with their arrival
 * time) and complete messages come out, for a reader that cannot block (a selector loop). Same
 * rules: SSE lines end in LF, CRLF or CR, data lines accumulate, a blank line dispatches, comments
 * and other fields are ignored; NDJSON has one message per non-blank line.
 */
public final class EventStreamAssembler {

    private final EventStreamReader.Framing framing;
    private final Consumer<StreamEvent> sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private boolean skipLf;

    public EventStreamAssembler(EventStreamReader.Framing framing, Consumer<StreamEvent> sink) {
        this.framing = framing;
        this.sink = sink;
    }

    /** Bytes of the body that arrived at {@code arrivalNanos}. */
    public void feed(byte[] b, int off, int len, long arrivalNanos) throws IOException {
        int start = off, end = off + len;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (c == '\n' && skipLf) { // the LF of a CRLF whose CR ended the line
                skipLf = false;
                start = i + 1;
                continue;
            }
            skipLf = false;
            if (c == '\n' || c == '\r') {
                line.write(b, start, i - start);
                lineDone(arrivalNanos);
                skipLf = c == '\r';
                start = i + 1;
            }
        }
        line.write(b, start, end - start);
        if (line.size() > EventStreamReader.MAX_MESSAGE_BYTES) throw new IOException("stream line over " + EventStreamReader.MAX_MESSAGE_BYTES + " bytes");
    }

    /** The body ended: NDJSON's unterminated last line still counts; an unfinished SSE event does not. */
    public void end(long arrivalNanos) {
        if (framing == EventStreamReader.Framing.NDJSON && line.size() > 0) lineDone(arrivalNanos);
    }

    private void lineDone(long nanos) {
        String l = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (framing == EventStreamReader.Framing.NDJSON) {
            if (!l.isBlank()) sink.accept(new StreamEvent(l, nanos));
            return;
        }
        if (l.isEmpty()) {
            if (hasData) {
                hasData = false;
                String d = data.toString();
                data.setLength(0);
                sink.accept(new StreamEvent(d, nanos));
            }
            return;
        }
        if (l.charAt(0) == ':') return;
        int colon = l.indexOf(':');
        String field = colon < 0 ? l : l.substring(0, colon);
        if (!field.equals("data")) return;
        String value = colon < 0 ? "" : l.substring(colon + 1);
        if (value.startsWith(" ")) value = value.substring(1);
        if (hasData) data.append('\n');
        data.append(value);
        hasData = true;
    }
}
