package io.toks.http.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import javax.net.ssl.SSLSocketFactory;

/**
 * An HTTP/1.1 client for streamed responses, made to be timed: one blocking socket per request on
 * the caller's (virtual) thread, no hidden executor, every byte arrival timestamped
 * ({@link HttpExchange#lastArrivalNanos()}). Connections are kept alive and reused when a response
 * was read to its end. http and https URLs.
 * <p>
 * Why not {@code java.net.http.HttpClient}: its body subscribers hand bytes over through an
 * executor, which adds a queueing delay to every timestamp, and it hides how a stream ended
 * (cut, reset, stalled), which a load generator must report.
 * <p>
 * Silence is detected by a watchdog that closes connections idle beyond the read timeout, not
 * by a socket timeout: a timed read on a virtual thread arms and cancels a timer for every read,
 * a cost paid per streamed token.
 */
public final class StreamingHttpClient implements AutoCloseable {

    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final Map<String, Deque<Connection>> idle = new ConcurrentHashMap<>();
    private final java.util.Set<Connection> busy = ConcurrentHashMap.newKeySet();
    private final Thread watchdog;
    private volatile boolean closed;

    /**
     * @param connectTimeout longest wait to connect
     * @param readTimeout    longest silence on a connection before the read fails
     *                       ({@link java.net.SocketTimeoutException}): a stalled server
     */
    public StreamingHttpClient(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.readTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis());
        long period = Math.max(5, Math.min(100, readTimeoutMillis / 4));
        this.watchdog = Thread.ofPlatform().daemon().name("toks-http-watchdog").start(() -> watch(period));
    }

    /** Closes busy connections that made no progress for longer than the read timeout. */
    private void watch(long periodMillis) {
        long limit = readTimeoutMillis * 1_000_000L;
        while (!closed) {
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Connection c : busy) {
                long progress = c.lastProgress();
                if (now - progress > limit) {
                    c.timedOut = c.in.lastArrivalNanos() > progress
                            ? "no complete message for longer than the read timeout (bytes kept trickling in)"
                            : "no bytes for longer than the read timeout";
                    c.closeQuietly();
                }
            }
        }
    }

    void busy(Connection c) {
        c.headNanos = 0;
        c.eventEnds = null;
        c.busySince = System.nanoTime();
        busy.add(c);
    }

    void done(Connection c) {
        busy.remove(c);
    }

    /** Sends a request with a body and returns once the response head has arrived. */
    public HttpExchange send(String method, URI uri, Map<String, String> headers, byte[] body) throws IOException {
        String key = uri.getScheme() + "://" + uri.getHost() + ":" + port(uri);
        Connection reused = poll(key);
        if (reused != null) {
            long before = reused.in.bytesRead();
            try {
                return reused.exchange(method, uri, headers, body, this, key);
            } catch (IOException e) {
                reused.closeQuietly();
                // The server had closed the idle connection: nothing came back, at once, and a
                // fresh connection is the honest retry. Silence past the read timeout is a stall,
                // never retried (that would double the wait), nor is an answer begun.
                if (reused.timedOut != null || reused.in.bytesRead() != before) throw e;
            }
        }
        return connect(uri).exchange(method, uri, headers, body, this, key);
    }

    /**
     * Tops the idle connections to {@code uri}'s host up to {@code connections}, opened in
     * parallel, for the requests to come, so none of those requests waits for a connect. Returns
     * when every one is open or has failed (a failure is left for the requests to meet and report).
     */
    public void preconnect(URI uri, int connections) throws InterruptedException {
        String key = uri.getScheme() + "://" + uri.getHost() + ":" + port(uri);
        Deque<Connection> q = idle.get(key);
        int missing = connections - (q == null ? 0 : q.size());
        try (var opening = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < missing; i++) {
                opening.submit(() -> {
                    try {
                        release(key, connect(uri));
                    } catch (IOException e) {
                        // the requests will meet the same failure and report it
                    }
                });
            }
        }
    }

    private Connection poll(String key) {
        Deque<Connection> q = idle.get(key);
        return q == null ? null : q.pollFirst();
    }

    void release(String key, Connection c) {
        idle.computeIfAbsent(key, k -> new ConcurrentLinkedDeque<>()).addFirst(c);
    }

    private Connection connect(URI uri) throws IOException {
        Socket socket;
        if ("https".equalsIgnoreCase(uri.getScheme())) {
            socket = SSLSocketFactory.getDefault().createSocket();
        } else if ("http".equalsIgnoreCase(uri.getScheme())) {
            socket = new Socket();
        } else {
            throw new IOException("unsupported URL scheme '" + uri.getScheme() + "' (http or https)");
        }
        try {
            socket.connect(new InetSocketAddress(uri.getHost(), port(uri)), connectTimeoutMillis);
            socket.setTcpNoDelay(true);
            return new Connection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() > 0) return uri.getPort();
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    @Override
    public void close() {
        closed = true;
        watchdog.interrupt();
        for (Deque<Connection> q : idle.values()) {
            Connection c;
            while ((c = q.pollFirst()) != null) c.closeQuietly();
        }
        busy.forEach(Connection::closeQuietly); // with the watchdog gone, nothing else would end a stalled one

    }

    /** One open socket with its timed reader. */
    static final class Connection {
        final Socket socket;
        final TimedInputStream in;
        final OutputStream out;
        volatile long busySince;
        /** When the current response's head was complete; 0 before. */
        volatile long headNanos;
        /** When the current response's latest event ended, once its body is read as an event stream. */
        volatile java.util.function.LongSupplier eventEnds;
        /** Why the watchdog closed the connection; null while it has not. */
        volatile String timedOut;

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new TimedInputStream(socket.getInputStream(), () -> timedOut);
            this.out = new java.io.BufferedOutputStream(socket.getOutputStream(), 8192);
        }

        /**
         * When the exchange last made progress: its send until the head is complete (a head that
         * drips in forever is a stall); in an event stream, the head and then each event's end (a
         * trickle of bytes that never ends an event is one too); in any other body, each arrival.
         */
        long lastProgress() {
            long head = headNanos;
            if (head == 0) return busySince;
            java.util.function.LongSupplier events = eventEnds;
            return events != null ? Math.max(head, events.getAsLong()) : Math.max(head, in.lastArrivalNanos());
        }

        HttpExchange exchange(String method, URI uri, Map<String, String> headers, byte[] body,
                              StreamingHttpClient owner, String key) throws IOException {
            owner.busy(this);
            try {
                return send(method, uri, headers, body, owner, key);
            } catch (IOException | RuntimeException e) {
                owner.done(this);
                throw e;
            }
        }

        private HttpExchange send(String method, URI uri, Map<String, String> headers, byte[] body,
                                  StreamingHttpClient owner, String key) throws IOException {
            out.write(HttpWire.request(method, uri, headers, body));
            out.flush();
            long sentNanos = System.nanoTime();
            return HttpExchange.readHead(this, sentNanos, owner, key);
        }

        void closeQuietly() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
