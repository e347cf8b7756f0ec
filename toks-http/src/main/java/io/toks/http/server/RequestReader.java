package io.toks.http.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads HTTP/1.1 requests off a connection's input: request line, headers, a Content-Length
 * body. Everything a client can get wrong is a {@link BadRequest} with the status to answer; a
 * request must arrive whole within the timeout of its first byte. Apart from the socket so that
 * it can be fuzzed with plain bytes.
 */
final class RequestReader {

    /** Longest request head (request line and headers) accepted. */
    static final int MAX_HEAD_BYTES = 16 * 1024;

    private final int maxBodyBytes;
    private final long timeoutNanos;

    RequestReader(int maxBodyBytes, Duration requestTimeout) {
        this.maxBodyBytes = maxBodyBytes;
        this.timeoutNanos = requestTimeout.toNanos();
    }

    /**
     * Reads one request, or returns null at a clean end of stream before any byte of it.
     *
     * @throws SocketTimeoutException when no byte of a next request arrived for the whole timeout
     */
    HttpRequest read(InputStream in) throws IOException, BadRequest {
        String requestLine = readLine(in, true, Long.MAX_VALUE, timeoutNanos);
        if (requestLine == null) return null;
        // From the first line on, the whole request must arrive within the timeout.
        long deadline = System.nanoTime() + timeoutNanos;
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !parts[2].startsWith("HTTP/1.")) {
            throw new BadRequest(400, "malformed request line");
        }
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
}
