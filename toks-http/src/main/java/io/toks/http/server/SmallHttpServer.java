package io.toks.http.server;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A small HTTP/1.1 server: one virtual thread per connection, keep-alive, Content-Length request
 * bodies, whole or chunked-streamed responses. Enough for an OpenAI-style API and for test servers
 * that must control every byte and every timing; not a general web server (no TLS, no request
 * bodies in chunked encoding, no pipelining guarantees).
 */
public final class SmallHttpServer implements AutoCloseable {

    /** Longest request head (request line and headers) accepted. */
    static final int MAX_HEAD_BYTES = 16 * 1024;

    /**
     * What one client may hold: a request must arrive whole within {@code requestTimeout} of its
     * first byte (a client that sends half a head, or drips it, is answered 408 and closed), an
     * idle kept-alive connection is closed after the same time, and connections beyond
     * {@code maxConnections} are answered 503 and closed at once, so slow or idle clients cannot
     * exhaust the threads and file descriptors that /health and real requests need.
     */
    public record Limits(Duration requestTimeout, int maxConnections) {
        /** 30 s per request, 8192 connections (below a common 20,000 descriptor limit, above the load tests' 5000 streams). */
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(30), 8192);

        public Limits {
            if (requestTimeout.isNegative() || requestTimeout.isZero()) throw new IllegalArgumentException("requestTimeout must be > 0");
            if (maxConnections < 1) throw new IllegalArgumentException("maxConnections must be >= 1");
        }
    }

    private final ServerSocket serverSocket;
    private final HttpHandler handler;
    private final int maxBodyBytes;
    private final Limits limits;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private final java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
    private volatile long lastAcceptNanos;
    private volatile boolean closed;

    /**
     * Binds and starts serving.
     *
     * @param host         address to bind, e.g. 127.0.0.1
     * @param port         port, 0 for any free one (see {@link #port()})
     * @param maxBodyBytes larger request bodies are answered with 413
     */
    public SmallHttpServer(String host, int port, int maxBodyBytes, HttpHandler handler) throws IOException {
        this(host, port, maxBodyBytes, handler, Limits.DEFAULT);
    }

    public SmallHttpServer(String host, int port, int maxBodyBytes, HttpHandler handler, Limits limits) throws IOException {
        this.handler = handler;
        this.maxBodyBytes = maxBodyBytes;
        this.limits = limits;
        serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 4096);
        acceptor = Thread.ofVirtual().name("http-accept").start(this::acceptLoop);
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** Connections accepted so far. */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** When the latest connection was accepted ({@code System.nanoTime()}); 0 before any. */
    public long lastAcceptNanos() {
        return lastAcceptNanos;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = serverSocket.accept();
                lastAcceptNanos = System.nanoTime();
                accepted.incrementAndGet();
                socket.setTcpNoDelay(true); // tokens are small writes that must leave at once
                if (connections.size() >= limits.maxConnections()) {
                    Thread.ofVirtual().name("http-refuse").start(() -> refuse(socket));
                    continue;
                }
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, limits.requestTimeout().toMillis()));
                connections.add(socket);
                Thread.ofVirtual().name("http-conn").start(() -> serve(socket));
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    /** Over the connection limit: a 503 and close, without reading the request. */
    private static void refuse(Socket socket) {
        try (socket) {
            HttpResponse r = new HttpResponse(socket, new BufferedOutputStream(socket.getOutputStream(), 1024));
            r.send(503, "application/json", errorJson("too many connections; retry later"));
        } catch (IOException e) {
            // the client is gone
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
            while (!closed) {
                HttpRequest request;
                try {
                    request = readRequest(in);
                } catch (SocketTimeoutException e) {
                    return; // idle between requests for the whole timeout: closed
                } catch (BadRequest e) {
                    HttpResponse r = new HttpResponse(socket, out);
                    r.send(e.status, "application/json", errorJson(e.getMessage()));
                    return;
                }
                if (request == null) return; // the client closed the connection between requests
                HttpResponse response = new HttpResponse(socket, out);
                try {
                    handler.handle(request, response);
                } catch (RuntimeException e) {
                    if (!response.started()) response.send(500, "application/json", errorJson("internal error: " + e.getMessage()));
                    else return;
                }
                if (!response.started()) response.send(500, "application/json", errorJson("handler sent no response"));
                if (!response.reusable() || "close".equalsIgnoreCase(request.header("connection")) || request.http10()) return;
            }
        } catch (IOException e) {
            // The peer went away; nothing to answer.
        } finally {
            connections.remove(socket);
        }
    }

    /** Reads one request, or returns null at a clean end of stream before any byte of it. */
    private HttpRequest readRequest(InputStream in) throws IOException, BadRequest {
        String requestLine = readLine(in, true, Long.MAX_VALUE, limits.requestTimeout().toNanos());
        if (requestLine == null) return null;
        // From the first line on, the whole request must arrive within the timeout.
        long deadline = System.nanoTime() + limits.requestTimeout().toNanos();
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) throw new BadRequest(400, "malformed request line");
        Map<String, String> headers = new HashMap<>();
        int headBytes = requestLine.length();
        while (true) {
            String line = readLine(in, false, deadline, 0);
            if (line == null) throw new BadRequest(400, "connection closed inside the request head");
            if (line.isEmpty()) break;
            headBytes += line.length() + 2;
            if (headBytes > MAX_HEAD_BYTES) throw new BadRequest(413, "request head over " + MAX_HEAD_BYTES + " bytes");
            int colon = line.indexOf(':');
            if (colon <= 0) throw new BadRequest(400, "malformed header line");
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT), value = line.substring(colon + 1).trim();
            // Two lengths are how requests get smuggled past a proxy: refused, as RFC 9112 asks.
            if (name.equals("content-length") && headers.containsKey(name) && !headers.get(name).equals(value)) {
                throw new BadRequest(400, "conflicting Content-Length headers");
            }
            headers.put(name, value);
        }
        if (headers.containsKey("transfer-encoding")) throw new BadRequest(411, "chunked request bodies are not supported; send Content-Length");
        int length = 0;
        String cl = headers.get("content-length");
        if (cl != null) {
            long declared;
            try {
                declared = io.toks.http.client.HttpWire.contentLength(cl);
            } catch (IOException e) {
                throw new BadRequest(400, "bad Content-Length");
            }
            if (declared > maxBodyBytes) throw new BadRequest(413, "request body of " + declared + " bytes is over the limit of " + maxBodyBytes);
            length = (int) declared;
        }
        byte[] body = readBody(in, length, deadline);
        String target = parts[1];
        int q = target.indexOf('?');
        return new HttpRequest(parts[0], q < 0 ? target : target.substring(0, q), headers, body, System.nanoTime(),
                parts[2].equals("HTTP/1.0"));
    }

    private static byte[] readBody(InputStream in, int length, long deadline) throws IOException, BadRequest {
        byte[] body = new byte[length];
        int n = 0;
        while (n < length) {
            if (System.nanoTime() > deadline) throw new BadRequest(408, "the request body did not arrive in time");
            int r;
            try {
                r = in.read(body, n, length - n);
            } catch (SocketTimeoutException e) {
                throw new BadRequest(408, "the request body did not arrive in time");
            }
            if (r < 0) throw new BadRequest(400, "connection closed inside the request body");
            n += r;
        }
        return body;
    }

    /**
     * One line of the head. {@code deadline} MAX_VALUE: the first line, which may wait idle for
     * the whole timeout; once its first byte is in, the rest must follow within {@code timeoutNanos}.
     */
    private static String readLine(InputStream in, boolean eofAllowed, long deadline, long timeoutNanos) throws IOException, BadRequest {
        StringBuilder sb = new StringBuilder();
        boolean idle = deadline == Long.MAX_VALUE;
        while (true) {
            if (idle && !sb.isEmpty()) {
                deadline = System.nanoTime() + timeoutNanos;
                idle = false;
            }
            if (System.nanoTime() > deadline) throw new BadRequest(408, "the request head did not arrive in time");
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                if (idle) throw e; // idle between requests
                throw new BadRequest(408, "the request head did not arrive in time");
            }
            if (b < 0) {
                if (eofAllowed && sb.isEmpty()) return null;
                throw new BadRequest(400, "connection closed inside the request head");
            }
            if (b == '\n') {
                int n = sb.length();
                if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
                return sb.toString();
            }
            if (sb.length() >= MAX_HEAD_BYTES) throw new BadRequest(413, "request head over " + MAX_HEAD_BYTES + " bytes");
            sb.append((char) b);
        }
    }

    /** An OpenAI-style error object. */
    public static String errorJson(String message) {
        StringBuilder sb = new StringBuilder("{\"error\":{\"message\":\"");
        for (char ch : message.toCharArray()) {
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
                    else sb.append(ch);
                }
            }
        }
        return sb.append("\",\"type\":\"invalid_request_error\"}}").toString();
    }

    @Override
    public void close() {
        closed = true;
        try {
            serverSocket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class BadRequest extends Exception {
        final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

}
