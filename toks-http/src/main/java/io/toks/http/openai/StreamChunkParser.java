package io.toks.http.openai;

import io.toks.core.events.Usage;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Reads one streamed message of a given {@link ApiFlavor}.
 *
 * <p>OpenAI-style chunks, tens of thousands a second under load, are read in one pass over their
 * text ({@link OpenAiChunkScanner}), keeping only the fields used. Anything off the common shape
 * (an error, a chunk without {@code choices}, a value of an unexpected type, malformed JSON) is
 * read again as a Jackson tree, whose reading is the reference for every case. Why: building a
 * tree per chunk was about 40% of what the client allocated at 50,000 events/s, and the young
 * collections that garbage caused (20-45 ms pauses every 2-3 s with 2,000 streams' results live)
 * were most of its p99.
 */
public final class StreamChunkParser {

    /** A prebuilt tree reader: ObjectMapper.readTree resolves the target type on every call. */
    private static final ObjectReader TREE = new ObjectMapper().readerFor(JsonNode.class);

    private final ApiFlavor flavor;

    public StreamChunkParser(ApiFlavor flavor) {
        this.flavor = flavor;
    }

    /**
     * @throws MalformedChunkException when the message is not the JSON this API sends
     */
    public StreamChunk parse(String data) throws MalformedChunkException {
        if (flavor != ApiFlavor.OLLAMA) {
            if (data.trim().equals("[DONE]")) return new StreamChunk("", null, null, null, true);
            StreamChunk common = OpenAiChunkScanner.read(data, flavor);
            if (common != null) return common;
        }
        return parseTree(data);
    }

    /** The reference reading: the message as a JSON tree. */
    StreamChunk parseTree(String data) throws MalformedChunkException {
        JsonNode root;
        try {
            root = TREE.readTree(data);
        } catch (JsonProcessingException e) {
            throw new MalformedChunkException("not JSON: " + abbreviate(data));
        }
        if (root == null || !root.isObject()) throw new MalformedChunkException("not a JSON object: " + abbreviate(data));
        JsonNode error = root.get("error");
        if (error != null && !error.isNull()) {
            String message = error.isObject() && error.hasNonNull("message") ? error.get("message").asText() : error.toString();
            return new StreamChunk("", null, null, message, false);
        }
        return flavor == ApiFlavor.OLLAMA ? ollama(root) : openAi(root);
    }

    private StreamChunk openAi(JsonNode root) throws MalformedChunkException {
        Usage usage = null;
        JsonNode u = root.get("usage");
        if (u != null && u.isObject()) {
            usage = new Usage(count(u, "prompt_tokens"), count(u, "completion_tokens"));
        }
        JsonNode choices = root.get("choices");
        if (choices == null || !choices.isArray()) {
            if (usage != null) return new StreamChunk("", null, usage, null, false);
            throw new MalformedChunkException("no 'choices' array: " + abbreviate(root.toString()));
        }
        String text = "";
        String finish = null;
        if (!choices.isEmpty()) {
            JsonNode c = choices.get(0);
            JsonNode t = flavor == ApiFlavor.CHAT ? c.path("delta").get("content") : c.get("text");
            if (t != null && t.isTextual()) text = t.asText();
            else if (t != null && !t.isNull()) throw new MalformedChunkException("text is not a string: " + abbreviate(root.toString()));
            JsonNode f = c.get("finish_reason");
            if (f != null && !f.isNull()) finish = f.asText();
        }
        return new StreamChunk(text, finish, usage, null, false);
    }

    private static StreamChunk ollama(JsonNode root) throws MalformedChunkException {
        JsonNode r = root.get("response");
        if (r == null && !root.has("done")) throw new MalformedChunkException("neither 'response' nor 'done': " + abbreviate(root.toString()));
        boolean done = root.path("done").asBoolean(false);
        Usage usage = done && root.has("eval_count")
                ? new Usage(count(root, "prompt_eval_count"), count(root, "eval_count")) : null;
        String finish = done ? root.path("done_reason").asText("stop") : null;
        return new StreamChunk(r == null ? "" : r.asText(), finish, usage, null, done);
    }

    /**
     * A token count as sent: -1 when absent (or null), the value when it is a non-negative integer
     * that fits an int, else {@link Usage#NOT_A_COUNT}. Not coerced: a lenient reading made 3.7
     * into 3, "12" into 12 and 2^32 + 1 into 1, and a count that is no count must stay visible
     * so the request's usage is not believed.
     */
    static int count(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) return -1;
        if (v.isIntegralNumber() && v.canConvertToInt() && v.intValue() >= 0) return v.intValue();
        return Usage.NOT_A_COUNT;
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    /** A streamed message that is not what the API promises. */
    public static final class MalformedChunkException extends Exception {
        public MalformedChunkException(String message) {
            super(message);
        }
    }
}
