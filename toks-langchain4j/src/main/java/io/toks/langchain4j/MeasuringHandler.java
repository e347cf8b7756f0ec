package io.toks.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.output.TokenUsage;
import io.toks.core.events.Clock;
import io.toks.core.events.FinishReason;
import io.toks.core.events.RequestMetrics;
import io.toks.core.events.RequestTrace;
import io.toks.core.events.TokenCountSource;
import io.toks.core.events.Usage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stands between a model and the caller's handler: notes the time of every partial response
 * and of the end in a {@link RequestTrace}, then passes each callback on unchanged. Each form of
 * a callback is passed on in the same form, so a handler that overrides either sees what it
 * would have seen, and a chunk is counted once whichever form the model calls.
 */
final class MeasuringHandler implements StreamingChatResponseHandler {

    private final StreamingChatResponseHandler handler;
    private final Clock clock;
    private final String requestedModel;
    private final CallListener listener;
    private final RequestTrace trace = new RequestTrace(256);
    private final AtomicBoolean ended = new AtomicBoolean();

    MeasuringHandler(StreamingChatResponseHandler handler, Clock clock, String requestedModel, CallListener listener) {
        this.handler = handler;
        this.clock = clock;
        this.requestedModel = requestedModel;
        this.listener = listener;
    }

    void sent() {
        trace.requestSent(clock.nanoTime());
    }

    /** One piece of output arrived; an empty one (a role-only delta) carries no token. */
    private void chunk(String text) {
        long now = clock.nanoTime();
        if (text != null && !text.isEmpty()) trace.tokens(now, 1, TokenCountSource.CHUNKS_COUNTED, -1);
    }

    @Override
    public void onPartialResponse(String partialResponse) {
        chunk(partialResponse);
        handler.onPartialResponse(partialResponse);
    }

    @Override
    public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
        chunk(partialResponse.text());
        handler.onPartialResponse(partialResponse, context);
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking) {
        chunk(partialThinking.text());
        handler.onPartialThinking(partialThinking);
    }

    @Override
    public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
        chunk(partialThinking.text());
        handler.onPartialThinking(partialThinking, context);
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall) {
        chunk(partialToolCall.partialArguments());
        handler.onPartialToolCall(partialToolCall);
    }

    @Override
    public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
        chunk(partialToolCall.partialArguments());
        handler.onPartialToolCall(partialToolCall, context);
    }

    @Override
    public void onCompleteToolCall(CompleteToolCall completeToolCall) {
        handler.onCompleteToolCall(completeToolCall);
    }

    @Override
    public void onUnmappedRawEvent(Object rawEvent) {
        handler.onUnmappedRawEvent(rawEvent);
    }

    @Override
    public void onCompleteResponse(ChatResponse response) {
        long now = clock.nanoTime();
        if (ended.compareAndSet(false, true)) {
            trace.finished(now, finishReason(response.finishReason()), usage(response.tokenUsage()));
            String model = requestedModel != null ? requestedModel : response.modelName() != null ? response.modelName() : "unknown";
            try {
                listener.measured(new MeasuredCall(model, trace, RequestMetrics.of(trace), null));
            } finally {
                handler.onCompleteResponse(response);
            }
        } else {
            handler.onCompleteResponse(response);
        }
    }

    @Override
    public void onError(Throwable error) {
        try {
            failed(error);
        } finally {
            handler.onError(error);
        }
    }

    /** The call failed (here, or when the model threw before streaming): measured once. */
    void failed(Throwable error) {
        long now = clock.nanoTime();
        if (!ended.compareAndSet(false, true)) return;
        trace.failed(now, ErrorKinds.of(error), String.valueOf(error.getMessage()));
        listener.measured(new MeasuredCall(requestedModel != null ? requestedModel : "unknown", trace, RequestMetrics.of(trace), error));
    }

    private static Usage usage(TokenUsage usage) {
        if (usage == null || (usage.inputTokenCount() == null && usage.outputTokenCount() == null)) return null;
        return new Usage(orUnknown(usage.inputTokenCount()), orUnknown(usage.outputTokenCount()));
    }

    private static int orUnknown(Integer count) {
        return count == null ? -1 : count;
    }

    private static FinishReason finishReason(dev.langchain4j.model.output.FinishReason reason) {
        if (reason == null) return null;
        return switch (reason) {
            case STOP -> FinishReason.STOP;
            case LENGTH -> FinishReason.LENGTH;
            default -> FinishReason.OTHER;
        };
    }
}
