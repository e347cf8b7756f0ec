package io.toks.http.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.toks.http.client.HttpExchange;
import io.toks.http.client.StreamingHttpClient;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Asks a server which models it serves ({@code GET /models} of the OpenAI API). */
public final class ServerModels {

    private ServerModels() {}

    public static List<String> list(StreamingHttpClient http, URI baseUrl, String apiKey) throws IOException {
        String b = baseUrl.toString();
        URI uri = URI.create(b.endsWith("/") ? b + "models" : b + "/models");
        Map<String, String> headers = apiKey == null ? Map.of("Accept", "application/json")
                : Map.of("Accept", "application/json", "Authorization", "Bearer " + apiKey);
        try (HttpExchange ex = http.send("GET", uri, headers, new byte[0])) {
            String body = ex.readBodyText(1 << 20);
            if (ex.status() != 200) throw new IOException("GET " + uri + " answered HTTP " + ex.status());
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(body);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // The parser's own message names its internals; the user needs to know what came back.
                String start = body.strip().replaceAll("\\s+", " ");
                throw new IOException("GET " + uri + " did not answer JSON (it began: '"
                        + (start.length() > 60 ? start.substring(0, 60) + "..." : start) + "')");
            }
            List<String> ids = new ArrayList<>();
            for (JsonNode m : root.path("data")) if (m.hasNonNull("id")) ids.add(m.get("id").asText());
            return ids;
        }
    }
}
