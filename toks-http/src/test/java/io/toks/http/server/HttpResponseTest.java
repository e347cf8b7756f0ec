package io.toks.http.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpResponseTest {

    @Test
    void chunkSizesAreLowercaseHexWithoutLeadingZeros() throws Exception {
        var wire = new ByteArrayOutputStream();
        var response = new HttpResponse(null, wire);
        response.startStream(200, "text/event-stream");
        int head = wire.size();
        int[] sizes = {1, 9, 10, 15, 16, 17, 255, 256, 4095, 4096, 65535, 65536, 1_000_000};
        StringBuilder expected = new StringBuilder();
        for (int size : sizes) {
            response.writeChunk(new byte[size]);
            expected.append(Integer.toHexString(size)).append("\r\n").append("\0".repeat(size)).append("\r\n");
        }
        response.finish();
        expected.append("0\r\n\r\n");
        String body = new String(wire.toByteArray(), head, wire.size() - head, StandardCharsets.ISO_8859_1);
        assertThat(body).isEqualTo(expected.toString());
    }

    /** A stream's last message and the body's end leave in one flush: a kept-alive client gets both at once. */
    @Test
    void finishingWithALastChunkSendsItAndTheEndTogether() throws Exception {
        var wire = new ByteArrayOutputStream() {
            int flushes;

            @Override
            public void flush() {
                flushes++;
            }
        };
        var response = new HttpResponse(null, wire);
        response.startStream(200, "text/event-stream");
        int head = wire.size();
        int flushesBefore = wire.flushes;
        response.finish("data: [DONE]\n\n");
        String body = new String(wire.toByteArray(), head, wire.size() - head, StandardCharsets.ISO_8859_1);
        assertThat(body).isEqualTo("e\r\ndata: [DONE]\n\n\r\n0\r\n\r\n");
        assertThat(wire.flushes - flushesBefore).isEqualTo(1);
        assertThatThrownBy(() -> response.writeChunk("late")).isInstanceOf(IllegalStateException.class);
    }
}
