package io.toks.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.toks.engine.ModelLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /metrics after real requests on the embedded model: each request the engine took is one
 * count of the server's duration and TTFT, and the token usage it published adds up to the usage
 * the clients were told, whole or streamed, cut short by a stop string or not.
 */
class ServerMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static GenerationScheduler scheduler;
    private static OpenAiServer server;
    private static OpenAiServer plainServer;

    @BeforeAll
    static void start() throws Exception {
        scheduler = new GenerationScheduler(ModelLoader.loadEmbedded(), 1, 2, 256, 16);
        server = new OpenAiServer(scheduler, "stories260K", "127.0.0.1", 0, 200, 1 << 16, new ServerMetrics());
        plainServer = new OpenAiServer(scheduler, "stories260K", "127.0.0.1", 0, 200, 1 << 16);
    }

    @AfterAll
    static void stop() {
        server.close();
        plainServer.close();
        scheduler.close();
    }

    private static HttpResponse<String> send(OpenAiServer to, String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The usage block of a whole response, or of the last event of a stream that asked for it. */
    private static JsonNode usage(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        if (!response.body().startsWith("data: ")) return JSON.readTree(response.body()).get("usage");
        List<String> events = Arrays.stream(response.body().split("\n\n")).map(e -> e.substring("data: ".length()))
                .filter(e -> !e.equals("[DONE]")).toList();
        return JSON.readTree(events.getLast()).get("usage");
    }

    /** The sum of a metric's samples whose labels include every given {@code key="value"}. */
    static double sample(String scrape, String name, String... labels) {
        return scrape.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void everyServedRequestIsScrapedWithTheUsageItsClientGot() throws Exception {
        List<JsonNode> chats = List.of(
                usage(send(server, "POST", "/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],"
                        + "\"max_tokens\":12,\"ignore_eos\":true,\"stream\":true,\"stream_options\":{\"include_usage\":true}}")),
                usage(send(server, "POST", "/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"Lily\"}],\"max_tokens\":20,\"ignore_eos\":true}")),
                // Greedy text that says "park" within 40 tokens: the stop string ends it early, the slot is freed.
                usage(send(server, "POST", "/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],"
                        + "\"max_tokens\":40,\"temperature\":0,\"stop\":[\"park\"]}")));
        JsonNode completion = usage(send(server, "POST", "/v1/completions", "{\"prompt\":\"Once upon a time\",\"max_tokens\":8,\"ignore_eos\":true}"));
        assertThat(send(server, "POST", "/v1/completions", "{\"prompt\":\"x\",\"max_tokens\":0}").statusCode())
                .as("a refused request never reaches the engine").isEqualTo(400);

        HttpResponse<String> scraped = send(server, "GET", "/metrics", null);
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        String text = scraped.body();
        String chat = "gen_ai_operation_name=\"chat\"";
        String model = "gen_ai_request_model=\"stories260K\"";
        String provider = "gen_ai_provider_name=\"toks\"";
        int chatOutput = chats.stream().mapToInt(u -> u.get("completion_tokens").asInt()).sum();
        int chatInput = chats.stream().mapToInt(u -> u.get("prompt_tokens").asInt()).sum();
        assertThat(chats.get(2).get("completion_tokens").asInt()).as("the stop string cut the third chat short").isLessThan(40);

        assertThat(sample(text, "gen_ai_client_token_usage_sum", chat, model, provider, "gen_ai_token_type=\"output\"")).isEqualTo(chatOutput);
        assertThat(sample(text, "gen_ai_client_token_usage_sum", chat, "gen_ai_token_type=\"input\"")).isEqualTo(chatInput);
        assertThat(sample(text, "gen_ai_client_token_usage_sum", "gen_ai_operation_name=\"text_completion\"", "gen_ai_token_type=\"output\""))
                .isEqualTo(completion.get("completion_tokens").asInt());
        assertThat(sample(text, "gen_ai_client_token_usage_count", "gen_ai_token_type=\"output\"", "toks_count_source=\"engine_ids\"")).isEqualTo(4);

        assertThat(sample(text, "gen_ai_server_request_duration_seconds_count", chat)).isEqualTo(3);
        assertThat(sample(text, "gen_ai_server_time_to_first_token_seconds_count", chat)).isEqualTo(3);
        assertThat(sample(text, "gen_ai_server_time_to_first_token_seconds_sum", chat)).isPositive();
        assertThat(sample(text, "gen_ai_server_time_per_output_token_seconds_count", chat)).isEqualTo(3);
        // One gap between each two consecutive tokens of a request.
        assertThat(sample(text, "toks_inter_token_latency_seconds_count", chat)).isEqualTo(chatOutput - 3);
        assertThat(sample(text, "toks_decode_tps_count", chat)).isEqualTo(3);
        assertThat(sample(text, "toks_prefill_tps_count", chat)).isEqualTo(3);
        assertThat(text).contains("gen_ai_server_time_to_first_token_seconds_bucket{" + chat + "," + provider + "," + model + ",le=\"0.001\"}");
    }

    @Test
    void aClientThatGoesAwayMidStreamIsCountedAsCut() throws Exception {
        try (var own = new OpenAiServer(scheduler, "stories260K", "127.0.0.1", 0, 200, 1 << 16, new ServerMetrics());
             var socket = new java.net.Socket("127.0.0.1", own.port())) {
            String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"Lily\"}],\"max_tokens\":200,\"ignore_eos\":true,\"stream\":true}";
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(socket.getInputStream().read(new byte[256])).as("the stream started").isPositive();
            socket.setSoLinger(true, 0);
            socket.close(); // a reset: the server's next writes fail
            String cut = "error_type=\"cut\"";
            long deadline = System.nanoTime() + 20_000_000_000L;
            String text = send(own, "GET", "/metrics", null).body();
            while (sample(text, "gen_ai_server_request_duration_seconds_count", cut) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                text = send(own, "GET", "/metrics", null).body();
            }
            assertThat(sample(text, "gen_ai_server_request_duration_seconds_count", cut, "gen_ai_operation_name=\"chat\"")).isEqualTo(1);
            assertThat(sample(text, "gen_ai_server_time_to_first_token_seconds_count")).as("only the duration of a failed request").isZero();
        }
    }

    @Test
    void withoutMetricsThereIsNoEndpoint() throws Exception {
        HttpResponse<String> response = send(plainServer, "GET", "/metrics", null);
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).at("/error/message").asText()).contains("started without metrics");
    }
}
