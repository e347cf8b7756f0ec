package io.toks.bench.engine;

import io.toks.core.ToksException;
import java.util.Arrays;
import java.util.function.Function;

/**
 * A text whose tokenization is exactly N tokens, for an engine that takes prompts only as text
 * (llama.cpp through its binding): the opening of a source text, cut at a token boundary.
 * <p>
 * Decoding the first N tokens of the source and encoding that text again does not always give N
 * tokens back: a SentencePiece tokenizer renders its first token with the space it prefixes to
 * every text (so encoding the decoded text again would prefix a second one), and a cut can fall
 * where the pieces merge differently. The text is stripped of leading whitespace and, if the count
 * is still off, cuts a few tokens either side are tried, then the same from a later start in the
 * source (a title in capitals splits into pieces that merge differently once cut); each candidate
 * is checked by encoding it.
 */
final class ExactLengthPrompt {

    /** Cuts tried on each side of N, from each start. */
    static final int MAX_SHIFT = 8;

    /** Starts tried: the first this many tokens of the source. */
    static final int MAX_START = 64;

    private ExactLengthPrompt() {}

    /**
     * @param tokens how many tokens the text must encode to (no BOS or other special token counted)
     * @param encode the tokenizer, adding no special tokens
     * @param decode its inverse
     * @param source the text to cut from; repeated when shorter than needed
     * @throws ToksException when no cut near N encodes to exactly N tokens
     */
    static String of(int tokens, Function<String, int[]> encode, Function<int[], String> decode, String source) {
        if (tokens < 0) throw new IllegalArgumentException("tokens must be >= 0, got " + tokens);
        if (tokens == 0) return "";
        String text = source;
        int[] ids = encode.apply(text);
        if (ids.length == 0) throw new IllegalArgumentException("the source text encodes to no tokens");
        while (ids.length < tokens + MAX_SHIFT + MAX_START) {
            text = text + "\n\n" + source;
            ids = encode.apply(text);
        }
        for (int start = 0; start < MAX_START; start++) {
            for (int shift = 0; shift <= MAX_SHIFT; shift++) {
                for (int length : shift == 0 ? new int[] {tokens} : new int[] {tokens + shift, tokens - shift}) {
                    if (length < 1) continue;
                    String candidate = decode.apply(Arrays.copyOfRange(ids, start, start + length)).stripLeading();
                    if (encode.apply(candidate).length == tokens) return candidate;
                }
            }
        }
        throw new ToksException("cannot make a prompt of exactly " + tokens + " tokens for this tokenizer: no piece of the reference text "
                + "near that length, from any of its first " + MAX_START + " tokens, encodes to that many");
    }
}
