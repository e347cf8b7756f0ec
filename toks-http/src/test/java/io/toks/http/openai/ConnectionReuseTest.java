package io.toks.http.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.http.client.StreamingHttpClient;
import io.toks.http.server.SmallHttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server that closes every kept-alive connection right after answering (as servers with short
 * idle timeouts do): the client finds the pooled connection dead before any byte of the next
 * answer and retries on a fresh one, so no request fails for it.
 */
class ConnectionReuseTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nio", "blocking"})
    void aServerClosingIdleConnectionsCostsNoRequest(String transport) throws Exception {
        AtomicInteger served = new AtomicInteger();
        try (SmallHttpServer server = new SmallHttpServer("127.0.0.1", 0, 1 << 16, (req, res) -> {
                 // Counted on arrival: the client may see [DONE] (and the test read the count)
                 // before this handler returns from writing it.
                 served.incrementAndGet();
                 res.startStream(200, "text/event-stream");
                 res.writeChunk("data: {\"choices\":[{\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n"
                         + "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n");
                 res.finish();
                 res.cut(); // no Connection: close header; the client pooled this connection
             });
             StreamingHttpClient http = new StreamingHttpClient(Duration.ofSeconds(2), Duration.ofSeconds(5));
             NioStreamTransport nio = new NioStreamTransport(Duration.ofSeconds(2), Duration.ofSeconds(5))) {
            OpenAiStreamClient client = new OpenAiStreamClient(http, transport.equals("nio") ? nio : null,
                    URI.create("http://127.0.0.1:" + server.port() + "/v1"), ApiFlavor.CHAT, null);
            for (int i = 0; i < 20; i++) {
                Thread.sleep(5); // let the reset arrive before the next request
                StreamedCompletion c = client.stream(new CompletionRequest("m", "x", 1, false, -1, null), "r" + i);
                assertThat(c.ok()).as("request %d: %s", i, c.errorMessage()).isTrue();
                assertThat(c.text()).isEqualTo("hi");
            }
            assertThat(served.get()).isEqualTo(20);
        }
    }
}
