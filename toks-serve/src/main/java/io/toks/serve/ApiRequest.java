package io.toks.serve;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated {@code /v1/completions} or {@code /v1/chat/completions} request.
 *
 * @param chat  chat completions (messages) rather than completions (prompt)
 * @param maxTokens most tokens to generate; 0 when a chat request did not say: then until the
 *                  end of sequence or a full context, as OpenAI-compatible servers do
 * @param prompt the text to continue: the prompt, or the messages' contents joined by newlines
 *               (this server applies no chat template; the embedded model has none)
 */
record ApiRequest(boolean chat, String prompt, int maxTokens, int minTokens, float temperature, float topP, int topK,
                  Long seed, List<String> stop, boolean ignoreEos, boolean stream, boolean includeUsage,
                  boolean continuousUsage) {

    /** A request the server refuses, with the parameter at fault. */
    static final class Invalid extends Exception {
        final String param;

        Invalid(String param, String message) {
            super(message);
            this.param = param;
        }
    }

    static ApiRequest parse(JsonNode o, boolean chat, int maxTokensLimit) throws Invalid {
        if (o == null || !o.isObject()) throw new Invalid(null, "the body must be a JSON object");
        String prompt;
        if (chat) {
            JsonNode messages = o.get("messages");
            if (messages == null || !messages.isArray() || messages.isEmpty()) throw new Invalid("messages", "'messages' must be a non-empty array");
            StringBuilder sb = new StringBuilder();
            for (JsonNode m : messages) {
                if (!sb.isEmpty()) sb.append('\n');
                sb.append(content(m.get("content")));
            }
            prompt = sb.toString();
        } else {
            JsonNode p = o.get("prompt");
            // A one-element array is what several clients send for one prompt.
            if (p != null && p.isArray() && p.size() == 1 && p.get(0).isTextual()) p = p.get(0);
            if (p != null && p.isArray()) throw new Invalid("prompt", "one text prompt per request (token ids and several prompts are not supported)");
            if (p == null || !p.isTextual()) throw new Invalid("prompt", "'prompt' must be a string");
            prompt = p.asText();
        }
        // Refused rather than ignored: a client asking for these would get less than it asked for, silently.
        if (o.hasNonNull("n") && !(o.get("n").canConvertToInt() && o.get("n").asInt() == 1)) throw new Invalid("n", "only n = 1 is supported");
        if (o.hasNonNull("logprobs") && !(o.get("logprobs").isBoolean() && !o.get("logprobs").asBoolean())) {
            throw new Invalid("logprobs", "logprobs are not supported");
        }
        if (o.hasNonNull("top_logprobs")) throw new Invalid("top_logprobs", "logprobs are not supported");
        boolean limited = o.has("max_tokens") || o.has("max_completion_tokens") || !chat;
        int maxTokens = intParam(o, "max_tokens", chat ? 0 : 16);
        if (o.has("max_completion_tokens")) maxTokens = intParam(o, "max_completion_tokens", maxTokens);
        if (limited && (maxTokens < 1 || maxTokens > maxTokensLimit)) throw new Invalid("max_tokens", "max_tokens must be in 1.." + maxTokensLimit + ", got " + maxTokens);
        int minTokens = intParam(o, "min_tokens", 0);
        if (minTokens < 0) throw new Invalid("min_tokens", "min_tokens must be >= 0");
        double temperature = number(o, "temperature", 1.0);
        if (!(temperature >= 0 && temperature <= 2)) throw new Invalid("temperature", "temperature must be in [0, 2]");
        double topP = number(o, "top_p", 1.0);
        if (!(topP > 0 && topP <= 1)) throw new Invalid("top_p", "top_p must be in (0, 1]");
        int topK = intParam(o, "top_k", 0);
        if (topK < 0) throw new Invalid("top_k", "top_k must be >= 0");
        Long seed = null;
        if (o.hasNonNull("seed")) {
            if (!o.get("seed").canConvertToLong()) throw new Invalid("seed", "seed must be an integer");
            seed = o.get("seed").asLong();
        }
        List<String> stop = new ArrayList<>();
        JsonNode s = o.get("stop");
        if (s != null && !s.isNull()) {
            if (s.isTextual()) stop.add(s.asText());
            else if (s.isArray() && s.size() <= 4) for (JsonNode e : s) {
                if (!e.isTextual() || e.asText().isEmpty()) throw new Invalid("stop", "stop must be a string or up to 4 non-empty strings");
                stop.add(e.asText());
            }
            else throw new Invalid("stop", "stop must be a string or up to 4 non-empty strings");
        }
        boolean ignoreEos = bool(o, "ignore_eos");
        boolean stream = bool(o, "stream");
        JsonNode opts = o.path("stream_options");
        if (!stream && opts.isObject() && !opts.isEmpty()) throw new Invalid("stream_options", "stream_options needs stream: true");
        return new ApiRequest(chat, prompt, maxTokens, minTokens, (float) temperature, (float) topP, topK, seed, stop,
                ignoreEos, stream, opts.path("include_usage").asBoolean(false), opts.path("continuous_usage_stats").asBoolean(false));
    }

    /** A message's text: a string, or the text parts of a content-part array. */
    private static String content(JsonNode content) throws Invalid {
        if (content != null && content.isTextual()) return content.asText();
        if (content != null && content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw new Invalid("messages", "only text content parts are supported");
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        throw new Invalid("messages", "each message needs a string 'content' or an array of text parts");
    }

    private static int intParam(JsonNode o, String name, int dflt) throws Invalid {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) return dflt;
        if (!n.isIntegralNumber() || !n.canConvertToInt()) throw new Invalid(name, name + " must be an integer");
        return n.asInt();
    }

    private static double number(JsonNode o, String name, double dflt) throws Invalid {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) return dflt;
        if (!n.isNumber()) throw new Invalid(name, name + " must be a number");
        return n.asDouble();
    }

    private static boolean bool(JsonNode o, String name) throws Invalid {
        JsonNode n = o.get(name);
        if (n == null || n.isNull()) return false;
        if (!n.isBoolean()) throw new Invalid(name, name + " must be true or false");
        return n.asBoolean();
    }
}
