package io.toks.http.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * A streamed generation request in any {@link ApiFlavor}. Output length is forced the ways
 * servers understand: {@code max_tokens} everywhere, {@code ignore_eos} and {@code min_tokens}
 * (vLLM, llama.cpp, SGLang, toks) when {@code forceLength}; usage is asked for with
 * {@code stream_options.include_usage}.
 *
 * @param temperature negative for the server's default
 * @param seed        null for none
 */
public record CompletionRequest(String model, String prompt, int maxTokens, boolean forceLength,
                                double temperature, Long seed) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public byte[] toJson(ApiFlavor flavor) {
        ObjectNode o = JSON.createObjectNode();
        o.put("model", model);
        switch (flavor) {
            case CHAT -> {
                o.putArray("messages").addObject().put("role", "user").put("content", prompt);
                common(o);
            }
            case COMPLETIONS -> {
                o.put("prompt", prompt);
                common(o);
            }
            case OLLAMA -> {
                o.put("prompt", prompt);
                o.put("stream", true);
                o.put("raw", true); // no chat template: the prompt's token count stays what was built
                ObjectNode options = o.putObject("options");
                options.put("num_predict", maxTokens);
                if (temperature >= 0) options.put("temperature", temperature);
                if (seed != null) options.put("seed", seed);
            }
        }
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void common(ObjectNode o) {
        o.put("max_tokens", maxTokens);
        o.put("stream", true);
        o.putObject("stream_options").put("include_usage", true);
        if (temperature >= 0) o.put("temperature", temperature);
        if (seed != null) o.put("seed", seed);
        if (forceLength) {
            o.put("ignore_eos", true);
            o.put("min_tokens", maxTokens);
        }
    }
}
