package io.toks.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.toks.core.meter.TokenMeter;
import io.toks.core.meter.TokenStats;
import io.toks.core.result.ResultJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Sample 02: a meter around streaming calls to an OpenAI-compatible server.
 *
 * <p>Your code calls a server (vLLM, llama.cpp's server, Ollama, toks serve, a hosted API) with
 * the JDK's {@link HttpClient} and streams the answer. The meter times what your code sees:
 * when the request left, when each chunk of text arrived, when the stream ended. Several threads
 * share one meter, as the threads of a service would.
 *
 * <p>What to look at:
 * <ol>
 *   <li>Counting tokens honestly. A streamed chunk may carry several tokens (a server batches
 *       them, or holds back half a character). Asked for {@code stream_options.continuous_usage_stats}
 *       (vLLM, toks serve), the server states its running count in every chunk, and the increase
 *       is what the chunk carried: {@code call.tokens(n)}. Without it, each text chunk counts one
 *       token, and the final {@code usage} ({@code include_usage}) corrects the total; the
 *       result then says how many calls' counts disagreed, and their gaps are not used as
 *       inter-token latency.</li>
 *   <li>Failures: {@code call.failed()} inside the try, before the call closes, keeps a failed
 *       call out of every latency and token figure (it is counted as failed).</li>
 *   <li>The time of a chunk is when your code read it, which is what your users wait for.</li>
 * </ol>
 *
 * <p>Run against a server ({@code ./toks serve} serves the embedded model on 127.0.0.1:8080):
 * {@code java -cp toks-samples/target/toks-samples.jar io.toks.samples.Sample02_MeterAroundAnHttpClient
 * [URL [MODEL [CALLS [THREADS [OUT.json]]]]]}; defaults: http://127.0.0.1:8080/v1, the server's
 * first model, 16 calls, 4 threads.
 */
public class Sample02_MeterAroundAnHttpClient {

    static final ObjectMapper JSON = new ObjectMapper();
    static final int MAX_TOKENS = 32;

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "http://127.0.0.1:8080/v1";
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String model = args.length > 1 ? args[1] : firstModel(http, url);

        TokenMeter meter = TokenMeter.create(model);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                String prompt = "Once upon a time, call " + i + ",";
                done.add(pool.submit(() -> {
                    streamOneCompletion(http, url, model, prompt, meter);
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        }

        TokenStats stats = meter.stats();
        System.out.println(stats);
        if (args.length > 4) {
            Path out = Path.of(args[4]);
            Files.writeString(out, ResultJson.write(meter.result()));
            System.out.println("wrote " + out + " (./toks report " + out + " -o report.html)");
        }
    }

    /** One streamed chat completion, measured. */
    static void streamOneCompletion(HttpClient http, String url, String model, String prompt, TokenMeter meter)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(model, prompt)))
                .build();
        // The prompt's tokens are not counted here (that needs the model's tokenizer): 0 now, and
        // the server's usage at the end replaces it.
        try (TokenMeter.Call call = meter.start(0)) {
            try {
                HttpResponse<Stream<String>> response = http.send(request, HttpResponse.BodyHandlers.ofLines());
                if (response.statusCode() != 200) {
                    call.failed();
                    response.body().close();
                    return;
                }
                try (Stream<String> lines = response.body()) {
                    readStream(lines.iterator(), call);
                }
            } catch (IOException | RuntimeException e) {
                call.failed();                  // before the try-with-resources closes the call
                throw e;
            }
        }
    }

    /** Server-sent events: each {@code data:} line is a JSON chunk, until {@code [DONE]}. */
    static void readStream(Iterator<String> lines, TokenMeter.Call call) throws IOException {
        int counted = 0;                        // tokens reported to the meter so far
        JsonNode usage = null;                  // the server's latest counts
        while (lines.hasNext()) {
            String line = lines.next();
            if (!line.startsWith("data:")) continue;
            String data = line.substring(5).strip();
            if (data.equals("[DONE]")) break;
            JsonNode chunk = JSON.readTree(data);
            if (chunk.has("error")) throw new IOException("the server reported an error: " + chunk.get("error"));
            if (chunk.hasNonNull("usage")) usage = chunk.get("usage");
            String text = chunk.path("choices").path(0).path("delta").path("content").asText("");
            if (text.isEmpty()) continue;       // the role announcement, the finish, the usage chunk
            int tokens;
            if (chunk.hasNonNull("usage")) {
                // Continuous usage: the running count says how many tokens this chunk carried.
                tokens = chunk.get("usage").path("completion_tokens").asInt() - counted;
                if (tokens <= 0) continue;      // text of tokens already counted (a held-back character)
            } else {
                tokens = 1;                     // nobody said: one per chunk, checked against usage at the end
            }
            call.tokens(tokens);
            counted += tokens;
        }
        if (usage != null) call.usage(usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt());
    }

    static String body(String model, String prompt) {
        ObjectNode body = JSON.createObjectNode().put("model", model).put("max_tokens", MAX_TOKENS).put("stream", true);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        // include_usage: the counts at the end (OpenAI, vLLM, llama.cpp, toks serve); continuous_usage_stats: in every
        // chunk too (vLLM, toks serve). Leave the second out for a server that refuses parameters it does not know.
        body.putObject("stream_options").put("include_usage", true).put("continuous_usage_stats", true);
        return body.toString();
    }

    /** The first model the server lists at {@code /models}. */
    static String firstModel(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/models")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode models = JSON.readTree(response.body()).path("data");
        if (models.isEmpty()) throw new IOException(url + "/models lists no model (HTTP " + response.statusCode() + ")");
        return models.get(0).path("id").asText();
    }
}
