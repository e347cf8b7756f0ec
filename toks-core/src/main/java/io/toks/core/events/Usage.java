package io.toks.core.events;

/**
 * A server's token counts ({@code usage} in OpenAI, {@code prompt_eval_count}/{@code eval_count}
 * in Ollama). A count is -1 where the server did not give it, and {@link #NOT_A_COUNT} where it
 * gave a value that is no count (negative, fractional, not a number): such a usage is not to be
 * believed (docs/metrics.md, "Token counts and their provenance").
 */
public record Usage(int promptTokens, int completionTokens) {

    /** A value the server sent that is not a non-negative integer (kept apart from -1, "not sent"). */
    public static final int NOT_A_COUNT = Integer.MIN_VALUE;

    /** True when a count was sent that is no count: below -1 (as {@link #NOT_A_COUNT}, or a negative number a journal kept). */
    public boolean hasInvalidCount() {
        return promptTokens < -1 || completionTokens < -1;
    }
}
