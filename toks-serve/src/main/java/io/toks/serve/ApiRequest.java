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
 *                  end of sequence or a full context, as OpenAI-compatible servers do; 0 on completions
 *                  only with echo (the prompt's log probabilities, nothing generated)
 * @param prompt the text to continue: the prompt, or the messages' contents joined by newlines
 *               (this server applies no chat template; the embedded model has none); null when
 *               the prompt came as token ids
 * @param promptIds the prompt as token ids exactly as sent (OpenAI's token-array form), or null;
 *                  not yet checked against the vocabulary, which the parser does not know
 * @param echo      completions: the prompt is returned before the generated text (and its tokens'
 *                  log probabilities when {@code logprobs} is asked)
 * @param logprobs  alternatives per token wanted with log probabilities (completions
 *                  {@code logprobs: N}; chat {@code logprobs: true} + {@code top_logprobs: N}),
 *                  or -1 when no log probabilities are wanted
 */
record ApiRequest(boolean chat, String prompt, int[] promptIds, int maxTokens, int minTokens, float temperature, float topP, int topK,
                  Long seed, List<String> stop, boolean ignoreEos, boolean stream, boolean includeUsage,
                  boolean continuousUsage, boolean echo, int logprobs) {

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
        String prompt = null;
        int[] promptIds = null;
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
            // A one-element array is what several clients send for one prompt (text, or a token-id array).
            if (p != null && p.isArray() && p.size() == 1 && (p.get(0).isTextual() || p.get(0).isArray())) p = p.get(0);
            if (p != null && p.isArray()) promptIds = tokenIds(p);
            else if (p == null || !p.isTextual()) throw new Invalid("prompt", "'prompt' must be a string or an array of token ids");
            else prompt = p.asText();
        }
        // Refused rather than ignored: a client asking for these would get less than it asked for, silently.
        if (o.hasNonNull("n") && !(o.get("n").canConvertToInt() && o.get("n").asInt() == 1)) throw new Invalid("n", "only n = 1 is supported");
        int logprobs = chat ? chatLogprobs(o) : completionLogprobs(o);
        boolean echo = bool(o, "echo");
        if (echo && chat) throw new Invalid("echo", "echo is a /v1/completions parameter");
        boolean limited = o.has("max_tokens") || o.has("max_completion_tokens") || !chat;
        int maxTokens = intParam(o, "max_tokens", chat ? 0 : 16);
        if (o.has("max_completion_tokens")) maxTokens = intParam(o, "max_completion_tokens", maxTokens);
        // max_tokens 0 with echo is how clients score a text (perplexity): the prompt's log probabilities, nothing generated.
        int minMaxTokens = echo ? 0 : 1;
        if (limited && (maxTokens < minMaxTokens || maxTokens > maxTokensLimit)) {
            throw new Invalid("max_tokens", "max_tokens must be in " + minMaxTokens + ".." + maxTokensLimit + ", got " + maxTokens
                    + (echo ? "" : " (0 only with echo: true, to score the prompt)"));
        }
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
        return new ApiRequest(chat, prompt, promptIds, maxTokens, minTokens, (float) temperature, (float) topP, topK, seed, stop,
                ignoreEos, stream, opts.path("include_usage").asBoolean(false), opts.path("continuous_usage_stats").asBoolean(false),
                echo, logprobs);
    }

    /** A prompt given as token ids; one prompt per request (an array of several prompts is refused). */
    private static int[] tokenIds(JsonNode array) throws Invalid {
        if (array.isEmpty()) throw new Invalid("prompt", "'prompt' must not be empty");
        int[] ids = new int[array.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode e = array.get(i);
            if (e.isTextual() || e.isArray()) throw new Invalid("prompt", "one prompt per request (several prompts are not supported)");
            if (!e.isIntegralNumber() || !e.canConvertToInt() || e.asInt() < 0) {
                throw new Invalid("prompt", "a token-id prompt must be an array of non-negative integers; element " + i + " is " + e);
            }
            ids[i] = e.asInt();
        }
        return ids;
    }

    /** Completions: {@code logprobs: N}, the alternatives per token; null (or false) for none. */
    private static int completionLogprobs(JsonNode o) throws Invalid {
        if (o.hasNonNull("top_logprobs")) throw new Invalid("top_logprobs", "top_logprobs is a chat parameter; completions take logprobs: N");
        JsonNode n = o.get("logprobs");
        if (n == null || n.isNull() || (n.isBoolean() && !n.asBoolean())) return -1;
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0 || n.asInt() > LogProbRequest.MAX_TOP) {
            throw new Invalid("logprobs", "logprobs must be an integer in 0.." + LogProbRequest.MAX_TOP + " (alternatives per token), got " + n);
        }
        return n.asInt();
    }

    /** Chat: {@code logprobs: true} and {@code top_logprobs: N} (0 when not given). */
    private static int chatLogprobs(JsonNode o) throws Invalid {
        boolean wanted = bool(o, "logprobs");
        JsonNode n = o.get("top_logprobs");
        if (n == null || n.isNull()) return wanted ? 0 : -1;
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0 || n.asInt() > LogProbRequest.MAX_TOP) {
            throw new Invalid("top_logprobs", "top_logprobs must be an integer in 0.." + LogProbRequest.MAX_TOP + ", got " + n);
        }
        if (!wanted) throw new Invalid("top_logprobs", "top_logprobs needs logprobs: true");
        return n.asInt();
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
