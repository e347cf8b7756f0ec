package io.toks.core.events;

/** Why a generation stopped, in the vocabulary of the OpenAI API. */
public enum FinishReason {
    /** The model produced an end-of-sequence token. */
    STOP,
    /** The requested number of tokens was generated. */
    LENGTH,
    /** The context window is full. */
    CONTEXT_FULL,
    /** A reason a server gave that none of the above names (content_filter, tool_calls, ...). */
    OTHER;

    /** A server's finish reason (OpenAI's finish_reason, Ollama's done_reason); null for null. */
    public static FinishReason fromWire(String reason) {
        if (reason == null) return null;
        return switch (reason) {
            case "stop", "eos", "end_turn", "stop_sequence" -> STOP;
            case "length", "max_tokens" -> LENGTH;
            default -> OTHER;
        };
    }

    /** The OpenAI API's name: a full context ends a completion with "length" there. */
    public String wireName() {
        return switch (this) {
            case STOP -> "stop";
            case LENGTH, CONTEXT_FULL -> "length";
            case OTHER -> "other";
        };
    }
}
