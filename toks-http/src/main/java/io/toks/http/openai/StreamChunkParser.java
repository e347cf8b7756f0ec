package io.toks.http.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/**
 * Reads one streamed message of a given {@link ApiFlavor}.
 *
 * <p>OpenAI-style chunks, tens of thousands a second under load, are read in one pass over
 * Jackson's token stream, keeping only the fields used. Anything off the common shape (an error,
 * a chunk without {@code choices}, a value of an unexpected type, malformed JSON) is read again as
 * a tree, whose reading is the reference for every case. Why: building a tree per chunk was about
 * 40% of what the client allocated at 50,000 events/s, and the young collections that garbage
 * caused (20-45 ms pauses every 2-3 s with 2,000 streams' results live) were most of its p99.
 */
public final class StreamChunkParser {

    /** A prebuilt tree reader: ObjectMapper.readTree resolves the target type on every call. */
    private static final ObjectReader TREE = new ObjectMapper().readerFor(JsonNode.class);
    private static final JsonFactory TOKENS = new JsonFactory();

    private final ApiFlavor flavor;

    public StreamChunkParser(ApiFlavor flavor) {
        this.flavor = flavor;
    }

    /**
     * @throws MalformedChunkException when the message is not the JSON this API sends
     */
    public StreamChunk parse(String data) throws MalformedChunkException {
        if (flavor != ApiFlavor.OLLAMA && data.trim().equals("[DONE]")) {
            return new StreamChunk("", null, null, null, true);
        }
        if (flavor != ApiFlavor.OLLAMA) {
            StreamChunk common = commonOpenAiShape(data);
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
            usage = new Usage(u.path("prompt_tokens").asInt(-1), u.path("completion_tokens").asInt(-1));
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

    /**
     * An OpenAI chunk read from the token stream: {@code choices} (an array; of its first element
     * the text and finish reason) and {@code usage}, other fields skipped. Null when the message
     * is off that shape, for {@link #parseTree} to read (and to word any error).
     */
    StreamChunk commonOpenAiShape(String data) {
        try (JsonParser p = TOKENS.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            String text = "", finish = null;
            Usage usage = null;
            boolean choices = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "error" -> {
                        if (value != JsonToken.VALUE_NULL) return null;
                    }
                    case "usage" -> {
                        if (value == JsonToken.START_OBJECT) usage = usage(p);
                        else p.skipChildren();
                    }
                    case "choices" -> {
                        if (value != JsonToken.START_ARRAY) return null;
                        choices = true;
                        text = "";
                        finish = null;
                        if (p.nextToken() == JsonToken.START_OBJECT) {
                            String[] read = firstChoice(p);
                            if (read == null) return null;
                            text = read[0];
                            finish = read[1];
                        } else {
                            p.skipChildren();
                        }
                        if (p.currentToken() != JsonToken.END_ARRAY) {
                            while (p.nextToken() != JsonToken.END_ARRAY) p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (!choices || p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) return null;
            return new StreamChunk(text, finish, usage, null, false);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** Text and finish reason of a choice object (the parser on its START_OBJECT); null when a value has an unexpected type. */
    private String[] firstChoice(JsonParser p) throws java.io.IOException {
        String text = "", finish = null;
        String textField = flavor == ApiFlavor.CHAT ? "delta" : "text";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("finish_reason")) {
                if (value == JsonToken.VALUE_STRING) finish = p.getText();
                else if (value == JsonToken.VALUE_NULL) finish = null;
                else return null;
            } else if (field.equals(textField)) {
                text = "";
                if (flavor == ApiFlavor.CHAT) {
                    if (value != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        continue;
                    }
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = p.currentName();
                        JsonToken v = p.nextToken();
                        if (!inner.equals("content")) p.skipChildren();
                        else if (v == JsonToken.VALUE_STRING) text = p.getText();
                        else if (v == JsonToken.VALUE_NULL) text = "";
                        else return null;
                    }
                } else if (value == JsonToken.VALUE_STRING) {
                    text = p.getText();
                } else if (value != JsonToken.VALUE_NULL) {
                    return null;
                }
            } else {
                p.skipChildren();
            }
        }
        return new String[] {text, finish};
    }

    /** prompt_tokens and completion_tokens of a usage object (the parser on its START_OBJECT); -1 where absent. */
    private static Usage usage(JsonParser p) throws java.io.IOException {
        int prompt = -1, completion = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (field.equals("prompt_tokens")) prompt = p.getValueAsInt(-1);
            else if (field.equals("completion_tokens")) completion = p.getValueAsInt(-1);
            else p.skipChildren();
        }
        return new Usage(prompt, completion);
    }

    private static StreamChunk ollama(JsonNode root) throws MalformedChunkException {
        JsonNode r = root.get("response");
        if (r == null && !root.has("done")) throw new MalformedChunkException("neither 'response' nor 'done': " + abbreviate(root.toString()));
        boolean done = root.path("done").asBoolean(false);
        Usage usage = done && root.has("eval_count")
                ? new Usage(root.path("prompt_eval_count").asInt(-1), root.path("eval_count").asInt(-1)) : null;
        String finish = done ? root.path("done_reason").asText("stop") : null;
        return new StreamChunk(r == null ? "" : r.asText(), finish, usage, null, done);
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
