package io.toks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.bench.engine.EngineTarget;
import io.toks.bench.load.OpenAiTarget;
import io.toks.core.events.Clock;
import io.toks.core.events.FinishReason;
import io.toks.core.events.RequestMetrics;
import io.toks.core.events.RequestTrace;
import io.toks.core.events.TokenCountSource;
import io.toks.core.target.Target;
import io.toks.core.target.TargetRequest;
import io.toks.engine.ModelLoader;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.sampling.Sampler;
import io.toks.http.client.StreamingHttpClient;
import io.toks.http.openai.ApiFlavor;
import io.toks.http.openai.OpenAiStreamClient;
import io.toks.serve.GenerationScheduler;
import io.toks.serve.OpenAiServer;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The in-process engine and the same engine behind toks serve, measured through one Target
 * interface: both tell the same event vocabulary, and the one place metrics are computed gives
 * both the same kind of figures for the same greedy request.
 */
class TargetsTest {

    static RequestTrace trace(Target target, TargetRequest request) {
        RequestTrace trace = new RequestTrace(request.maxTokens());
        target.run(request, trace);
        return trace;
    }

    @Test
    void engineAndServerSpeakOneVocabulary() throws Exception {
        LlamaModel model = ModelLoader.loadEmbedded();
        var request = new TargetRequest("t1", "Once upon a time", 12, true);
        RequestTrace direct;
        try (Target engine = new EngineTarget(model, 1, 64, Sampler.of(0, 0, 1, 0), Clock.SYSTEM)) {
            direct = trace(engine, request);
        }
        RequestMetrics local = RequestMetrics.of(direct);
        assertThat(local.outputTokens()).isEqualTo(12);
        assertThat(local.outputSource()).isEqualTo(TokenCountSource.ENGINE_IDS);
        assertThat(local.prefillTps()).isPositive();
        assertThat(direct.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(direct.usage().completionTokens()).isEqualTo(12);

        try (var scheduler = new GenerationScheduler(model, 1, 2, 256, 16);
             var server = new OpenAiServer(scheduler, "stories", "127.0.0.1", 0, 16, 1 << 16);
             var http = new StreamingHttpClient(Duration.ofSeconds(5), Duration.ofSeconds(30))) {
            var client = new OpenAiStreamClient(http, URI.create("http://127.0.0.1:" + server.port() + "/v1"), ApiFlavor.COMPLETIONS, null);
            RequestTrace served = trace(new OpenAiTarget(client, new OpenAiTarget.Settings("stories", 0, null)), request);
            assertThat(served.ok()).as(served.errorMessage()).isTrue();
            assertThat(served.finishReason()).isEqualTo(FinishReason.LENGTH);
            assertThat(served.usage().completionTokens()).isEqualTo(12);
            RequestMetrics remote = RequestMetrics.of(served);
            assertThat(remote.outputTokens()).isEqualTo(12);
            assertThat(remote.outputSource()).isEqualTo(TokenCountSource.SERVER_USAGE);
            assertThat(remote.ttftNanos()).isPositive();
            assertThat(remote.e2eNanos()).isGreaterThanOrEqualTo(remote.ttftNanos());
            assertThat(remote.prefillTps()).isNaN(); // a server's prefill is not observable from the client
            assertThat(served.arrivals()).isBetween(1, 12);
        }
    }
}
