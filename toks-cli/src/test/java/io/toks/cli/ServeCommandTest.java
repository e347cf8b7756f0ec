package io.toks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** toks serve as its options build it, without blocking on its shutdown hook: --metrics and GET /metrics. */
class ServeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final StringWriter err = new StringWriter();

    private ServeCommand.Running serve(String... flags) throws Exception {
        ServeCommand command = new ServeCommand();
        CommandLine cl = new CommandLine(command);
        cl.setErr(new PrintWriter(err, true));
        String[] base = {"--port", "0", "--threads", "1", "--parallel", "2", "--ctx-size", "256"};
        String[] args = Arrays.copyOf(base, base.length + flags.length);
        System.arraycopy(flags, 0, args, base.length, flags.length);
        cl.parseArgs(args);
        return command.start();
    }

    private static HttpResponse<String> send(ServeCommand.Running running, String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.server().port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the one sample of {@code name} whose labels include each of {@code labels}. */
    private static double sample(String scrape, String name, String... labels) {
        return scrape.lines().filter(l -> l.startsWith(name + "{")).filter(l -> Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void metricsCountEveryChatAndTheTokensItsClientWasTold() throws Exception {
        try (ServeCommand.Running running = serve("--metrics")) {
            assertThat(err.toString()).contains("toks serve: metrics at http://127.0.0.1:" + running.server().port() + "/metrics");
            int told = 0;
            for (int maxTokens : new int[] {5, 9, 14}) {
                HttpResponse<String> r = send(running, "POST", "/v1/chat/completions",
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}],\"max_tokens\":" + maxTokens + ",\"ignore_eos\":true}");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode usage = JSON.readTree(r.body()).get("usage");
                told += usage.get("completion_tokens").asInt();
            }
            HttpResponse<String> scraped = send(running, "GET", "/metrics", null);
            assertThat(scraped.statusCode()).isEqualTo(200);
            String text = scraped.body();
            assertThat(sample(text, "gen_ai_client_token_usage_sum", "gen_ai_token_type=\"output\"")).isEqualTo(told);
            assertThat(sample(text, "gen_ai_server_time_to_first_token_seconds_count", "gen_ai_operation_name=\"chat\"",
                    "gen_ai_request_model=\"stories260K\"")).isEqualTo(3);
            assertThat(sample(text, "gen_ai_server_request_duration_seconds_count")).isEqualTo(3);
        }
    }

    @Test
    void thePrefillChunkIsTheSchedulersAndSaidAtStart() throws Exception {
        try (ServeCommand.Running running = serve("--prefill-chunk", "16")) {
            assertThat(running.scheduler().prefillChunk()).isEqualTo(16);
            assertThat(err.toString()).contains("prefill chunks of 16");
        }
        assertThatThrownBy(() -> serve("--prefill-chunk", "0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--prefill-chunk must be in 1..4096");
    }

    @Test
    void withoutTheFlagThereIsNoMetricsEndpoint() throws Exception {
        try (ServeCommand.Running running = serve()) {
            assertThat(send(running, "GET", "/metrics", null).statusCode()).isEqualTo(404);
            assertThat(err.toString()).doesNotContain("/metrics");
        }
    }
}
