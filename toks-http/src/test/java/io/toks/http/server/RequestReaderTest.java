package io.toks.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The request reader on plain bytes: requests one after another, and refusals with their status. */
class RequestReaderTest {

    private final RequestReader reader = new RequestReader(16, Duration.ofSeconds(5));

    private static ByteArrayInputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsKeptAliveRequestsInTurn() throws Exception {
        var in = bytes("POST /v1/x?q=1 HTTP/1.1\r\nContent-Length: 3\r\nX-A:  b \r\n\r\nabcGET /health HTTP/1.0\n\n");
        HttpRequest first = reader.read(in);
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).isEqualTo("/v1/x");
        assertThat(first.header("x-a")).isEqualTo("b");
        assertThat(first.bodyText()).isEqualTo("abc");
        HttpRequest second = reader.read(in);
        assertThat(second.path()).isEqualTo("/health");
        assertThat(second.http10()).isTrue();
        assertThat(reader.read(in)).isNull();
    }

    @Test
    void emptyMethodOrTargetIsAMalformedRequestLine() {
        for (String line : new String[] {" / HTTP/1.1", "GET  HTTP/1.1", "GET / HTTP/1.1 ", "GET /"}) {
            assertThatThrownBy(() -> reader.read(bytes(line + "\r\n\r\n"))).isInstanceOf(BadRequest.class)
                    .hasMessage("malformed request line").satisfies(e -> assertThat(((BadRequest) e).status).isEqualTo(400));
        }
    }

    @Test
    void refusalsCarryTheirStatus() throws IOException {
        assertStatus("POST / HTTP/1.1\r\nContent-Length: 17\r\n\r\n", 413);
        assertStatus("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400);
        assertStatus("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400);
        assertStatus("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 411);
        assertStatus("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab", 400);
        assertStatus("GET / HTTP/1.1\r\nno colon\r\n\r\n", 400);
    }

    private void assertStatus(String request, int status) {
        assertThatThrownBy(() -> reader.read(bytes(request))).isInstanceOf(BadRequest.class)
                .satisfies(e -> assertThat(((BadRequest) e).status).isEqualTo(status));
    }
}
