package io.toks.tokenizer;

/** Text to token ids and back. */
public interface Tokenizer {

    /** Encodes text; adds the begin-of-sequence token first and the end token last when asked. */
    int[] encode(String text, boolean addBos, boolean addEos);

    /**
     * The bytes that token {@code token} contributes to the text when it follows {@code previous}.
     * Bytes rather than a String: one UTF-8 character may be split across byte-fallback tokens.
     */
    byte[] decode(int previous, int token);

    /** Decodes a whole sequence whose first element follows begin-of-sequence. */
    default String decode(int[] tokens) {
        var out = new java.io.ByteArrayOutputStream();
        int previous = bosId();
        for (int t : tokens) {
            out.writeBytes(decode(previous, t));
            previous = t;
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    int vocabularySize();

    int bosId();

    int eosId();

    /** A short name of the tokenizer's algorithm, e.g. "spm-bpe". */
    String kind();

    /** Things the user should know about how this tokenizer was built (fallbacks); empty normally. */
    default java.util.List<String> warnings() {
        return java.util.List.of();
    }
}
