package io.toks.serve;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.toks.engine.model.TokenLogProbs;
import io.toks.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;

/**
 * Log probabilities in OpenAI's two wire shapes, collected token by token and handed out in
 * pieces (a streamed chunk carries those of its own tokens):
 * <ul>
 *   <li>completions: {@code {tokens, token_logprobs, top_logprobs: [{text: logprob}], text_offset}},
 *       with null where nothing predicts a token (the first prompt token);</li>
 *   <li>chat: {@code {content: [{token, logprob, bytes, top_logprobs: [{token, logprob, bytes}]}]}}.</li>
 * </ul>
 * A token's text is its decoded piece where it stands (it depends on the token before it: a
 * SentencePiece word after BOS loses its leading space), so one instance follows one sequence.
 * {@code text_offset} counts characters (UTF-16 units, as JavaScript and Python clients index) of
 * the returned text; a character split across byte tokens counts at the token that completes it.
 */
final class LogProbsJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** What vLLM reports for a token of probability 0 (JSON has no -Infinity). */
    private static final double IMPOSSIBLE = -9999.0;

    private final Tokenizer tokenizer;
    private final boolean chat;
    private final Utf8Assembler text = new Utf8Assembler();
    private int previous;
    private int chars;
    private ArrayNode tokens, tokenLogprobs, topLogprobs, textOffset, content;
    private int pending;

    /**
     * @param previous  the token before the first one added (BOS for a whole prompt; the last
     *                  prompt token for generated tokens alone)
     * @param charsBefore characters of returned text before the first token's (text offsets start there)
     */
    LogProbsJson(Tokenizer tokenizer, boolean chat, int previous, int charsBefore) {
        this.tokenizer = tokenizer;
        this.chat = chat;
        this.previous = previous;
        this.chars = charsBefore;
        reset();
    }

    void add(LogProbRequest.Entry e) {
        byte[] bytes = tokenizer.decode(previous, e.token());
        if (chat) {
            ObjectNode entry = content.addObject().put("token", new String(bytes, StandardCharsets.UTF_8));
            putLogProb(entry, "logprob", e.logProb());
            entry.set("bytes", bytes(bytes));
            ArrayNode top = entry.putArray("top_logprobs");
            for (TokenLogProbs.Candidate c : e.top()) {
                byte[] cb = tokenizer.decode(previous, c.token());
                ObjectNode alt = top.addObject().put("token", new String(cb, StandardCharsets.UTF_8));
                putLogProb(alt, "logprob", c.logProb());
                alt.set("bytes", bytes(cb));
            }
        } else {
            tokens.add(new String(bytes, StandardCharsets.UTF_8));
            if (Double.isNaN(e.logProb())) {
                tokenLogprobs.addNull();
                topLogprobs.addNull();
            } else {
                tokenLogprobs.add(finite(e.logProb()));
                ObjectNode top = topLogprobs.addObject();
                // Keyed by text, as OpenAI's shape is: two tokens with the same text keep the likelier (listed first).
                for (TokenLogProbs.Candidate c : e.top()) {
                    String key = new String(tokenizer.decode(previous, c.token()), StandardCharsets.UTF_8);
                    if (!top.has(key)) top.put(key, finite(c.logProb()));
                }
            }
            textOffset.add(chars);
        }
        chars += text.push(bytes).length();
        previous = e.token();
        pending++;
    }

    /** Whether tokens were added since the last {@link #take}. */
    boolean isEmpty() {
        return pending == 0;
    }

    /** The log probabilities of the tokens added since the last call, in the wire shape; then forgets them. */
    ObjectNode take() {
        ObjectNode o = NODES.objectNode();
        if (chat) {
            o.set("content", content);
        } else {
            o.set("tokens", tokens);
            o.set("token_logprobs", tokenLogprobs);
            o.set("top_logprobs", topLogprobs);
            o.set("text_offset", textOffset);
        }
        reset();
        return o;
    }

    private void reset() {
        tokens = NODES.arrayNode();
        tokenLogprobs = NODES.arrayNode();
        topLogprobs = NODES.arrayNode();
        textOffset = NODES.arrayNode();
        content = NODES.arrayNode();
        pending = 0;
    }

    private static void putLogProb(ObjectNode o, String name, double logProb) {
        if (Double.isNaN(logProb)) o.putNull(name);
        else o.put(name, finite(logProb));
    }

    private static double finite(double logProb) {
        return logProb == Double.NEGATIVE_INFINITY ? IMPOSSIBLE : logProb;
    }

    private static ArrayNode bytes(byte[] bytes) {
        ArrayNode a = NODES.arrayNode(bytes.length);
        for (byte b : bytes) a.add(b & 0xff);
        return a;
    }
}
