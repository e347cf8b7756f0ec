package io.toks.http.client;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A response whose head has arrived and whose body is read as a stream. Close it when done: a
 * body read to its end returns the connection for reuse; anything else closes it.
 */
public final class HttpExchange implements AutoCloseable {

    private final StreamingHttpClient.Connection connection;
    private final StreamingHttpClient owner;
    private final String poolKey;
    private final long sentNanos;
    private final long headNanos;
    private final int status;
    private final Map<String, String> headers;
    private final ResponseBody body;
    private boolean closed;

    private HttpExchange(StreamingHttpClient.Connection connection, StreamingHttpClient owner, String poolKey,
                         long sentNanos, long headNanos, int status, Map<String, String> headers, ResponseBody body) {
        this.connection = connection;
        this.owner = owner;
        this.poolKey = poolKey;
        this.sentNanos = sentNanos;
        this.headNanos = headNanos;
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    static HttpExchange readHead(StreamingHttpClient.Connection c, long sentNanos, StreamingHttpClient owner, String key)
            throws IOException {
        String statusLine = HttpLines.readLine(c.in);
        // EOF, not a plain IOException: the connection ended, as a cut does (the selector transport says the same).
        if (statusLine == null) throw new java.io.EOFException("connection closed before the response");
        // Bytes a kept-alive connection held from before this request (a server that sent more than
        // it announced) are read now, not when they came: no time of a request precedes its send.
        long headNanos = Math.max(sentNanos, c.in.lastArrivalNanos());
        String[] parts = statusLine.split(" ", 3);
        int status;
        try {
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) throw new NumberFormatException();
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("malformed HTTP status line '" + abbreviate(statusLine) + "'");
        }
        Map<String, String> headers = new HashMap<>();
        while (true) {
            String line = HttpLines.readLine(c.in);
            if (line == null) throw new java.io.EOFException("connection closed inside the response head");
            if (line.isEmpty()) break;
            int colon = line.indexOf(':');
            if (colon > 0) headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        c.headNanos = Math.max(1, System.nanoTime());
        ResponseBody body;
        String te = headers.get("transfer-encoding");
        String cl = headers.get("content-length");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = ResponseBody.chunked(c.in);
        } else if (cl != null) {
            body = ResponseBody.fixed(c.in, HttpWire.contentLength(cl));
        } else {
            body = ResponseBody.untilClose(c.in);
        }
        return new HttpExchange(c, owner, key, sentNanos, headNanos, status, headers, body);
    }

    public int status() {
        return status;
    }

    /** A response header, by case-insensitive name; null when absent. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** When the last byte of the request was handed to the socket. */
    public long sentNanos() {
        return sentNanos;
    }

    /** When the status line arrived. */
    public long headNanos() {
        return headNanos;
    }

    /** The decoded body (chunked framing removed). */
    public InputStream body() {
        return body;
    }

    /** When bytes last arrived on this connection: the arrival time of what was just read. */
    public long lastArrivalNanos() {
        return connection.in.lastArrivalNanos();
    }

    /**
     * From now on the body is read as an event stream: progress, for stall detection, is an
     * event's end ({@code eventEnds}), not any byte, so a trickle that never ends one is a stall.
     */
    public void progressIsEventEnds(java.util.function.LongSupplier eventEnds) {
        connection.eventEnds = eventEnds;
    }

    /**
     * Reads the rest of the body if it comes within {@code wait} (after a stream's end marker
     * only its framing's last bytes should, at once).
     *
     * @return true when the body is complete, so the connection can carry another request; a
     *         server that announced more than it sends costs this wait, not the read timeout
     */
    public boolean finishBodyWithin(java.time.Duration wait) {
        try {
            connection.socket.setSoTimeout((int) Math.max(1, wait.toMillis()));
            try {
                byte[] scratch = new byte[1024];
                while (body.read(scratch) >= 0) {
                    // discard: what follows the end marker carries nothing
                }
            } finally {
                connection.socket.setSoTimeout(0);
            }
            return body.complete();
        } catch (IOException e) {
            return false; // the connection is closed instead of reused
        }
    }

    /** Reads and returns the rest of the body (for error responses), at most {@code limit} bytes. */
    public String readBodyText(int limit) throws IOException {
        byte[] bytes = body.readNBytes(limit);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        owner.done(connection);
        boolean keepAlive = !"close".equalsIgnoreCase(header("connection"));
        if (body.complete() && keepAlive) owner.release(poolKey, connection);
        else connection.closeQuietly();
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
