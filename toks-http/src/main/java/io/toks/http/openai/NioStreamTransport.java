package io.toks.http.openai;

import io.toks.core.events.ErrorKind;
import io.toks.http.client.EventStreamAssembler;
import io.toks.http.client.HttpWire;
import io.toks.http.client.StreamEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Streamed requests over plain HTTP on one selector thread: every connection's bytes are read,
 * timestamped and parsed (HTTP head, chunked framing, SSE, chunk JSON) where they arrive, with no
 * thread wake-up per message. This is what lets one client hold thousands of streams on a few
 * cores: a blocking read per stream costs a poller registration, a park and an unpark for every
 * token. Each read is timestamped right after it returns; the messages it completes share that
 * time. Connections are kept alive and reused; silence beyond the read timeout is a stall.
 */
public final class NioStreamTransport implements AutoCloseable {

    private static final long TICK_MILLIS = 20;
    /** How long the rest of a body may take to arrive after its end marker (then the sweep, every tick, gives up on it). */
    private static final long AFTER_END_MARKER_NANOS = 50_000_000;

    private final long connectTimeoutNanos, readTimeoutNanos;
    private final Selector selector;
    private final Thread loop;
    private final ConcurrentLinkedQueue<Conn> submitted = new ConcurrentLinkedQueue<>();
    /** Work for the loop thread that touches its own state (the idle pool). */
    private final ConcurrentLinkedQueue<Runnable> loopTasks = new ConcurrentLinkedQueue<>();
    /** Idle kept-alive connections per host:port; used by the loop thread only. */
    private final Map<String, Deque<SocketChannel>> idle = new HashMap<>();
    private final Set<Conn> active = new HashSet<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final byte[] readBytes = new byte[64 * 1024];
    private volatile boolean closed;

    public NioStreamTransport(Duration connectTimeout, Duration readTimeout) throws IOException {
        this.connectTimeoutNanos = connectTimeout.toNanos();
        this.readTimeoutNanos = readTimeout.toNanos();
        this.selector = Selector.open();
        this.loop = Thread.ofPlatform().daemon().name("toks-nio").start(this::run);
    }

    /** Sends one request (a complete HTTP/1.1 request, already encoded) and completes with what came back. */
    CompletableFuture<StreamedCompletion> submit(URI endpoint, byte[] request, ApiFlavor flavor) {
        Conn c = new Conn(endpoint, request, flavor);
        if (closed) {
            c.future.complete(c.rec.fail(ErrorKind.IO, "client closed"));
            return c.future;
        }
        submitted.add(c);
        selector.wakeup();
        return c.future;
    }

    /**
     * Tops the idle connections to the endpoint's host up to {@code connections}, opened at once,
     * for the requests to come, so none of those requests waits for a connect. Completes when
     * every one is open or has failed (a failure is left for the requests to meet and report).
     */
    CompletableFuture<Void> preconnect(URI endpoint, int connections) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.complete(null);
            return done;
        }
        loopTasks.add(() -> {
            Conn probe = new Conn(endpoint, new byte[0], ApiFlavor.CHAT);
            Deque<SocketChannel> q = idle.get(probe.hostKey);
            int missing = connections - (q == null ? 0 : q.size());
            CompletableFuture<?>[] opened = new CompletableFuture<?>[Math.max(0, missing)];
            for (int i = 0; i < opened.length; i++) {
                Conn c = new Conn(endpoint, new byte[0], ApiFlavor.CHAT);
                c.preconnectOnly = true;
                opened[i] = c.future;
                start(c, false);
            }
            CompletableFuture.allOf(opened).whenComplete((v, e) -> done.complete(null));
        });
        selector.wakeup();
        return done;
    }

    private void run() {
        long lastSweep = System.nanoTime();
        try {
            while (!closed) lastSweep = turn(lastSweep);
        } catch (IOException | ClosedSelectorException e) {
            // closing
        } finally {
            for (Conn c : new ArrayList<>(active)) finish(c, c.rec.fail(ErrorKind.IO, "client closed"), false);
            Conn c;
            while ((c = submitted.poll()) != null) c.future.complete(c.rec.fail(ErrorKind.IO, "client closed"));
            loopTasks.clear();
        }
    }

    /**
     * One turn of the selector: new requests, loop tasks, every ready connection, and the timeout
     * sweep once per tick; returns when the sweep last ran. A method of its own, not the body of
     * {@link #run}'s loop: the JIT compiles a method that is called (during a warm-up), while a
     * loop that never returns is compiled only by on-stack replacement, late and more than once,
     * each time stalling every stream (docs/performance.md, "Load client: what stalls").
     */
    private long turn(long lastSweep) throws IOException {
        selector.select(TICK_MILLIS);
        Conn c;
        while ((c = submitted.poll()) != null) start(c, true);
        Runnable task;
        while ((task = loopTasks.poll()) != null) task.run();
        for (SelectionKey key : selector.selectedKeys()) ready(key);
        selector.selectedKeys().clear();
        long now = System.nanoTime();
        if (now - lastSweep > TICK_MILLIS * 1_000_000) {
            sweep(now);
            return now;
        }
        return lastSweep;
    }

    private void ready(SelectionKey key) {
        Conn conn = (Conn) key.attachment();
        if (conn == null || !key.isValid()) return;
        try {
            if (key.isConnectable()) connected(conn);
            else if (key.isWritable()) write(conn);
            else if (key.isReadable()) read(conn);
        } catch (IOException e) {
            ioFailure(conn, e);
        } catch (RuntimeException e) {
            // A bug on one stream's path must fail that stream, never the thread that reads all of them.
            finish(conn, conn.rec.fail(ErrorKind.IO, "client error: " + e), false);
        }
    }

    /** Takes an idle connection to the host, or opens one. */
    private void start(Conn c, boolean mayReuse) {
        active.add(c);
        c.startNanos = System.nanoTime();
        Deque<SocketChannel> q = idle.get(c.hostKey);
        SocketChannel ch = mayReuse && q != null ? q.pollFirst() : null;
        try {
            if (ch != null) {
                c.reused = true;
                c.ch = ch;
                c.key = ch.keyFor(selector);
                c.key.attach(c);
                c.key.interestOps(SelectionKey.OP_WRITE);
                // Written at once, not after another turn of the selector: an idle connection's
                // send buffer is empty, and a burst of requests must not wait a select each.
                try {
                    write(c);
                } catch (IOException e) {
                    ioFailure(c, e);
                }
                return;
            }
            ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.ch = ch;
            c.key = ch.register(selector, SelectionKey.OP_CONNECT, c);
            if (ch.connect(new InetSocketAddress(c.host, c.port))) connected(c);
        } catch (IOException | RuntimeException e) {
            finish(c, c.rec.fail(ErrorKind.CONNECT, e.getClass().getSimpleName() + ": " + e.getMessage()), false);
        }
    }

    private void connected(Conn c) throws IOException {
        try {
            c.ch.finishConnect();
        } catch (IOException e) {
            finish(c, c.rec.fail(ErrorKind.CONNECT, e.getClass().getSimpleName() + ": " + e.getMessage()), false);
            return;
        }
        if (c.preconnectOnly) { // opened ahead of the requests: straight to the idle pool
            finish(c, c.rec.result(), true);
            return;
        }
        c.key.interestOps(SelectionKey.OP_WRITE);
        write(c);
    }

    private void write(Conn c) throws IOException {
        c.ch.write(c.out);
        if (c.out.hasRemaining()) return;
        c.rec.sent = System.nanoTime();
        c.lastActivity = c.rec.sent;
        c.key.interestOps(SelectionKey.OP_READ);
    }

    private void read(Conn c) throws IOException {
        readBuffer.clear();
        int n = c.ch.read(readBuffer);
        long now = System.nanoTime();
        if (n < 0) {
            eof(c, now);
            return;
        }
        if (n == 0) return;
        c.lastActivity = now;
        c.gotBytes = true;
        readBuffer.flip();
        readBuffer.get(readBytes, 0, n);
        try {
            c.parse(readBytes, 0, n, now);
        } catch (StreamChunkParser.MalformedChunkException | MalformedResponse e) {
            finish(c, failUnlessAnswered(c, ErrorKind.MALFORMED, e.getMessage()), false);
            return;
        }
        if (c.state == State.DONE) bodyDone(c, now);
        else if (c.rec.failed()) finish(c, c.rec.result(), false); // an error reported inside the stream
        // After the end marker the request waits (AFTER_END_MARKER at most) for the body's last
        // framing bytes, which nearly always follow at once: its connection is then free for the
        // stream's next request, which would otherwise open another one.
    }

    /**
     * A failure after the end marker (in what only frees the connection) leaves a complete answer
     * complete; before it, the request fails.
     */
    private static StreamedCompletion failUnlessAnswered(Conn c, ErrorKind kind, String why) {
        return c.messagesDone ? c.rec.result() : c.rec.fail(kind, why);
    }

    private void eof(Conn c, long now) {
        if (c.reused && !c.gotBytes) { // the server had closed the idle connection: nothing was sent to it
            closeQuietly(c.ch);
            active.remove(c);
            c.reset();
            start(c, false);
            return;
        }
        if (c.state == State.UNTIL_CLOSE) {
            c.state = State.DONE;
            c.keepAlive = false;
            bodyDone(c, now);
            return;
        }
        finish(c, failUnlessAnswered(c, ErrorKind.CUT, c.state == State.HEAD ? "connection closed before the response"
                : "connection closed mid-response"), false);
    }

    private void ioFailure(Conn c, IOException e) {
        if (c.reused && !c.gotBytes) {
            closeQuietly(c.ch);
            active.remove(c);
            c.reset();
            start(c, false);
            return;
        }
        boolean connecting = c.rec.sent == 0 && !c.gotBytes && c.key != null && c.key.isValid()
                && (c.key.interestOps() & SelectionKey.OP_CONNECT) != 0;
        ErrorKind kind = connecting ? ErrorKind.CONNECT : ErrorKind.CUT;
        finish(c, failUnlessAnswered(c, kind, "connection ended mid-response: " + e.getMessage()), false);
    }

    private void bodyDone(Conn c, long now) {
        if (c.status < 200 || c.status > 299) {
            finish(c, c.rec.failHttp(c.status, c.errorBody.toString(StandardCharsets.UTF_8), c.location), c.keepAlive);
            return;
        }
        if (!c.messagesDone) {
            c.sse.end(now);
            if (!c.messagesDone) c.rec.endOfBody(now, c.sse.insideEvent(), c.sse.bodyStart());
        }
        finish(c, c.rec.result(), c.keepAlive && !c.rec.failed());
    }

    /** Completes the request; the connection goes back to the idle pool or is closed. */
    private void finish(Conn c, StreamedCompletion result, boolean reuse) {
        if (!active.remove(c)) return;
        if (c.ch != null) {
            if (reuse) {
                c.key.interestOps(0);
                c.key.attach(null);
                idle.computeIfAbsent(c.hostKey, k -> new ArrayDeque<>()).addFirst(c.ch);
            } else {
                closeQuietly(c.ch);
            }
        }
        if (result != null) c.future.complete(result); // no effect when completed at the end marker
    }

    /** Connect timeouts and stalls. */
    private void sweep(long now) {
        for (Conn c : new ArrayList<>(active)) {
            if (c.rec.sent == 0 && now - c.startNanos > connectTimeoutNanos) {
                finish(c, c.rec.fail(ErrorKind.CONNECT, "connect timed out"), false);
            } else if (c.messagesDone && now - c.rec.end > AFTER_END_MARKER_NANOS) {
                finish(c, c.rec.result(), false); // a server that announced more than it sends loses the connection
            } else if (c.rec.sent != 0 && now - c.progressNanos() > readTimeoutNanos) {
                // After the end marker the answer is complete; a body that never ends just loses its connection.
                finish(c, c.future.isDone() ? null : c.rec.fail(ErrorKind.STALL, c.lastActivity > c.progressNanos()
                        ? "no complete message for longer than the read timeout (bytes kept trickling in)"
                        : "no bytes for longer than the read timeout"), false);
            }
        }
        // Idle connections the server closed show up readable at EOF; drop them lazily on reuse.
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            loop.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Deque<SocketChannel> q : idle.values()) q.forEach(NioStreamTransport::closeQuietly);
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private enum State { HEAD, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER, FIXED, UNTIL_CLOSE, DONE }

    static final class MalformedResponse extends Exception {
        MalformedResponse(String message) {
            super(message);
        }
    }

    /** One request on one connection, with its incremental parser (package-private: NioResponseFuzzTest feeds it bytes). */
    static final class Conn {
        final String host;
        final int port;
        final String hostKey;
        final ByteBuffer out;
        final ApiFlavor flavor;
        final CompletableFuture<StreamedCompletion> future = new CompletableFuture<>();
        CompletionRecorder rec = new CompletionRecorder();
        StreamChunkParser parser;
        EventStreamAssembler sse;
        SocketChannel ch;
        SelectionKey key;
        boolean reused, gotBytes, keepAlive = true, messagesDone, preconnectOnly;
        long startNanos, lastActivity;
        State state = State.HEAD;
        int status;
        String location;
        long remaining;
        final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        final ByteArrayOutputStream errorBody = new ByteArrayOutputStream();
        StreamChunkParser.MalformedChunkException pendingMalformed;

        Conn(URI endpoint, byte[] request, ApiFlavor flavor) {
            this.host = endpoint.getHost();
            this.port = endpoint.getPort() > 0 ? endpoint.getPort() : 80;
            this.hostKey = host + ":" + port;
            this.out = ByteBuffer.wrap(request);
            this.flavor = flavor;
            reset();
        }

        /**
         * When the request last made progress, as stall detection sees it: the send until the
         * head is complete; in a stream, the head and then each event's end, so a trickle of bytes
         * that never completes an event is still a stall; in any other body, each arrival.
         */
        long progressNanos() {
            if (state == State.HEAD) return rec.sent;
            if (status < 200 || status > 299 || state == State.DONE) return lastActivity;
            return Math.max(rec.head, sse.lastEventEndNanos());
        }

        /** Back to the start, for a retry on a fresh connection. */
        void reset() {
            rec = new CompletionRecorder();
            parser = new StreamChunkParser(flavor);
            sse = new EventStreamAssembler(flavor.framing(), this::message);
            out.rewind();
            ch = null;
            key = null;
            reused = gotBytes = messagesDone = false;
            keepAlive = true;
            state = State.HEAD;
            location = null;
            line.reset();
            errorBody.reset();
        }

        private void message(StreamEvent e) {
            if (messagesDone || pendingMalformed != null) return;
            try {
                messagesDone = rec.onMessage(e, parser);
            } catch (StreamChunkParser.MalformedChunkException ex) {
                pendingMalformed = ex;
            }
        }

        /** Consumes bytes that arrived at {@code now}. */
        void parse(byte[] b, int off, int len, long now) throws MalformedResponse, StreamChunkParser.MalformedChunkException {
            int i = off, end = off + len;
            while (i < end && state != State.DONE) {
                switch (state) {
                    case HEAD -> {
                        int before = line.size();
                        line.write(b, i, end - i);
                        byte[] all = line.toByteArray(); // heads are small: copying is fine
                        int after = headEnd(all, Math.max(0, before - 3));
                        if (after < 0) {
                            if (all.length > 64 * 1024) throw new MalformedResponse("response head over 64 KiB");
                            i = end;
                        } else {
                            head(new String(all, 0, after - 4, StandardCharsets.ISO_8859_1), now);
                            line.reset();
                            i += after - before;
                        }
                    }
                    case CHUNK_SIZE, CHUNK_END, TRAILER -> {
                        int nl = indexOf(b, i, end, (byte) '\n');
                        if (nl < 0) {
                            line.write(b, i, end - i);
                            if (line.size() > 4096) throw new MalformedResponse("malformed chunked body");
                            i = end;
                        } else {
                            line.write(b, i, nl - i);
                            i = nl + 1;
                            String l = line.toString(StandardCharsets.ISO_8859_1);
                            line.reset();
                            if (l.endsWith("\r")) l = l.substring(0, l.length() - 1);
                            controlLine(l);
                        }
                    }
                    case CHUNK_DATA, FIXED -> {
                        int n = (int) Math.min(remaining, end - i);
                        body(b, i, n, now);
                        i += n;
                        remaining -= n;
                        if (remaining == 0) state = state == State.FIXED ? State.DONE : State.CHUNK_END;
                    }
                    case UNTIL_CLOSE -> {
                        body(b, i, end - i, now);
                        i = end;
                    }
                    case DONE -> i = end;
                }
                if (pendingMalformed != null) throw pendingMalformed;
            }
        }

        /** Index just past the first CRLF CRLF at or after {@code from}, or -1. */
        private static int headEnd(byte[] b, int from) {
            for (int i = from; i + 3 < b.length; i++) {
                if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') return i + 4;
            }
            return -1;
        }

        private void head(String text, long now) throws MalformedResponse {
            String[] lines = text.split("\r\n");
            String[] parts = lines[0].split(" ", 3);
            try {
                if (parts.length < 2 || !parts[0].startsWith("HTTP/")) throw new NumberFormatException();
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new MalformedResponse("malformed HTTP status line '" + (lines[0].length() > 80 ? lines[0].substring(0, 77) + "..." : lines[0]) + "'");
            }
            rec.status = status;
            rec.head = now;
            String te = null, cl = null, connection = null, type = null, encoding = null;
            for (int k = 1; k < lines.length; k++) {
                int colon = lines[k].indexOf(':');
                if (colon <= 0) continue;
                String name = lines[k].substring(0, colon).trim().toLowerCase(Locale.ROOT), value = lines[k].substring(colon + 1).trim();
                switch (name) {
                    case "transfer-encoding" -> te = value;
                    case "content-length" -> cl = value;
                    case "connection" -> connection = value;
                    case "content-type" -> type = value;
                    case "content-encoding" -> encoding = value;
                    case "location" -> location = value;
                    default -> { }
                }
            }
            keepAlive = !"close".equalsIgnoreCase(connection);
            if (status >= 200 && status <= 299) {
                rec.contentType = type;
                try {
                    HttpWire.checkStreamContentType(type);
                    HttpWire.checkContentEncoding(encoding);
                } catch (IOException e) {
                    throw new MalformedResponse(e.getMessage());
                }
            }
            if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
                state = State.CHUNK_SIZE;
            } else if (cl != null) {
                try {
                    remaining = HttpWire.contentLength(cl);
                } catch (IOException e) {
                    throw new MalformedResponse(e.getMessage());
                }
                state = remaining == 0 ? State.DONE : State.FIXED;
            } else {
                state = State.UNTIL_CLOSE;
                keepAlive = false;
            }
        }

        private void controlLine(String l) throws MalformedResponse {
            switch (state) {
                case CHUNK_SIZE -> {
                    try {
                        remaining = HttpWire.chunkSize(l);
                    } catch (IOException e) {
                        throw new MalformedResponse(e.getMessage());
                    }
                    state = remaining == 0 ? State.TRAILER : State.CHUNK_DATA;
                }
                case CHUNK_END -> {
                    if (!l.isEmpty()) throw new MalformedResponse("chunk not followed by CRLF");
                    state = State.CHUNK_SIZE;
                }
                case TRAILER -> {
                    if (l.isEmpty()) state = State.DONE;
                }
                default -> throw new IllegalStateException(state.name());
            }
        }

        private void body(byte[] b, int off, int len, long now) {
            if (status < 200 || status > 299) {
                if (errorBody.size() < 2048) errorBody.write(b, off, Math.min(len, 2048 - errorBody.size()));
                return;
            }
            if (messagesDone) return; // after the end marker: only read to the end of the body
            try {
                sse.feed(b, off, len, now);
            } catch (IOException e) {
                pendingMalformed = new StreamChunkParser.MalformedChunkException(e.getMessage());
            }
        }

        private static int indexOf(byte[] b, int from, int end, byte v) {
            for (int i = from; i < end; i++) if (b[i] == v) return i;
            return -1;
        }
    }
}
