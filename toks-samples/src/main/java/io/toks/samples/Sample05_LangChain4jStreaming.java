package io.toks.samples;

import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.toks.langchain4j.MeasuredStreamingChatModel;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sample 05: every LangChain4j streaming call measured.
 *
 * <p>{@link MeasuredStreamingChatModel} wraps any {@code StreamingChatModel}: your code uses it as
 * the model it wraps, and a listener gets each finished call's time to first token, tok/s and
 * output tokens, with where the count came from (the provider's usage, or chunks counted).
 *
 * <p>Run against any OpenAI-compatible server, e.g. {@code ./toks serve} in another terminal:
 * {@code java -cp toks-samples/target/toks-samples.jar io.toks.samples.Sample05_LangChain4jStreaming http://127.0.0.1:8080/v1 stories260K}
 */
public class Sample05_LangChain4jStreaming {

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "http://127.0.0.1:8080/v1";
        String modelName = args.length > 1 ? args[1] : "stories260K";
        StreamingChatModel model = new MeasuredStreamingChatModel(
                OpenAiStreamingChatModel.builder().baseUrl(url).apiKey("none").modelName(modelName).maxTokens(32).temperature(0.0).build(),
                call -> System.out.printf(Locale.ROOT, "measured: ttft %.1f ms, %d output tokens (%s), decode %.0f tok/s%n",
                        call.metrics().ttftSeconds() * 1e3, call.metrics().outputTokens(),
                        call.metrics().outputSource().name().toLowerCase(Locale.ROOT), call.metrics().decodeTps()));

        for (int i = 0; i < 2; i++) {
            CompletableFuture<ChatResponse> done = new CompletableFuture<>();
            model.chat("Once upon a time", new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String partial) {
                    // your streaming UI here
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                    done.complete(response);
                }

                @Override
                public void onError(Throwable error) {
                    done.completeExceptionally(error);
                }
            });
            ChatResponse response = done.get(60, TimeUnit.SECONDS);
            System.out.println("text: " + response.aiMessage().text().strip().replace('\n', ' '));
        }
    }
}
