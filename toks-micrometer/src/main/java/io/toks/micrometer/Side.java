package io.toks.micrometer;

/**
 * Where a request was measured. The GenAI conventions name the same quantity differently on
 * each side ({@code gen_ai.server.time_to_first_token} vs
 * {@code gen_ai.client.operation.time_to_first_chunk}), because a server sees tokens and a
 * client sees chunks.
 */
public enum Side {
    /** Calls made by this process to a model (an HTTP client, a LangChain4j model). */
    CLIENT,
    /** Requests this process served (toks serve's scheduler, an in-process engine behind an API). */
    SERVER
}
