package io.toks.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.result.MeterRun;
import io.toks.core.result.Metric;
import io.toks.core.result.ResultJson;
import io.toks.engine.ModelLoader;
import io.toks.serve.GenerationScheduler;
import io.toks.serve.OpenAiServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample against toks serve on the embedded model, in this process, on a free loopback port. */
class Sample02_MeterAroundAnHttpClientTest {

    @Test
    void measuresStreamedCallsToAnOpenAiServer(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("served.json");
        String printed;
        try (var scheduler = new GenerationScheduler(ModelLoader.loadEmbedded(), 1, 2, 256, 16);
             var server = new OpenAiServer(scheduler, "stories260K", "127.0.0.1", 0, 256, 1 << 20)) {
            String url = "http://127.0.0.1:" + server.port() + "/v1";
            // Without a model's name the sample asks the server for one.
            assertThat(Sample02_MeterAroundAnHttpClient.firstModel(java.net.http.HttpClient.newHttpClient(), url)).isEqualTo("stories260K");
            printed = Printed.by(Sample02_MeterAroundAnHttpClient::main, url, "stories260K", "6", "3", out.toString());
        }
        assertThat(printed).startsWith("stories260K: 6 calls (6 ok, 0 failed, 0 in flight) in ")
                .contains("(counts from server_usage 6 calls)")
                .contains("ttft ms: mean ", "e2e ms: mean ")
                .contains("wrote " + out);

        MeterRun run = ResultJson.read(out).runs(MeterRun.class).getFirst();
        // Counted from the server's running usage chunk by chunk: the totals agree with its final usage.
        assertThat(run.countDisagreements()).isZero();
        assertThat(run.outputTokens()).isBetween(6L, 6L * Sample02_MeterAroundAnHttpClient.MAX_TOKENS);
        assertThat(run.promptTokens()).isPositive(); // from usage: the sample passed 0
        assertThat(run.metric(Metric.TTFT).samples()).hasSize(6);
        assertThat(run.metric(Metric.CHUNK_GAP).n()).isEqualTo(run.chunks() - 6);
    }

    @Test
    void aFailedCallIsCountedAndLeftOutOfTheFigures() throws Exception {
        try (var scheduler = new GenerationScheduler(ModelLoader.loadEmbedded(), 1, 2, 256, 16);
             var server = new OpenAiServer(scheduler, "stories260K", "127.0.0.1", 0, 256, 1 << 20)) {
            // A model the server does not serve: HTTP 404 for every call.
            String printed = Printed.by(Sample02_MeterAroundAnHttpClient::main, "http://127.0.0.1:" + server.port() + "/v1",
                    "no-such-model", "3", "1");
            assertThat(printed).isEqualTo("no-such-model: 3 calls (0 ok, 3 failed, 0 in flight)" + System.lineSeparator());
        }
    }
}
