package io.toks.tokenizer;

/** Token types, numbered as in GGUF's {@code tokenizer.ggml.token_type} (and SentencePiece). */
public enum TokenType {
    UNDEFINED(0), NORMAL(1), UNKNOWN(2), CONTROL(3), USER_DEFINED(4), UNUSED(5), BYTE(6);

    private final int code;

    TokenType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static TokenType ofCode(int code) {
        for (TokenType t : values()) {
            if (t.code == code) return t;
        }
        throw new TokenizerFormatException("unknown token type " + code);
    }
}
