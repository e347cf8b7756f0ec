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

    private final ServerSocket serverSocket;
    private final HttpHandler handler;
    private final int maxBodyBytes;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    /**
     * Binds and starts serving.
     *
     * @param host         address to bind, e.g. 127.0.0.1
     * @param port         port, 0 for any free one (see {@link #port()})
     * @param maxBodyBytes larger request bodies are answered with 413
     */
    public SmallHttpServer(String host, int port, int maxBodyBytes, HttpHandler handler) throws IOException {
        this.handler = handler;
        this.maxBodyBytes = maxBodyBytes;
        serverSocket = new ServerSocket();
        serverSocket.setReuseAddress(true);
        serverSocket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 4096);
        acceptor = Thread.ofVirtual().name("http-accept").start(this::acceptLoop);
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = serverSocket.accept();
                socket.setTcpNoDelay(true); // tokens are small writes that must leave at once
                connections.add(socket);
                Thread.ofVirtual().name("http-conn").start(() -> serve(socket));
            } catch (IOException e) {
                if (closed) return;
            }
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
                if (!response.reusable() || "close".equalsIgnoreCase(request.header("connection"))) return;
            }
        } catch (IOException e) {
            // The peer went away; nothing to answer.
        } finally {
            connections.remove(socket);
        }
    }

    /** Reads one request, or returns null at a clean end of stream before any byte of it. */
    private HttpRequest readRequest(InputStream in) throws IOException, BadRequest {
        String requestLine = readLine(in, true);
        if (requestLine == null) return null;
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) throw new BadRequest(400, "malformed request line");
        Map<String, String> headers = new HashMap<>();
        int headBytes = requestLine.length();
        while (true) {
            String line = readLine(in, false);
            if (line == null) throw new BadRequest(400, "connection closed inside the request head");
            if (line.isEmpty()) break;
            headBytes += line.length() + 2;
            if (headBytes > MAX_HEAD_BYTES) throw new BadRequest(413, "request head over " + MAX_HEAD_BYTES + " bytes");
            int colon = line.indexOf(':');
            if (colon <= 0) throw new BadRequest(400, "malformed header line");
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        if (headers.containsKey("transfer-encoding")) throw new BadRequest(411, "chunked request bodies are not supported; send Content-Length");
        int length = 0;
        String cl = headers.get("content-length");
        if (cl != null) {
            try {
                length = Integer.parseInt(cl);
            } catch (NumberFormatException e) {
                throw new BadRequest(400, "bad Content-Length");
            }
            if (length < 0) throw new BadRequest(400, "bad Content-Length");
            if (length > maxBodyBytes) throw new BadRequest(413, "request body of " + length + " bytes is over the limit of " + maxBodyBytes);
        }
        byte[] body = in.readNBytes(length);
        if (body.length != length) throw new BadRequest(400, "connection closed inside the request body");
        String target = parts[1];
        int q = target.indexOf('?');
        return new HttpRequest(parts[0], q < 0 ? target : target.substring(0, q), headers, body, System.nanoTime());
    }

    private static String readLine(InputStream in, boolean eofAllowed) throws IOException, BadRequest {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
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
