package io.toks.core.events;

/**
 * Receives the timestamped events of one generation request, in order. Targets (the engine, an
 * HTTP client) emit these; they never compute statistics themselves.
 * All times are {@link Clock} nanoseconds.
 */
public interface GenerationListener {

    /** The request was issued and prefill of {@code promptTokens} tokens begins. */
    default void onPrefillStart(long nanos, int promptTokens) {}

    /** Prefill is done; the next event is the first generated token. */
    default void onPrefillEnd(long nanos) {}

    /** A generated token is available to the caller. */
    default void onToken(long nanos, int tokenId) {}

    /** Generation ended after {@code generatedTokens} tokens. */
    default void onFinish(long nanos, int generatedTokens, FinishReason reason) {}

    GenerationListener NONE = new GenerationListener() {};

    /** A listener that forwards every event to {@code first}, then to {@code second}. */
    static GenerationListener both(GenerationListener first, GenerationListener second) {
        return new GenerationListener() {
            @Override public void onPrefillStart(long nanos, int promptTokens) {
                first.onPrefillStart(nanos, promptTokens);
                second.onPrefillStart(nanos, promptTokens);
            }
            @Override public void onPrefillEnd(long nanos) {
                first.onPrefillEnd(nanos);
                second.onPrefillEnd(nanos);
            }
            @Override public void onToken(long nanos, int tokenId) {
                first.onToken(nanos, tokenId);
                second.onToken(nanos, tokenId);
            }
            @Override public void onFinish(long nanos, int generatedTokens, FinishReason reason) {
                first.onFinish(nanos, generatedTokens, reason);
                second.onFinish(nanos, generatedTokens, reason);
            }
        };
    }
}
