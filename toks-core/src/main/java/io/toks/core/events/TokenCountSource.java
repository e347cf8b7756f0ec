package io.toks.core.events;

/** How a token count was known. Every count toks reports carries one of these. */
public enum TokenCountSource {
    /** The engine produced the token ids itself: exact. */
    ENGINE_IDS,
    /** The server's {@code usage} block. */
    SERVER_USAGE,
    /** Streamed chunks counted, assuming one token per chunk. */
    CHUNKS_COUNTED,
    /** The client re-tokenized the text with a named tokenizer. */
    CLIENT_RETOKENIZED
}
