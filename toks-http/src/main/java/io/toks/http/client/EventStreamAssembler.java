package io.toks.http.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
    /** The line so far, as bytes: decoded once, only the part a message keeps (see {@link #lineDone}). */
    private byte[] line = new byte[256];
    private int lineLength;
    /** The event's first data line, kept as is: most events have one, and then it is the message. */
    private String firstData;
    /** Further data lines, joined with LF after the first. */
    private final StringBuilder moreData = new StringBuilder();
    /** Bytes of data lines in the event being assembled. */
    private long eventBytes;
    private boolean hasData;
    private boolean skipLf;
    /**
     * When the latest event ended (its blank line, or an NDJSON line), comment-only events and
     * keep-alive pings included: a stream's sign of progress. Read by a watchdog thread.
     */
    private volatile long lastEventEndNanos;
    /**
     * The body's first bytes, kept so that a body which is no stream at all (one JSON document:
     * a server that ignored {@code stream:true}) can be named instead of read as a stream cut short.
     */
    private final byte[] firstBytes = new byte[START_BYTES];
    private int firstBytesLength;

    /** How much of the body's start is kept: enough for an error's message. */
    static final int START_BYTES = 512;

    public EventStreamAssembler(EventStreamReader.Framing framing, Consumer<StreamEvent> sink) {
        this.framing = framing;
        this.sink = sink;
    }

    /** Bytes of the body that arrived at {@code arrivalNanos}. */
    public void feed(byte[] b, int off, int len, long arrivalNanos) throws IOException {
        if (firstBytesLength < START_BYTES) {
            int kept = Math.min(len, START_BYTES - firstBytesLength);
            System.arraycopy(b, off, firstBytes, firstBytesLength, kept);
            firstBytesLength += kept;
        }
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
                append(b, start, i - start);
                lineDone(arrivalNanos);
                skipLf = c == '\r';
                start = i + 1;
            }
        }
        append(b, start, end - start);
        if (lineLength > EventStreamReader.MAX_MESSAGE_BYTES) throw new MalformedStreamException("stream line over " + EventStreamReader.MAX_MESSAGE_BYTES + " bytes");
        // An event of endless data lines without the blank line that ends it must not grow without bound.
        if (eventBytes > EventStreamReader.MAX_MESSAGE_BYTES) throw new MalformedStreamException("stream event over " + EventStreamReader.MAX_MESSAGE_BYTES + " bytes");
    }

    private void append(byte[] b, int off, int len) {
        if (lineLength + len > line.length) line = Arrays.copyOf(line, Math.max(2 * line.length, lineLength + len));
        System.arraycopy(b, off, line, lineLength, len);
        lineLength += len;
    }

    /** When the latest event (or keep-alive comment block) ended; 0 before any did. */
    public long lastEventEndNanos() {
        return lastEventEndNanos;
    }

    /** The first bytes of the body (at most {@value #START_BYTES}), as text. */
    public String bodyStart() {
        return new String(firstBytes, 0, firstBytesLength, StandardCharsets.UTF_8);
    }

    /** True when data lines were read whose event never got the blank line that ends it. */
    public boolean insideEvent() {
        return hasData;
    }

    /** The body ended: NDJSON's unterminated last line still counts; an unfinished SSE event does not. */
    public void end(long arrivalNanos) {
        if (framing == EventStreamReader.Framing.NDJSON && lineLength > 0) lineDone(arrivalNanos);
    }

    /**
     * One line ended. Works on the bytes: the field name is ASCII and UTF-8 never puts an ASCII
     * byte inside a multi-byte character, so cutting at ':' and ' ' cuts between characters, and
     * only the value is decoded (one copy per message instead of six: this runs for every event
     * of every stream).
     */
    private void lineDone(long nanos) {
        int n = lineLength;
        lineLength = 0;
        if (framing == EventStreamReader.Framing.NDJSON || n == 0) lastEventEndNanos = nanos;
        if (framing == EventStreamReader.Framing.NDJSON) {
            String l = new String(line, 0, n, StandardCharsets.UTF_8);
            if (!l.isBlank()) sink.accept(new StreamEvent(l, nanos));
            return;
        }
        if (n == 0) {
            if (hasData) {
                hasData = false;
                eventBytes = 0;
                String d = moreData.isEmpty() ? firstData : firstData + moreData;
                firstData = null;
                moreData.setLength(0);
                sink.accept(new StreamEvent(d, nanos));
            }
            return;
        }
        if (line[0] == ':') return;
        int colon = 0;
        while (colon < n && line[colon] != ':') colon++;
        boolean isData = colon == 4 && line[0] == 'd' && line[1] == 'a' && line[2] == 't' && line[3] == 'a';
        if (!isData) return;
        int from = Math.min(n, colon + 1);
        if (from < n && line[from] == ' ') from++;
        String value = new String(line, from, n - from, StandardCharsets.UTF_8);
        eventBytes += n - from + 1;
        if (hasData) moreData.append('\n').append(value);
        else firstData = value;
        hasData = true;
    }
}
