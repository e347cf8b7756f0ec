package io.toks.http.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The push assembler gives exactly what the pull reader gives, however the bytes are split. */
class EventStreamAssemblerTest {

    private static final String SSE = "data: a\r\n\r\n: comment\rdata: b\ndata: c\n\nevent: x\ndata:é 😀\r\r\n\ndata\ndatas: z\ndat: q\ndata:x\n\ndata: [DONE]\n\ndata: cut";
    private static final String NDJSON = "{\"a\":1}\n\r\n{\"b\":2}\r\n{\"c\":3}";

    private static List<String> pull(String body, EventStreamReader.Framing framing) throws IOException {
        EventStreamReader r = new EventStreamReader(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), framing, () -> 0);
        List<String> out = new ArrayList<>();
        StreamEvent e;
        while ((e = r.next()) != null) out.add(e.data());
        return out;
    }

    private static List<String> push(String body, EventStreamReader.Framing framing, long seed) throws IOException {
        List<String> out = new ArrayList<>();
        List<Long> times = new ArrayList<>();
        EventStreamAssembler a = new EventStreamAssembler(framing, e -> {
            out.add(e.data());
            times.add(e.arrivalNanos());
        });
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        SplittableRandom random = new SplittableRandom(seed);
        long now = 0;
        for (int at = 0; at < b.length; ) {
            int n = Math.min(b.length - at, 1 + random.nextInt(5));
            a.feed(b, at, n, ++now);
            at += n;
        }
        a.end(++now);
        for (int i = 1; i < times.size(); i++) assertThat(times.get(i)).isGreaterThanOrEqualTo(times.get(i - 1));
        return out;
    }

    @Test
    void pushAndPullAgreeOnEverySplit() throws IOException {
        for (long seed = 0; seed < 50; seed++) {
            assertThat(push(SSE, EventStreamReader.Framing.SSE, seed)).isEqualTo(pull(SSE, EventStreamReader.Framing.SSE))
                    .containsExactly("a", "b\nc", "é 😀", "\nx", "[DONE]");
            assertThat(push(NDJSON, EventStreamReader.Framing.NDJSON, seed)).isEqualTo(pull(NDJSON, EventStreamReader.Framing.NDJSON));
        }
    }
}
