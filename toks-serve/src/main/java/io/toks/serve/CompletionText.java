package io.toks.serve;

import io.toks.tokenizer.Tokenizer;
import java.util.List;

/**
 * One request's generated tokens turned into the text a client may see: token bytes decoded
 * (characters split across tokens held until complete), and the {@code stop} strings applied.
 */
final class CompletionText {

    private final Tokenizer tokenizer;
    private final Utf8Assembler utf8 = new Utf8Assembler();
    private final StopStrings stops;
    private int previous;
    private int tokens;

    /** @param lastPromptToken the token the first generated one follows */
    CompletionText(Tokenizer tokenizer, List<String> stop, int lastPromptToken) {
        this.tokenizer = tokenizer;
        this.stops = new StopStrings(stop);
        this.previous = lastPromptToken;
    }

    /** Adds a generated token; returns the text that can be sent now (possibly empty). */
    String add(int token) {
        tokens++;
        String text = stops.push(utf8.push(tokenizer.decode(previous, token)));
        previous = token;
        return text;
    }

    /** True once a stop string appeared: generation must end, the rest is dropped. */
    boolean stopped() {
        return stops.stopped();
    }

    /** Tokens generated so far (including those whose text is held back or dropped). */
    int tokens() {
        return tokens;
    }

    /** The held-back rest, at the end of generation. */
    String finish() {
        return stops.push(utf8.flush()) + stops.flush();
    }
}
