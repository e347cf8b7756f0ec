package io.toks.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.toks.core.events.Clock;
import java.util.List;
import java.util.Set;

/**
 * Any LangChain4j {@link StreamingChatModel}, measured: each call's time to first token, the gaps
 * between its chunks, decode tok/s and token counts with their provenance go to a
 * {@link CallListener} when it ends (a {@link MicrometerCallListener} publishes them as meters).
 * Everything else is the wrapped model's: its default parameters, listeners, provider and
 * capabilities, and every callback reaches the caller's handler unchanged.
 *
 * <pre>{@code
 * StreamingChatModel model = new MeasuredStreamingChatModel(
 *         OpenAiStreamingChatModel.builder().baseUrl(url).apiKey(key).modelName("gpt-4o-mini").build(),
 *         call -> System.out.printf("ttft %.0f ms, %.1f tok/s (%s)%n", call.metrics().ttftSeconds() * 1e3,
 *                 call.metrics().decodeTps(), call.metrics().outputSource()));
 * }</pre>
 *
 * Times start when {@code chat} is called, so they include what the client library does before
 * the request leaves (building it, connecting), as the application experiences the call.
 */
public final class MeasuredStreamingChatModel implements StreamingChatModel {

    private final StreamingChatModel delegate;
    private final CallListener listener;
    private final Clock clock;

    public MeasuredStreamingChatModel(StreamingChatModel delegate, CallListener listener) {
        this(delegate, listener, Clock.SYSTEM);
    }

    /** @param clock the time source (tests give a scripted one) */
    public MeasuredStreamingChatModel(StreamingChatModel delegate, CallListener listener, Clock clock) {
        if (delegate == null || listener == null || clock == null) throw new IllegalArgumentException("delegate, listener and clock must not be null");
        this.delegate = delegate;
        this.listener = listener;
        this.clock = clock;
    }

    @Override
    public void chat(ChatRequest request, ChatRequestOptions options, StreamingChatResponseHandler handler) {
        MeasuringHandler measuring = handler(request, handler);
        measuring.sent();
        try {
            delegate.chat(request, options, measuring);
        } catch (RuntimeException e) {
            measuring.failed(e);
            throw e;
        }
    }

    /** For callers that bypass {@code chat}: measured the same way. */
    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        MeasuringHandler measuring = handler(request, handler);
        measuring.sent();
        try {
            delegate.doChat(request, measuring);
        } catch (RuntimeException e) {
            measuring.failed(e);
            throw e;
        }
    }

    private MeasuringHandler handler(ChatRequest request, StreamingChatResponseHandler handler) {
        String model = request.modelName() != null ? request.modelName() : delegate.defaultRequestParameters().modelName();
        return new MeasuringHandler(handler, clock, model, listener);
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return delegate.defaultRequestParameters();
    }

    @Override
    public List<ChatModelListener> listeners() {
        return delegate.listeners();
    }

    @Override
    public ModelProvider provider() {
        return delegate.provider();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return delegate.supportedCapabilities();
    }
}
