package io.toks.bench.quality;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.toks.core.ToksException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The log-probability a server gives each token of a prompt, through the OpenAI completions API
 * as vLLM and {@code toks serve} offer it: the prompt sent as token ids with {@code echo} and
 * {@code logprobs}, one token generated (some servers refuse zero), and the first
 * {@code tokens.length} entries of {@code token_logprobs} read (the first is null: nothing
 * precedes it).
 */
final class ServerPromptScorer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI completions;
    private final String model;
    private final String apiKey;
    /** 0 first (nothing generated, so a chunk as long as the server's context fits); 1 where a server refuses 0. */
    private int maxTokens = 0;

    /** @param base the API's base URL, e.g. {@code http://127.0.0.1:8000/v1} */
    ServerPromptScorer(URI base, String model, String apiKey) {
        String b = base.toString();
        this.completions = URI.create((b.endsWith("/") ? b : b + "/") + "completions");
        this.model = model;
        this.apiKey = apiKey;
    }

    /** log p(token i | tokens before it) for i = 1..n-1; index 0 is NaN. */
    double[] logProbs(int[] tokens) {
        HttpResponse<String> response = send(tokens);
        if (maxTokens == 0 && response.statusCode() == 400) {
            maxTokens = 1; // some servers (vLLM) want at least one generated token, even with echo
            response = send(tokens);
        }
        if (response.statusCode() != 200) {
            throw new ToksException(completions + " answered HTTP " + response.statusCode() + ": " + firstLine(response.body())
                    + " (prompt log probabilities need /v1/completions with echo and logprobs, as vLLM and toks serve offer)");
        }
        return parse(response, tokens.length);
    }

    private HttpResponse<String> send(int[] tokens) {
        ObjectNode body = JSON.createObjectNode().put("model", model).put("max_tokens", maxTokens).put("echo", true)
                .put("logprobs", 0).put("temperature", 0);
        var prompt = body.putArray("prompt");
        for (int t : tokens) prompt.add(t);
        HttpRequest.Builder request = HttpRequest.newBuilder(completions).timeout(Duration.ofMinutes(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (apiKey != null) request.header("Authorization", "Bearer " + apiKey);
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e instanceof java.net.ConnectException ? "connection refused" : e.toString();
            throw new ToksException("cannot reach " + completions + ": " + why + " (is the server running?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToksException("interrupted while asking " + completions);
        }
        return response;
    }

    private double[] parse(HttpResponse<String> response, int n) {
        JsonNode values;
        try {
            values = JSON.readTree(response.body()).path("choices").path(0).path("logprobs").path("token_logprobs");
        } catch (IOException e) {
            throw new ToksException(completions + " answered something that is not JSON: " + firstLine(response.body()));
        }
        if (!values.isArray() || values.size() < n) {
            throw new ToksException(completions + " did not return the prompt's log probabilities (got "
                    + (values.isArray() ? values.size() + " for " + n + " prompt tokens" : "none")
                    + "): the server must support echo with logprobs on /v1/completions, as vLLM and toks serve do");
        }
        double[] out = new double[n];
        out[0] = Double.NaN;
        for (int i = 1; i < n; i++) {
            JsonNode v = values.get(i);
            if (!v.isNumber()) throw new ToksException(completions + " gave no log probability for prompt token " + i);
            out[i] = v.asDouble();
        }
        return out;
    }

    @Override
    public void close() {
        http.close();
    }

    private static String firstLine(String body) {
        String line = body == null ? "" : body.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
