package io.toks.http.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Chunked and fixed-length framing, and bodies cut short. */
class ResponseBodyTest {

    private static InputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void chunkedBodyDecodesWithExtensionsAndTrailers() throws IOException {
        ResponseBody b = ResponseBody.chunked(bytes("5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: y\r\n\r\n"));
        assertThat(new String(b.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello world");
        assertThat(b.complete()).isTrue();
    }

    @Test
    void aChunkedBodyCutShortIsTruncatedNotComplete() {
        ResponseBody b = ResponseBody.chunked(bytes("5\r\nhel"));
        assertThatThrownBy(b::readAllBytes).isInstanceOf(ResponseBody.TruncatedBodyException.class);
        ResponseBody noEnd = ResponseBody.chunked(bytes("5\r\nhello\r\n"));
        assertThatThrownBy(noEnd::readAllBytes).isInstanceOf(ResponseBody.TruncatedBodyException.class);
    }

    @Test
    void malformedChunkSizeIsAnError() {
        ResponseBody b = ResponseBody.chunked(bytes("zz\r\nhello\r\n0\r\n\r\n"));
        assertThatThrownBy(b::readAllBytes).isInstanceOf(IOException.class).hasMessageContaining("malformed chunk size");
    }

    /** Broken chunk framing is a malformed response (counted as such by toks load), not a connection failure. */
    @Test
    void brokenChunkFramingIsMalformed() {
        assertThatThrownBy(ResponseBody.chunked(bytes("3\r\nabcX\r\n0\r\n\r\n"))::readAllBytes)
                .isInstanceOf(MalformedStreamException.class).hasMessageContaining("chunk not followed by CRLF");
        assertThatThrownBy(ResponseBody.chunked(bytes("1".repeat(HttpLines.MAX_LINE + 1) + "\r\n"))::readAllBytes)
                .isInstanceOf(MalformedStreamException.class).hasMessageContaining("protocol line over");
    }

    @Test
    void fixedLengthBodyStopsAtItsLengthAndNoticesACut() throws IOException {
        ResponseBody b = ResponseBody.fixed(bytes("abcdefgh"), 5);
        assertThat(new String(b.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("abcde");
        assertThat(b.complete()).isTrue();
        assertThatThrownBy(ResponseBody.fixed(bytes("abc"), 5)::readAllBytes).isInstanceOf(ResponseBody.TruncatedBodyException.class);
    }
}
