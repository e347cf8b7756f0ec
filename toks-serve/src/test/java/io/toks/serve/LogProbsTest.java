package io.toks.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.toks.engine.ModelLoader;
import io.toks.engine.model.InferenceSession;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.parallel.WorkerPool;
import io.toks.http.client.EventStreamReader;
import io.toks.http.client.HttpExchange;
import io.toks.http.client.StreamEvent;
import io.toks.http.client.StreamingHttpClient;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Log probabilities over HTTP on the embedded model: prompt log probabilities (echo, max_tokens 0,
 * what perplexity clients send) equal the log-softmax of logits computed directly with the
 * engine; generated tokens' log probabilities on completions and chat, streamed and not; token-id
 * prompts; OpenAI-style refusals of bad values.
 */
class LogProbsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEXT = "Once upon a time, there was a little girl named Lily. She loved to play outside.";
    private static LlamaModel model;
    private static GenerationScheduler scheduler;
    private static OpenAiServer server;
    private static StreamingHttpClient http;
    private static URI base;

    @BeforeAll
    static void start() throws Exception {
        model = ModelLoader.loadEmbedded();
        scheduler = new GenerationScheduler(model, 1, 2, 256, 16);
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

    /** log P(ids[i] | ids before it) from logits computed with the engine, log-softmax written out plainly; element 0 NaN. */
    private static double[] engineLogProbs(int[] ids) {
        double[] out = new double[ids.length];
        out[0] = Double.NaN;
        try (WorkerPool pool = new WorkerPool(1)) {
            InferenceSession s = new InferenceSession(model, pool, 256);
            for (int i = 0; i + 1 < ids.length; i++) {
                float[] logits = s.decode(ids[i]);
                double sum = 0;
                for (float l : logits) sum += Math.exp(l);
                out[i + 1] = Math.log(Math.exp(logits[ids[i + 1]]) / sum);
            }
        }
        return out;
    }

    /** Greedy continuation straight from the engine: the ids, and each one's log probability. */
    private static List<double[]> engineGreedy(int[] prompt, int tokens) {
        List<double[]> out = new ArrayList<>();
        try (WorkerPool pool = new WorkerPool(1)) {
            InferenceSession s = new InferenceSession(model, pool, 256);
            float[] logits = s.prefill(prompt);
            for (int t = 0; t < tokens; t++) {
                int best = 0;
                double sum = 0;
                for (int i = 0; i < logits.length; i++) {
                    sum += Math.exp(logits[i]);
                    if (logits[i] > logits[best]) best = i;
                }
                out.add(new double[] {best, Math.log(Math.exp(logits[best]) / sum)});
                logits = s.decode(best);
            }
        }
        return out;
    }

    @Test
    void echoWithMaxTokensZeroReturnsThePromptsLogProbsAsTheEngineComputesThem() throws Exception {
        int[] ids = model.tokenizer().encode(TEXT, true, false);
        JsonNode r = post("/completions", body("prompt", TEXT, "max_tokens", 0, "echo", true, "logprobs", 1), 200);
        JsonNode choice = r.at("/choices/0");
        assertThat(choice.get("text").asText()).isEqualTo(TEXT);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
        assertThat(r.at("/usage/prompt_tokens").asInt()).isEqualTo(ids.length);
        assertThat(r.at("/usage/completion_tokens").asInt()).isZero();
        JsonNode lp = choice.get("logprobs");
        assertThat(lp.get("tokens")).hasSize(ids.length);
        assertThat(lp.get("token_logprobs")).hasSize(ids.length);
        assertThat(lp.get("top_logprobs")).hasSize(ids.length);
        assertThat(lp.get("text_offset")).hasSize(ids.length);
        assertThat(lp.at("/token_logprobs/0").isNull()).isTrue();
        assertThat(lp.at("/top_logprobs/0").isNull()).isTrue();
        double[] expected = engineLogProbs(ids);
        for (int i = 1; i < ids.length; i++) {
            double got = lp.get("token_logprobs").get(i).asDouble();
            assertThat(got).as("token %d", i).isNegative().isCloseTo(expected[i], within(1e-4));
            assertThat(lp.get("top_logprobs").get(i)).hasSizeLessThanOrEqualTo(1);
        }
        // The tokens' texts, at their offsets, make up the echoed text (an ASCII text: offsets are plain).
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            assertThat(lp.get("text_offset").get(i).asInt()).isEqualTo(joined.length());
            joined.append(lp.get("tokens").get(i).asText());
        }
        assertThat(joined.toString()).isEqualTo(TEXT);
    }

    @Test
    void tokenIdPromptsAreTakenExactlyWithoutBosAdded() throws Exception {
        int[] withBos = model.tokenizer().encode(TEXT, true, false);
        JsonNode asText = post("/completions", body("prompt", TEXT, "max_tokens", 0, "echo", true, "logprobs", 0), 200);
        JsonNode asIds = post("/completions", body("prompt", withBos, "max_tokens", 0, "echo", true, "logprobs", 0), 200);
        assertThat(asIds.at("/choices/0/text").asText()).isEqualTo(TEXT);
        assertThat(asIds.at("/usage/prompt_tokens").asInt()).isEqualTo(withBos.length);
        // Float rounding, not bit equality: the Vector API leaves the order of a lane reduction
        // open, so the same product can differ in its last bits between interpreted and compiled code.
        assertThat(doubles(asIds.at("/choices/0/logprobs/token_logprobs")))
                .containsExactly(doubles(asText.at("/choices/0/logprobs/token_logprobs")), within(1e-5));
        // logprobs 0: no alternatives, still each token's own log probability.
        assertThat(asIds.at("/choices/0/logprobs/top_logprobs/1")).isEmpty();

        int[] noBos = Arrays.copyOfRange(withBos, 1, withBos.length);
        JsonNode bare = post("/completions", "{\"prompt\":[" + ids(noBos) + "],\"max_tokens\":0,\"echo\":true,\"logprobs\":1}", 200);
        assertThat(bare.at("/usage/prompt_tokens").asInt()).isEqualTo(noBos.length);
        JsonNode lp = bare.at("/choices/0/logprobs/token_logprobs");
        assertThat(lp).hasSize(noBos.length);
        assertThat(lp.get(0).isNull()).isTrue();
        double[] expected = engineLogProbs(noBos);
        // The server prefills the prompt as one batch (the batched product), the reference decodes it
        // one token at a time (the single-row product): the same sums in another order, rounded
        // through an F16 cache, so close in float terms, not equal: a fresh clone's CI once read
        // 3.5e-4 apart at -4.2. Dropping or adding a BOS moves these by far more than 1e-3.
        for (int i = 1; i < noBos.length; i++) assertThat(lp.get(i).asDouble()).isCloseTo(expected[i], within(1e-3));

        // The one-prompt array of arrays, and generation from ids: the same greedy text as from the text.
        JsonNode nested = post("/completions", "{\"prompt\":[[" + ids(withBos) + "]],\"max_tokens\":8,\"temperature\":0}", 200);
        JsonNode fromText = post("/completions", body("prompt", TEXT, "max_tokens", 8, "temperature", 0), 200);
        assertThat(nested.at("/choices/0/text").asText()).isEqualTo(fromText.at("/choices/0/text").asText());
    }

    @Test
    void topLogprobsAreTheMostLikelyInOrderAndIncludeTheChosenTokenWhereItIsAmongThem() throws Exception {
        JsonNode lp = post("/completions", body("prompt", TEXT, "max_tokens", 0, "echo", true, "logprobs", 5), 200).at("/choices/0/logprobs");
        int chosenAmongTop = 0;
        for (int i = 1; i < lp.get("tokens").size(); i++) {
            JsonNode top = lp.get("top_logprobs").get(i);
            assertThat(top.size()).isBetween(1, 5);
            double previous = 0;
            Iterator<Map.Entry<String, JsonNode>> fields = top.fields();
            while (fields.hasNext()) {
                double v = fields.next().getValue().asDouble();
                assertThat(v).isLessThanOrEqualTo(previous);
                previous = v;
            }
            double chosen = lp.get("token_logprobs").get(i).asDouble();
            assertThat(top.fields().next().getValue().asDouble()).isGreaterThanOrEqualTo(chosen);
            JsonNode same = top.get(lp.get("tokens").get(i).asText());
            if (same != null) {
                assertThat(same.asDouble()).isCloseTo(chosen, within(1e-12));
                chosenAmongTop++;
            }
        }
        assertThat(chosenAmongTop).as("a story model predicts most tokens of a story").isGreaterThan(lp.get("tokens").size() / 2);
    }

    @Test
    void generatedTokensCarryTheirLogProbsWholeAndStreamed() throws Exception {
        int[] ids = model.tokenizer().encode("Once upon a time", true, false);
        List<double[]> greedy = engineGreedy(ids, 12);
        JsonNode whole = post("/completions", body("prompt", "Once upon a time", "max_tokens", 12, "temperature", 0, "logprobs", 3), 200);
        String text = whole.at("/choices/0/text").asText();
        JsonNode lp = whole.at("/choices/0/logprobs");
        assertThat(lp.get("tokens")).hasSize(12);
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            assertThat(lp.get("text_offset").get(i).asInt()).isEqualTo(joined.length());
            joined.append(lp.get("tokens").get(i).asText());
            double chosen = lp.get("token_logprobs").get(i).asDouble();
            assertThat(chosen).isCloseTo(greedy.get(i)[1], within(1e-4));
            // Greedy picks the most likely token: it leads its top list.
            assertThat(lp.get("top_logprobs").get(i).get(lp.get("tokens").get(i).asText()).asDouble()).isEqualTo(chosen);
            assertThat(lp.get("top_logprobs").get(i)).hasSizeLessThanOrEqualTo(3);
        }
        assertThat(joined.toString()).isEqualTo(text);

        // Streamed: each chunk carries the log probabilities of its own tokens; together, the same.
        JsonNode streamed = concatenated(streamChunks("/completions",
                body("prompt", "Once upon a time", "max_tokens", 12, "temperature", 0, "logprobs", 3, "stream", true)), false);
        assertThat(streamed.get("text").asText()).isEqualTo(text);
        assertThat(streamed.get("logprobs").get("tokens")).isEqualTo(lp.get("tokens"));
        assertThat(streamed.get("logprobs").get("text_offset")).isEqualTo(lp.get("text_offset"));
        assertThat(doubles(streamed.get("logprobs").get("token_logprobs"))).containsExactly(doubles(lp.get("token_logprobs")), within(1e-4));

        // Echo with generation: the prompt's entries, then the generated ones, offsets running on through the text.
        JsonNode both = post("/completions", body("prompt", "Once upon a time", "max_tokens", 12, "temperature", 0, "logprobs", 3, "echo", true), 200);
        assertThat(both.at("/choices/0/text").asText()).isEqualTo("Once upon a time" + text);
        JsonNode all = both.at("/choices/0/logprobs");
        assertThat(all.get("tokens")).hasSize(ids.length + 12);
        assertThat(all.get("text_offset").get(ids.length).asInt()).isEqualTo("Once upon a time".length());
        assertThat(all.get("token_logprobs").get(ids.length + 3).asDouble()).isCloseTo(greedy.get(3)[1], within(1e-4));
        JsonNode bothStreamed = concatenated(streamChunks("/completions",
                body("prompt", "Once upon a time", "max_tokens", 12, "temperature", 0, "logprobs", 3, "echo", true, "stream", true)), false);
        assertThat(bothStreamed.get("text").asText()).isEqualTo("Once upon a time" + text);
        assertThat(bothStreamed.get("logprobs").get("tokens")).isEqualTo(all.get("tokens"));
        assertThat(bothStreamed.get("logprobs").get("text_offset")).isEqualTo(all.get("text_offset"));
    }

    @Test
    void chatGeneratedTokensCarryLogProbsBytesAndAlternatives() throws Exception {
        int[] ids = model.tokenizer().encode("Lily", true, false);
        List<double[]> greedy = engineGreedy(ids, 10);
        String request = "{\"messages\":[{\"role\":\"user\",\"content\":\"Lily\"}],\"max_tokens\":10,\"temperature\":0,\"ignore_eos\":true,"
                + "\"logprobs\":true,\"top_logprobs\":2";
        JsonNode whole = post("/chat/completions", request + "}", 200);
        JsonNode content = whole.at("/choices/0/logprobs/content");
        assertThat(content).hasSize(10);
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            JsonNode e = content.get(i);
            String token = e.get("token").asText();
            joined.append(token);
            assertThat(new String(bytes(e.get("bytes")), StandardCharsets.UTF_8)).isEqualTo(token);
            assertThat(e.get("logprob").asDouble()).isCloseTo(greedy.get(i)[1], within(1e-4));
            JsonNode top = e.get("top_logprobs");
            assertThat(top).hasSize(2);
            assertThat(top.get(0).get("token").asText()).isEqualTo(token);
            assertThat(top.get(0).get("logprob").asDouble()).isEqualTo(e.get("logprob").asDouble());
            assertThat(top.get(1).get("logprob").asDouble()).isLessThanOrEqualTo(top.get(0).get("logprob").asDouble());
        }
        assertThat(joined.toString()).isEqualTo(whole.at("/choices/0/message/content").asText());

        JsonNode streamed = concatenated(streamChunks("/chat/completions", request + ",\"stream\":true}"), true);
        assertThat(streamed.get("text").asText()).isEqualTo(joined.toString());
        JsonNode streamedContent = streamed.at("/logprobs/content");
        assertThat(streamedContent).hasSize(10);
        for (int i = 0; i < 10; i++) {
            assertThat(streamedContent.get(i).get("token")).isEqualTo(content.get(i).get("token"));
            assertThat(streamedContent.get(i).get("logprob").asDouble()).isCloseTo(content.get(i).get("logprob").asDouble(), within(1e-4));
        }
        // Not asked: logprobs null, as OpenAI answers.
        JsonNode plain = post("/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"Lily\"}],\"max_tokens\":2}", 200);
        assertThat(plain.at("/choices/0/logprobs").isNull()).isTrue();
    }

    @Test
    void badLogProbRequestsGetOpenAiErrors() throws Exception {
        String chat = "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_tokens\":2,";
        assertThat(error("/completions", "{\"prompt\":\"x\",\"logprobs\":50}", "logprobs")).contains("0..20");
        assertThat(error("/completions", "{\"prompt\":\"x\",\"logprobs\":true}", "logprobs")).contains("0..20");
        assertThat(error("/completions", "{\"prompt\":\"x\",\"top_logprobs\":2}", "top_logprobs")).contains("chat parameter");
        assertThat(error("/chat/completions", chat + "\"top_logprobs\":2}", "top_logprobs")).contains("needs logprobs: true");
        assertThat(error("/chat/completions", chat + "\"logprobs\":true,\"top_logprobs\":21}", "top_logprobs")).contains("0..20");
        assertThat(error("/chat/completions", chat + "\"logprobs\":2}", "logprobs")).contains("true or false");
        assertThat(error("/chat/completions", chat + "\"echo\":true}", "echo")).contains("/v1/completions");
        int vocab = model.config().vocabSize();
        assertThat(error("/completions", "{\"prompt\":[1," + vocab + "],\"max_tokens\":0,\"echo\":true,\"logprobs\":1}", "prompt"))
                .contains("token id " + vocab).contains("outside the vocabulary");
        assertThat(error("/completions", "{\"prompt\":[1,-3],\"max_tokens\":1}", "prompt")).contains("non-negative integers");
        assertThat(error("/completions", "{\"prompt\":[1,2.5],\"max_tokens\":1}", "prompt")).contains("non-negative integers");
        assertThat(error("/completions", "{\"prompt\":[],\"max_tokens\":1}", "prompt")).contains("must not be empty");
        assertThat(error("/completions", "{\"prompt\":[[1,2],[3]],\"max_tokens\":1}", "prompt")).contains("one prompt per request");
        assertThat(error("/completions", "{\"prompt\":\"x\",\"max_tokens\":0,\"logprobs\":1}", "max_tokens")).contains("only with echo");
        String tooLong = ids(new int[300]);
        assertThat(error("/completions", "{\"prompt\":[" + tooLong + "],\"max_tokens\":0,\"echo\":true}", "max_tokens")).contains("context is 256");
    }

    @Test
    void echoWithoutLogprobsReturnsThePromptText() throws Exception {
        JsonNode r = post("/completions", body("prompt", "Once upon", "max_tokens", 0, "echo", true), 200);
        assertThat(r.at("/choices/0/text").asText()).isEqualTo("Once upon");
        assertThat(r.at("/choices/0/logprobs").isNull()).isTrue();
        JsonNode s = concatenated(streamChunks("/completions", body("prompt", "Once upon", "max_tokens", 3, "echo", true, "temperature", 0,
                "stream", true)), false);
        assertThat(s.get("text").asText()).startsWith("Once upon").hasSizeGreaterThan("Once upon".length());
    }

    private static String body(Object... pairs) {
        ObjectNode o = JSON.createObjectNode();
        for (int i = 0; i < pairs.length; i += 2) o.set((String) pairs[i], JSON.valueToTree(pairs[i + 1]));
        return o.toString();
    }

    private static String ids(int[] ids) {
        return String.join(",", Arrays.stream(ids).mapToObj(Integer::toString).toList());
    }

    /** The numbers of an array; null (the first prompt token) as 0, which no log probability here is. */
    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).isNull() ? 0 : array.get(i).asDouble();
        return out;
    }

    private static byte[] bytes(JsonNode array) {
        byte[] out = new byte[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = (byte) array.get(i).asInt();
        return out;
    }

    /** The text of the chunks and their log probabilities' arrays, each concatenated. */
    private static ObjectNode concatenated(List<JsonNode> chunks, boolean chat) {
        StringBuilder text = new StringBuilder();
        ObjectNode logprobs = JSON.createObjectNode();
        for (JsonNode c : chunks) {
            JsonNode choice = c.at("/choices/0");
            if (choice.isMissingNode()) continue;
            text.append(chat ? choice.at("/delta/content").asText("") : choice.get("text").asText());
            JsonNode lp = choice.get("logprobs");
            if (lp == null || lp.isNull()) continue;
            lp.fields().forEachRemaining(f -> {
                if (!logprobs.has(f.getKey())) logprobs.putArray(f.getKey());
                ((ArrayNode) logprobs.get(f.getKey())).addAll((ArrayNode) f.getValue());
            });
        }
        ObjectNode out = JSON.createObjectNode().put("text", text.toString());
        out.set("logprobs", logprobs);
        return out;
    }

    private static List<JsonNode> streamChunks(String path, String body) throws Exception {
        try (HttpExchange ex = http.send("POST", URI.create(base + path), Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8))) {
            assertThat(ex.status()).isEqualTo(200);
            var reader = new EventStreamReader(ex.body(), EventStreamReader.Framing.SSE, ex::lastArrivalNanos);
            List<JsonNode> chunks = new ArrayList<>();
            StreamEvent e;
            while ((e = reader.next()) != null && !e.data().equals("[DONE]")) chunks.add(JSON.readTree(e.data()));
            return chunks;
        }
    }

    /** Posts a request that must be refused with 400 naming {@code param}; returns the message. */
    private static String error(String path, String body, String param) throws Exception {
        JsonNode e = post(path, body, 400).get("error");
        assertThat(e.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(e.get("param").asText()).isEqualTo(param);
        return e.get("message").asText();
    }

    private static JsonNode post(String path, String body, int expectedStatus) throws Exception {
        try (HttpExchange ex = http.send("POST", URI.create(base + path), Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8))) {
            String text = ex.readBodyText(1 << 22);
            assertThat(ex.status()).as(text).isEqualTo(expectedStatus);
            return JSON.readTree(text);
        }
    }
}
