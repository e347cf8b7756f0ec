package io.toks.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.toks.core.events.Clock;
import io.toks.core.events.ErrorKind;
import io.toks.core.events.TokenCountSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The wrapper around scripted models on a clock that ticks one millisecond per reading: what it
 * measures, where its token counts come from, and that the caller's handler sees every callback
 * once, whichever form the model calls.
 */
class MeasuredStreamingChatModelTest {

    private static final long MS = 1_000_000L;

    private static final StreamingHandle NOT_CANCELLED = new StreamingHandle() {
        @Override public void cancel() {}
        @Override public boolean isCancelled() { return false; }
    };

    /** Reads 1 ms, 2 ms, 3 ms, ...: the send, each chunk and the end are one millisecond apart. */
    private static Clock ticking() {
        long[] now = {0};
        return () -> now[0] += MS;
    }

    /** A model that streams {@code chunks} (through the newer two-argument callback when {@code rich}) and ends with {@code usage}. */
    private static StreamingChatModel scripted(TokenUsage usage, boolean rich, String... chunks) {
        return new StreamingChatModel() {
            @Override
            public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
                for (String c : chunks) {
                    if (rich) handler.onPartialResponse(new PartialResponse(c), new PartialResponseContext(NOT_CANCELLED));
                    else handler.onPartialResponse(c);
                }
                handler.onCompleteResponse(ChatResponse.builder().aiMessage(AiMessage.from(String.join("", chunks))).modelName("scripted-1")
                        .tokenUsage(usage).finishReason(FinishReason.LENGTH).build());
            }
        };
    }

    /** Collects the text a plain handler (only the one-argument callback) is given. */
    private static final class Collecting implements StreamingChatResponseHandler {
        final StringBuilder text = new StringBuilder();
        ChatResponse response;
        Throwable error;

        @Override public void onPartialResponse(String partial) { text.append(partial); }
        @Override public void onCompleteResponse(ChatResponse r) { response = r; }
        @Override public void onError(Throwable e) { error = e; }
    }

    @Test
    void theProvidersUsageIsTheOutputCountAndTheChunksTimeIt() {
        List<MeasuredCall> calls = new ArrayList<>();
        var model = new MeasuredStreamingChatModel(scripted(new TokenUsage(4, 7), true, "Once", " upon", " a time"), calls::add, ticking());
        Collecting handler = new Collecting();
        model.chat("Tell me a story", handler);

        assertThat(handler.text).hasToString("Once upon a time");
        assertThat(handler.response.aiMessage().text()).isEqualTo("Once upon a time");
        assertThat(calls).hasSize(1);
        MeasuredCall call = calls.getFirst();
        assertThat(call.ok()).isTrue();
        assertThat(call.model()).as("no model asked for: the response's").isEqualTo("scripted-1");
        assertThat(call.chunks()).isEqualTo(3);
        assertThat(call.providerUsage().completionTokens()).isEqualTo(7);
        assertThat(call.metrics().outputTokens()).isEqualTo(7);
        assertThat(call.metrics().outputSource()).isEqualTo(TokenCountSource.SERVER_USAGE);
        // sent at 1 ms, chunks at 2, 3, 4 ms, end at 5 ms
        assertThat(call.metrics().ttftNanos()).isEqualTo(MS);
        assertThat(call.metrics().e2eNanos()).isEqualTo(4 * MS);
        assertThat(call.metrics().decodeTps()).isEqualTo((7 - 1) / 0.002);
        assertThat(call.trace().arrivalNanos(2) - call.trace().arrivalNanos(1)).isEqualTo(MS);
        assertThat(call.trace().finishReason()).isEqualTo(io.toks.core.events.FinishReason.LENGTH);
    }

    @Test
    void withoutUsageTheChunksAreCountedAndSaySo() {
        List<MeasuredCall> calls = new ArrayList<>();
        var model = new MeasuredStreamingChatModel(scripted(null, false, "a", "", "b", "c"), calls::add, ticking());
        Collecting handler = new Collecting();
        model.chat("x", handler);

        assertThat(handler.text).hasToString("abc");
        MeasuredCall call = calls.getFirst();
        assertThat(call.providerUsage()).isNull();
        assertThat(call.chunks()).as("an empty partial response carries no token").isEqualTo(3);
        assertThat(call.metrics().outputTokens()).isEqualTo(3);
        assertThat(call.metrics().outputSource()).isEqualTo(TokenCountSource.CHUNKS_COUNTED);
    }

    @Test
    void aModelThatFailsBeforeStreamingIsMeasuredAsFailedAndTheErrorReachesTheCaller() {
        List<MeasuredCall> calls = new ArrayList<>();
        StreamingChatModel broken = new StreamingChatModel() {
            @Override
            public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
                throw new IllegalStateException("no connection pool");
            }
        };
        var model = new MeasuredStreamingChatModel(broken, calls::add, ticking());
        assertThatThrownBy(() -> model.chat("x", new Collecting())).hasMessage("no connection pool");
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.ok()).isFalse();
            assertThat(call.trace().error()).isEqualTo(ErrorKind.IO);
            assertThat(call.chunks()).isZero();
        });
    }

    @Test
    void anErrorInTheStreamIsMeasuredOnceAndPassedOn() {
        List<MeasuredCall> calls = new ArrayList<>();
        StreamingChatModel failing = new StreamingChatModel() {
            @Override
            public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
                handler.onPartialResponse("a");
                var error = new dev.langchain4j.exception.InternalServerException(new dev.langchain4j.exception.HttpException(503, "busy"));
                handler.onError(error);
                handler.onError(error);
            }
        };
        Collecting handler = new Collecting();
        new MeasuredStreamingChatModel(failing, calls::add, ticking()).chat("x", handler);
        assertThat(handler.error).hasMessageContaining("busy");
        assertThat(calls).singleElement().satisfies(call -> assertThat(call.trace().error()).isEqualTo(ErrorKind.HTTP_5XX));
    }

    @Test
    void badArgumentsGetAClearError() {
        assertThatThrownBy(() -> new MeasuredStreamingChatModel(null, call -> {})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be null");
        assertThatThrownBy(() -> new MicrometerCallListener(new io.toks.micrometer.TokenMetrics(io.toks.micrometer.Side.SERVER), "openai"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Side.CLIENT");
    }
}
