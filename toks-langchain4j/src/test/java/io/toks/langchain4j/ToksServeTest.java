package io.toks.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.toks.core.events.ErrorKind;
import io.toks.core.events.TokenCountSource;
import io.toks.engine.ModelLoader;
import io.toks.micrometer.MeterNames;
import io.toks.micrometer.Side;
import io.toks.micrometer.TokenMetrics;
import io.toks.serve.GenerationScheduler;
import io.toks.serve.OpenAiServer;
import io.toks.serve.ServerMetrics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LangChain4j's own OpenAI clients against toks serve on the embedded model, in this process: a
 * real client library's requests are served, and what the wrapper measures on the client agrees
 * with what the server counted.
 */
class ToksServeTest {

    private static GenerationScheduler scheduler;
    private static ServerMetrics serverMetrics;
    private static OpenAiServer server;
    private static String baseUrl;

    @BeforeAll
    static void start() throws Exception {
        scheduler = new GenerationScheduler(ModelLoader.loadEmbedded(), 1, 2, 256, 16);
        serverMetrics = new ServerMetrics();
        server = new OpenAiServer(scheduler, "stories260K", "127.0.0.1", 0, 200, 1 << 20, serverMetrics);
        baseUrl = "http://127.0.0.1:" + server.port() + "/v1";
    }

    @AfterAll
    static void stop() {
        server.close();
        scheduler.close();
    }

    private static OpenAiStreamingChatModel streaming(String model) {
        return OpenAiStreamingChatModel.builder().baseUrl(baseUrl).apiKey("none").modelName(model).maxTokens(24).temperature(0.0)
                .timeout(Duration.ofSeconds(30)).build();
    }

    /** Output tokens toks serve recorded for all requests so far. */
    private static double servedOutputTokens() {
        var summary = serverMetrics.registry().find(MeterNames.TOKEN_USAGE).tag(MeterNames.TOKEN_TYPE, "output").summary();
        return summary == null ? 0 : summary.totalAmount();
    }

    private static ChatResponse await(java.util.function.Consumer<StreamingChatResponseHandler> call, StringBuilder text) throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        call.accept(new StreamingChatResponseHandler() {
            @Override public void onPartialResponse(String partial) { text.append(partial); }
            @Override public void onCompleteResponse(ChatResponse response) { done.complete(response); }
            @Override public void onError(Throwable error) { done.completeExceptionally(error); }
        });
        return done.get(60, TimeUnit.SECONDS);
    }

    @Test
    void aStreamedChatIsMeasuredWithTheServersCount() throws Exception {
        var calls = new CopyOnWriteArrayList<MeasuredCall>();
        var registry = new SimpleMeterRegistry();
        var clientMetrics = new TokenMetrics(Side.CLIENT);
        clientMetrics.bindTo(registry);
        var model = new MeasuredStreamingChatModel(streaming("stories260K"),
                CallListener.both(calls::add, new MicrometerCallListener(clientMetrics, "openai")));
        double servedBefore = servedOutputTokens();

        StringBuilder text = new StringBuilder();
        ChatResponse response = await(handler -> model.chat("Once upon a time", handler), text);

        assertThat(text.toString()).isEqualTo(response.aiMessage().text()).isNotBlank();
        assertThat(calls).hasSize(1);
        MeasuredCall call = calls.getFirst();
        assertThat(call.ok()).isTrue();
        assertThat(call.model()).isEqualTo("stories260K");
        int served = (int) (servedOutputTokens() - servedBefore);
        assertThat(served).isPositive();
        assertThat(response.tokenUsage().outputTokenCount()).isEqualTo(served);
        assertThat(call.metrics().outputTokens()).isEqualTo(served);
        assertThat(call.metrics().outputSource()).isEqualTo(TokenCountSource.SERVER_USAGE);
        assertThat(call.chunks()).isBetween(1, served);
        assertThat(call.metrics().ttftNanos()).isPositive();
        assertThat(call.metrics().e2eNanos()).isGreaterThanOrEqualTo(call.metrics().ttftNanos());
        if (served > 1) assertThat(call.metrics().decodeTps()).isPositive();

        assertThat(registry.get(MeterNames.CLIENT_TIME_TO_FIRST_CHUNK).tag(MeterNames.PROVIDER_NAME, "openai")
                .tag(MeterNames.REQUEST_MODEL, "stories260K").timer().count()).isEqualTo(1);
        assertThat(registry.get(MeterNames.TOKEN_USAGE).tag(MeterNames.TOKEN_TYPE, "output").summary().totalAmount()).isEqualTo(served);
    }

    @Test
    void aPlainChatModelCallIsServed() {
        ChatModel model = OpenAiChatModel.builder().baseUrl(baseUrl).apiKey("none").modelName("stories260K").maxTokens(16)
                .timeout(Duration.ofSeconds(30)).build();
        ChatResponse response = model.chat(dev.langchain4j.model.chat.request.ChatRequest.builder()
                .messages(dev.langchain4j.data.message.UserMessage.from("Lily")).build());
        assertThat(response.aiMessage().text()).isNotBlank();
        assertThat(response.tokenUsage().outputTokenCount()).isBetween(1, 16);
        assertThat(response.tokenUsage().inputTokenCount()).isPositive();
        assertThat(response.modelName()).isEqualTo("stories260K");
    }

    @Test
    void aModelTheServerDoesNotServeIsAMeasuredClientError() {
        var calls = new CopyOnWriteArrayList<MeasuredCall>();
        var model = new MeasuredStreamingChatModel(streaming("gpt-4o"), calls::add);
        assertThatThrownBy(() -> await(handler -> model.chat("x", handler), new StringBuilder()))
                .hasStackTraceContaining("does not exist here");
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.ok()).isFalse();
            assertThat(call.trace().error()).isEqualTo(ErrorKind.HTTP_4XX);
            assertThat(call.model()).isEqualTo("gpt-4o");
        });
    }
}
