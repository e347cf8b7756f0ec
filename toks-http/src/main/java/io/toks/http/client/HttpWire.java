package io.toks.http.client;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** HTTP/1.1 wire details shared by the blocking client and the selector transport. */
public final class HttpWire {

    private HttpWire() {}

    /** A complete request: head (with Host and Content-Length) followed by the body. */
    public static byte[] request(String method, URI uri, Map<String, String> headers, byte[] body) {
        StringBuilder head = new StringBuilder(256);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) path += "?" + uri.getRawQuery();
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(uri.getHost());
        if (uri.getPort() > 0) head.append(':').append(uri.getPort());
        head.append("\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    /**
     * A Content-Length value: decimal digits only (RFC 9110: no sign, no spaces inside), at most
     * 18 of them so it fits a long; anything else is malformed.
     */
    public static long contentLength(String value) throws IOException {
        String v = value.trim();
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new MalformedStreamException("malformed Content-Length '" + (v.length() > 40 ? v.substring(0, 40) + "..." : v) + "'");
        }
        return Long.parseLong(v);
    }

    /**
     * Refuses a successful reply that is a web page rather than a stream (a proxy's or a login
     * page, a wrong URL): without this it would read as a stream cut short. Other types pass, as
     * servers label event streams loosely.
     */
    public static void checkStreamContentType(String contentType) throws MalformedStreamException {
        if (contentType == null) return;
        String type = contentType.trim().toLowerCase(java.util.Locale.ROOT);
        if (type.startsWith("text/html") || type.startsWith("application/xhtml")) {
            throw new MalformedStreamException("not an event stream: the server answered with a web page (Content-Type " + contentType.trim() + ")");
        }
    }

    /**
     * Refuses a successful reply whose body is encoded (gzip, br, ...): the client asks for
     * {@code Accept-Encoding: identity} and reads every stream as it arrives, so an encoded body
     * would read as no events at all, a stream cut short. (A proxy that compresses a stream
     * usually also buffers it, which would hide its timing anyway.)
     */
    public static void checkContentEncoding(String contentEncoding) throws MalformedStreamException {
        if (contentEncoding == null) return;
        String coding = contentEncoding.trim();
        if (coding.isEmpty() || coding.equalsIgnoreCase("identity")) return;
        throw new MalformedStreamException("the server encoded its answer (Content-Encoding " + abbreviate(coding)
                + ") though the client asked for identity: toks reads streams uncompressed");
    }

    /** True for a JSON media type ({@code application/json}, {@code application/problem+json}), parameters ignored; not NDJSON. */
    public static boolean isJsonType(String contentType) {
        if (contentType == null) return false;
        String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json");
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** The size on a chunk-size line (hex, extensions after ';' ignored). */
    public static long chunkSize(String line) throws IOException {
        int semi = line.indexOf(';');
        String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
        try {
            long size = Long.parseLong(hex, 16);
            if (size >= 0) return size;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new MalformedStreamException("malformed chunk size '" + hex + "'");
    }
}
