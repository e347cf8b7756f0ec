package io.toks.http.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * Splits a streamed body into messages: server-sent events (WHATWG rules: lines end in LF, CRLF
 * or CR; {@code data:} lines accumulate; a blank line dispatches; {@code :} lines are comments;
 * other fields are ignored) or newline-delimited JSON (each non-blank line is a message, as
 * Ollama streams). The pull form of {@link EventStreamAssembler}, for a thread that may block.
 * <p>
 * Bytes are taken from the body in bulk, but more are read only when no complete message is
 * waiting, so a message is always handed out before the read that follows it; it carries the
 * arrival time of the read that completed it.
 */
public final class EventStreamReader {

    /** How the stream delimits messages. */
    public enum Framing { SSE, NDJSON }

    /** A message longer than this is a malformed stream, not something to buffer forever. */
    static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    private final InputStream in;
    private final LongSupplier arrivalClock;
    private final ArrayDeque<StreamEvent> ready = new ArrayDeque<>();
    private final EventStreamAssembler assembler;
    private final byte[] buf = new byte[8192];
    private boolean ended;

    public EventStreamReader(InputStream in, Framing framing, LongSupplier arrivalClock) {
        this.in = in;
        this.arrivalClock = arrivalClock;
        this.assembler = new EventStreamAssembler(framing, ready::add);
    }

    /** When the latest event ended (see {@link EventStreamAssembler#lastEventEndNanos()}); safe from another thread. */
    public long lastEventEndNanos() {
        return assembler.lastEventEndNanos();
    }

    /** True when the stream ended inside an event (data lines without the blank line that ends it). */
    public boolean endedInsideEvent() {
        return ended && assembler.insideEvent();
    }

    /** The first bytes of the body (see {@link EventStreamAssembler#bodyStart()}). */
    public String bodyStart() {
        return assembler.bodyStart();
    }

    /** The next message, or null at the end of the stream (an unterminated last SSE event is dropped, as the spec says). */
    public StreamEvent next() throws IOException {
        while (ready.isEmpty() && !ended) {
            int n = in.read(buf, 0, buf.length);
            if (n < 0) {
                ended = true;
                assembler.end(arrivalClock.getAsLong());
            } else if (n > 0) {
                assembler.feed(buf, 0, n, arrivalClock.getAsLong());
            }
        }
        return ready.poll();
    }
}
