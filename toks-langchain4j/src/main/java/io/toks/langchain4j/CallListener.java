package io.toks.langchain4j;

/**
 * Told of every call a {@link MeasuredStreamingChatModel} made, once it ended, on the thread that
 * delivered its end (LangChain4j's HTTP client thread), before the caller's handler hears of it.
 * It must return quickly and not throw: the caller's handler runs after it.
 */
@FunctionalInterface
public interface CallListener {

    void measured(MeasuredCall call);

    /** Every call to {@code first}, then to {@code second}. */
    static CallListener both(CallListener first, CallListener second) {
        return call -> {
            first.measured(call);
            second.measured(call);
        };
    }
}
