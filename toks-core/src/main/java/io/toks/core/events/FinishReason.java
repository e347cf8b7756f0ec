package io.toks.core.events;

/** Why a generation stopped, in the vocabulary of the OpenAI API. */
public enum FinishReason {
    /** The model produced an end-of-sequence token. */
    STOP,
    /** The requested number of tokens was generated. */
    LENGTH,
    /** The context window is full. */
    CONTEXT_FULL
}
