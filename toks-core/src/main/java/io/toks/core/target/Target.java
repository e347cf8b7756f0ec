package io.toks.core.target;

import io.toks.core.events.TokenEvents;

/**
 * What toks measures: anything that turns a request into tokens (the in-process engine, an
 * OpenAI-compatible server; later a training step or user code). A target only reports what it
 * observed, as {@link TokenEvents}; it never computes statistics. Failures of a request are
 * events ({@code failed}), not exceptions: a load test counts them.
 */
public interface Target extends AutoCloseable {

    /** Runs one request to its end, telling {@code events} what happened, in order. */
    void run(TargetRequest request, TokenEvents events);

    /** Releases what the target holds (threads, connections). */
    @Override
    default void close() {}
}
