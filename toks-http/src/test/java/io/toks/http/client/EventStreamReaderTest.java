package io.toks.http.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Server-sent events per the WHATWG rules, and NDJSON. */
class EventStreamReaderTest {

    private static List<String> read(String body, EventStreamReader.Framing framing) throws IOException {
        EventStreamReader r = new EventStreamReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), framing, () -> 7);
        List<String> out = new ArrayList<>();
        StreamEvent e;
        while ((e = r.next()) != null) {
            assertThat(e.arrivalNanos()).isEqualTo(7);
            out.add(e.data());
        }
        return out;
    }

    @Test
    void linesEndInLfCrLfOrCr() throws IOException {
        assertThat(read("data: a\n\ndata: b\r\n\r\ndata: c\r\rdata: d\n\n", EventStreamReader.Framing.SSE))
                .containsExactly("a", "b", "c", "d");
    }

    @Test
    void dataLinesJoinCommentsAndOtherFieldsAreIgnored() throws IOException {
        assertThat(read(": keep-alive\nevent: x\nid: 3\ndata: one\ndata:two\nretry: 10\n\n", EventStreamReader.Framing.SSE))
                .containsExactly("one\ntwo");
    }

    @Test
    void blankLinesWithoutDataDispatchNothingAndAnUnfinishedEventIsDropped() throws IOException {
        assertThat(read("\n\n\ndata: [DONE]\n\ndata: partial", EventStreamReader.Framing.SSE)).containsExactly("[DONE]");
    }

    @Test
    void multiByteTextSurvives() throws IOException {
        assertThat(read("data: {\"t\":\"héllo 😀 €\"}\n\n", EventStreamReader.Framing.SSE)).containsExactly("{\"t\":\"héllo 😀 €\"}");
    }

    @Test
    void eventsSplitAcrossReadsAtEveryPossibleByte() throws IOException {
        String body = "data: a\r\n\r\n: c\rdata: bé\r\rdata: " + "x".repeat(9000) + "\n\ndata: [DONE]\r\n\r\n";
        for (int step : new int[] {1, 2, 3, 7, 8191}) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            java.io.InputStream dribble = new java.io.InputStream() {
                int at;
                @Override public int read() { return at < bytes.length ? bytes[at++] & 0xff : -1; }
                @Override public int read(byte[] b, int off, int len) {
                    if (at >= bytes.length) return -1;
                    int n = Math.min(Math.min(len, step), bytes.length - at);
                    System.arraycopy(bytes, at, b, off, n);
                    at += n;
                    return n;
                }
            };
            EventStreamReader r = new EventStreamReader(dribble, EventStreamReader.Framing.SSE, () -> 0);
            List<String> got = new ArrayList<>();
            StreamEvent e;
            while ((e = r.next()) != null) got.add(e.data());
            assertThat(got).as("step %d", step).containsExactly("a", "bé", "x".repeat(9000), "[DONE]");
        }
    }

    @Test
    void ndjsonIsOneMessagePerLine() throws IOException {
        assertThat(read("{\"a\":1}\n\n{\"b\":2}\r\n{\"c\":3}", EventStreamReader.Framing.NDJSON))
                .containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
    }
}
