package io.toks.http.client;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reading CRLF-terminated protocol lines (status line, headers, chunk sizes). */
final class HttpLines {

    static final int MAX_LINE = 64 * 1024;

    private HttpLines() {}

    /** One line without its terminator, or null at end of stream before any byte. */
    static String readLine(InputStream in) throws IOException {
        byte[] buf = new byte[128];
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                if (n == 0) return null;
                throw new ResponseBody.TruncatedBodyException("connection closed inside a line");
            }
            if (b == '\n') {
                if (n > 0 && buf[n - 1] == '\r') n--;
                return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (n == MAX_LINE) throw new MalformedStreamException("protocol line over " + MAX_LINE + " bytes");
            if (n == buf.length) buf = java.util.Arrays.copyOf(buf, n * 2);
            buf[n++] = (byte) b;
        }
    }
}
