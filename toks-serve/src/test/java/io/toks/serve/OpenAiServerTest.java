package io.toks.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.toks.core.events.Clock;
import io.toks.core.events.FinishReason;
import io.toks.core.events.TokenCountSource;
import io.toks.core.events.TokenEvents;
import io.toks.engine.Generator;
import io.toks.engine.ModelLoader;
import io.toks.engine.model.InferenceSession;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.parallel.WorkerPool;
import io.toks.engine.sampling.Sampler;
import io.toks.http.client.HttpExchange;
import io.toks.http.client.StreamingHttpClient;
import io.toks.http.openai.ApiFlavor;
import io.toks.http.openai.CompletionRequest;
import io.toks.http.openai.OpenAiStreamClient;
import io.toks.http.openai.StreamedCompletion;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server end to end on the embedded model: greedy text over HTTP, streamed or whole, alone
 * or batched with other requests, equals what the engine generates directly; bad requests get
 * OpenAI-style errors.
 */
class OpenAiServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LlamaModel model;
    private static GenerationScheduler scheduler;
    private static OpenAiServer server;
    private static StreamingHttpClient http;
    private static URI base;

    @BeforeAll
    static void start() throws Exception {
        model = ModelLoader.loadEmbedded();
        scheduler = new GenerationScheduler(model, 2, 4, 256, 64);
        server = new OpenAiServer(scheduler, "stories", "127.0.0.1", 0, 200, 1 << 16);
        http = new StreamingHttpClient(Duration.ofSeconds(5), Duration.ofSeconds(30));
        base = URI.create("http://127.0.0.1:" + server.port() + "/v1");
    }

    @AfterAll
    static void stop() {
        http.close();
        server.close();
        scheduler.close();
    }

    /** Greedy text straight from the engine, as the reference. */
    private static String engineGreedy(String prompt, int tokens) {
        int[] ids = model.tokenizer().encode(prompt, true, false);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        try (WorkerPool pool = new WorkerPool(1)) {
            InferenceSession s = new InferenceSession(model, pool, 256);
            new Generator(s, model.tokenizer().bosId(), model.tokenizer().eosId(), Clock.SYSTEM).generate(ids, tokens,
                    Sampler.of(0, 0, 1, 0), Generator.StopRule.NEVER, new TokenEvents() {
                        int previous = ids[ids.length - 1];

                        @Override
                        public void tokens(long nanos, int count, TokenCountSource source, int tokenId) {
                            text.writeBytes(model.tokenizer().decode(previous, tokenId));
                            previous = tokenId;
                        }
                    });
        }
        return text.toString(StandardCharsets.UTF_8);
    }

    private static StreamedCompletion stream(ApiFlavor flavor, String prompt, int tokens) {
        OpenAiStreamClient client = new OpenAiStreamClient(http, base, flavor, null);
        return client.stream(new CompletionRequest("stories", prompt, tokens, true, 0, null), "t");
    }

    @Test
    void streamedGreedyTextEqualsTheEngines() {
        StreamedCompletion c = stream(ApiFlavor.COMPLETIONS, "Once upon a time", 40);
        assertThat(c.ok()).as(c.errorMessage()).isTrue();
        assertThat(c.text()).isEqualTo(engineGreedy("Once upon a time", 40));
        assertThat(c.usage().completionTokens()).isEqualTo(40);
        assertThat(c.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void concurrentRequestsAreBatchedAndEachGetsItsOwnText() throws Exception {
        String[] prompts = {"Once upon a time", "Lily", "The dog ran", "Tom and", "A big", "She said", "One day", "The sun"};
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<StreamedCompletion>> futures = new ArrayList<>();
            for (String p : prompts) futures.add(ex.submit(() -> stream(ApiFlavor.CHAT, p, 30)));
            for (int i = 0; i < prompts.length; i++) {
                StreamedCompletion c = futures.get(i).get();
                assertThat(c.ok()).as(c.errorMessage()).isTrue();
                assertThat(c.text()).as(prompts[i]).isEqualTo(engineGreedy(prompts[i], 30));
            }
        }
    }

    /**
     * Sampled text for a fixed seed is the same whether a request runs alone or with others whose
     * prompts are prefilled and tokens decoded in the same steps.
     */
    @Test
    void seededTextDoesNotDependOnConcurrency() throws Exception {
        String[] prompts = {"Once upon a time", "Lily", "The dog ran to the park and", "Tom and", "A big", "She said"};
        String[] alone = new String[prompts.length];
        for (int i = 0; i < prompts.length; i++) alone[i] = sampled(prompts[i], 40 + i);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < prompts.length; i++) {
                int seed = 40 + i;
                String prompt = prompts[i];
                futures.add(ex.submit(() -> sampled(prompt, seed)));
            }
            for (int i = 0; i < prompts.length; i++) assertThat(futures.get(i).get()).as(prompts[i]).isEqualTo(alone[i]);
        }
        assertThat(alone[0]).as("sampled, not greedy").isNotEqualTo(engineGreedy(prompts[0], 30));
    }

    private static String sampled(String prompt, int seed) throws Exception {
        return post("/completions", "{\"prompt\":\"" + prompt + "\",\"max_tokens\":30,\"temperature\":1.0,\"top_p\":0.9,\"seed\":" + seed
                + ",\"ignore_eos\":true}", 200).at("/choices/0/text").asText();
    }

    @Test
    void wholeResponsesCarryUsageAndHonourStop() throws Exception {
        String expected = engineGreedy("Once upon a time", 40);
        String stop = expected.substring(20, 24);
        JsonNode r = post("/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":40,\"temperature\":0,\"stop\":[\""
                + stop.replace("\"", "\\\"") + "\"]}", 200);
        assertThat(r.at("/choices/0/text").asText()).isEqualTo(expected.substring(0, expected.indexOf(stop)));
        assertThat(r.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(r.at("/usage/prompt_tokens").asInt()).isEqualTo(model.tokenizer().encode("Once upon a time", true, false).length);
        JsonNode chat = post("/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"Lily\"}],\"max_tokens\":5}", 200);
        assertThat(chat.at("/choices/0/message/role").asText()).isEqualTo("assistant");
        assertThat(chat.at("/usage/completion_tokens").asInt()).isBetween(1, 5);
    }

    /** What real OpenAI clients send or ask for: model lookups, other models' names, n, logprobs, arrays. */
    @Test
    void openAiClientsGetWhatTheyAskForOrAClearRefusal() throws Exception {
        JsonNode served = get("/models/stories", 200);
        assertThat(served.at("/id").asText()).isEqualTo("stories");
        assertThat(served.at("/created").asLong()).isPositive();
        assertThat(get("/models", 200).at("/data/0/created").asLong()).isPositive();
        assertThat(get("/models/gpt-4o", 404).at("/error/param").asText()).isEqualTo("model");
        assertThat(post("/completions", "{\"model\":\"gpt-4o\",\"prompt\":\"x\",\"max_tokens\":2}", 404).at("/error/message").asText())
                .contains("'gpt-4o' does not exist here");
        assertThat(post("/completions", "{\"prompt\":\"x\",\"max_tokens\":2,\"n\":2}", 400).at("/error/param").asText()).isEqualTo("n");
        assertThat(post("/completions", "{\"prompt\":\"x\",\"max_tokens\":2,\"logprobs\":50}", 400).at("/error/param").asText()).isEqualTo("logprobs");
        assertThat(post("/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":2,\"logprobs\":3}", 400)
                .at("/error/param").asText()).isEqualTo("logprobs");
        post("/completions", "{\"model\":\"stories\",\"prompt\":[\"Once upon\"],\"max_tokens\":2,\"n\":1,\"logprobs\":null}", 200);
        assertThat(post("/completions", "{\"prompt\":[\"a\",\"b\"],\"max_tokens\":2}", 400).at("/error/param").asText()).isEqualTo("prompt");
        assertThat(post("/completions", "{\"prompt\":\"x\",\"max_tokens\":2} trailing", 400).at("/error/message").asText()).contains("not valid JSON");
        assertThat(post("/completions", "\u0000\u0000\u0000\u0000{\"prompt\":\"x\"}", 400).at("/error/message").asText()).contains("not valid JSON");
        JsonNode parts = post("/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Once \"},"
                + "{\"type\":\"text\",\"text\":\"upon a time\"}]}],\"max_tokens\":3,\"temperature\":0}", 200);
        assertThat(parts.at("/usage/prompt_tokens").asInt()).isEqualTo(model.tokenizer().encode("Once upon a time", true, false).length);
        assertThat(post("/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{}}]}]}", 400)
                .at("/error/message").asText()).contains("only text content parts");
    }

    /** What OpenAI's SDKs send by default: no max_tokens. Generation runs to the end of sequence or a full context. */
    @Test
    void chatWithoutMaxTokensGeneratesUntilTheEndOrAFullContext() throws Exception {
        JsonNode chat = post("/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],\"temperature\":0}", 200);
        int prompt = chat.at("/usage/prompt_tokens").asInt();
        assertThat(chat.at("/usage/completion_tokens").asInt()).isBetween(1, 256 - prompt);
        assertThat(chat.at("/choices/0/finish_reason").asText()).isIn("stop", "length");
        String longPrompt = "once upon a time ".repeat(100);
        JsonNode full = post("/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"" + longPrompt + "\"}]}", 400);
        assertThat(full.at("/error/message").asText()).contains("leaves no room to generate");
    }

    @Test
    void continuousUsageCountsTheTokensBehindEveryChunk() throws Exception {
        String body = "{\"prompt\":\"Once upon a time\",\"max_tokens\":24,\"temperature\":0,\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true,\"continuous_usage_stats\":true}}";
        try (HttpExchange ex = http.send("POST", URI.create(base + "/completions"), Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8))) {
            var reader = new io.toks.http.client.EventStreamReader(ex.body(), io.toks.http.client.EventStreamReader.Framing.SSE, ex::lastArrivalNanos);
            int last = 0;
            StringBuilder text = new StringBuilder();
            io.toks.http.client.StreamEvent e;
            while ((e = reader.next()) != null && !e.data().equals("[DONE]")) {
                JsonNode chunk = JSON.readTree(e.data());
                int cumulative = chunk.at("/usage/completion_tokens").asInt();
                assertThat(cumulative).isGreaterThanOrEqualTo(last);
                last = cumulative;
                text.append(chunk.at("/choices/0/text").asText(""));
            }
            assertThat(last).isEqualTo(24);
            assertThat(text.toString()).isEqualTo(engineGreedy("Once upon a time", 24));
        }
    }

    @Test
    void badRequestsGetOpenAiErrors() throws Exception {
        assertThat(post("/completions", "not json", 400).at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(post("/completions", "{\"prompt\":\"x\",\"max_tokens\":0}", 400).at("/error/param").asText()).isEqualTo("max_tokens");
        assertThat(post("/completions", "{\"prompt\":\"x\",\"max_tokens\":5000}", 400).at("/error/param").asText()).isEqualTo("max_tokens");
        assertThat(post("/completions", "{\"prompt\":\"x\",\"temperature\":7}", 400).at("/error/param").asText()).isEqualTo("temperature");
        assertThat(post("/chat/completions", "{\"messages\":[]}", 400).at("/error/param").asText()).isEqualTo("messages");
        assertThat(post("/completions", "{\"prompt\":\"x\",\"stop\":[1]}", 400).at("/error/param").asText()).isEqualTo("stop");
        assertThat(post("/nowhere", "{}", 404).at("/error/message").asText()).contains("no such endpoint");
        String big = "{\"prompt\":\"" + "a".repeat(70_000) + "\"}";
        assertThat(post("/completions", big, 413).at("/error/message").asText()).contains("over the limit");
    }

    @Test
    void modelsAndHealthAnswer() throws Exception {
        try (HttpExchange ex = http.send("GET", URI.create(base + "/models"), Map.of(), new byte[0])) {
            assertThat(JSON.readTree(ex.readBodyText(4096)).at("/data/0/id").asText()).isEqualTo("stories");
        }
        try (HttpExchange ex = http.send("GET", URI.create("http://127.0.0.1:" + server.port() + "/health"), Map.of(), new byte[0])) {
            assertThat(ex.status()).isEqualTo(200);
            ex.readBodyText(100);
        }
    }

    private static JsonNode get(String path, int expectedStatus) throws Exception {
        try (HttpExchange ex = http.send("GET", URI.create(base + path), Map.of(), new byte[0])) {
            String text = ex.readBodyText(1 << 20);
            assertThat(ex.status()).as(text).isEqualTo(expectedStatus);
            return JSON.readTree(text);
        }
    }

    private static JsonNode post(String path, String body, int expectedStatus) throws Exception {
        try (HttpExchange ex = http.send("POST", URI.create(base + path), Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8))) {
            String text = ex.readBodyText(1 << 20);
            assertThat(ex.status()).as(text).isEqualTo(expectedStatus);
            return JSON.readTree(text);
        }
    }
}
