package io.toks.http.openai;

import io.toks.http.client.EventStreamReader;
import java.net.URI;
import java.util.Locale;

/** Which streaming API a server speaks. */
public enum ApiFlavor {
    /** OpenAI {@code POST /v1/chat/completions}: SSE, text in {@code choices[0].delta.content}. */
    CHAT("chat/completions", EventStreamReader.Framing.SSE),
    /** OpenAI {@code POST /v1/completions}: SSE, text in {@code choices[0].text}. */
    COMPLETIONS("completions", EventStreamReader.Framing.SSE),
    /** Ollama's native {@code POST /api/generate}: NDJSON, text in {@code response}. */
    OLLAMA("/api/generate", EventStreamReader.Framing.NDJSON);

    private final String path;
    private final EventStreamReader.Framing framing;

    ApiFlavor(String path, EventStreamReader.Framing framing) {
        this.path = path;
        this.framing = framing;
    }

    public EventStreamReader.Framing framing() {
        return framing;
    }

    /**
     * The endpoint for a base URL: OpenAI paths are relative to the base (which usually ends in
     * {@code /v1}); Ollama's is absolute on the host.
     */
    public URI endpoint(URI base) {
        if (path.startsWith("/")) return base.resolve(path);
        String b = base.toString();
        return URI.create(b.endsWith("/") ? b + path : b + "/" + path);
    }

    public static ApiFlavor parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "chat" -> CHAT;
            case "completions", "completion" -> COMPLETIONS;
            case "ollama" -> OLLAMA;
            default -> throw new IllegalArgumentException("unknown API '" + name + "': chat, completions or ollama");
        };
    }
}
