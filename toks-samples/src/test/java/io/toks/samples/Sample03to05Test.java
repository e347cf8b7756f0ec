package io.toks.samples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.toks.engine.ModelLoader;
import io.toks.serve.GenerationScheduler;
import io.toks.serve.OpenAiServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Samples 03 (JFR), 04 (Micrometer) and 05 (LangChain4j against toks serve in this process), each run as a user would. */
class Sample03to05Test {

    @Test
    void jfrRecordsEachCallWithItsTokens(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("trace.json");
        String printed = Printed.by(Sample03_JfrRecording::main, dir.resolve("s.jfr").toString(), trace.toString());
        assertThat(printed).contains("3 requests, 24 output tokens").contains("wrote " + trace);
        assertThat(printed.lines().filter(l -> l.matches("request \\d+: 8 output tokens, ttft .*"))).hasSize(3);
        assertThat(new ObjectMapper().readTree(trace.toFile()).get("traceEvents").size()).isGreaterThan(3 + 12);
    }

    @Test
    void micrometerGetsTheOpenTelemetryNames() throws Exception {
        String printed = Printed.by(Sample04_MicrometerMetrics::main);
        assertThat(printed).contains("gen_ai.client.operation.duration count=3", "gen_ai.client.operation.time_to_first_chunk count=3",
                "gen_ai.client.token.usage count=3 total=15 max=5 [gen_ai.token.type=output]",
                "gen_ai.client.token.usage count=3 total=36 max=12 [gen_ai.token.type=input]").doesNotContain(".histogram");
    }

    @Test
    void langChain4jCallsToToksServeAreMeasured() throws Exception {
        try (var scheduler = new GenerationScheduler(ModelLoader.loadEmbedded(), 1, 2, 256, 16);
             var server = new OpenAiServer(scheduler, "stories260K", "127.0.0.1", 0, 256, 1 << 20)) {
            String printed = Printed.by(Sample05_LangChain4jStreaming::main, "http://127.0.0.1:" + server.port() + "/v1", "stories260K");
            assertThat(printed.lines().filter(l -> l.matches("measured: ttft [0-9.]+ ms, \\d+ output tokens \\(server_usage\\), decode .*")))
                    .hasSize(2);
            assertThat(printed.lines().filter(l -> l.startsWith("text: "))).hasSize(2);
        }
    }
}
