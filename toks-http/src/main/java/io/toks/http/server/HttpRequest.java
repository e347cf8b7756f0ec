package io.toks.http.server;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One parsed HTTP/1.1 request.
 *
 * @param method       request method, upper case as sent
 * @param path         request target without the query string
 * @param headers      header fields, names lower-cased (the last one wins when repeated)
 * @param body         the request body (empty when there is none)
 * @param receivedNanos {@code System.nanoTime()} when the request was completely read
 * @param http10       an HTTP/1.0 request: its connection closes after the response
 */
public record HttpRequest(String method, String path, Map<String, String> headers, byte[] body, long receivedNanos, boolean http10) {

    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
