package io.toks.langchain4j;

import io.toks.core.events.RequestMetrics;
import io.toks.core.events.RequestTrace;
import io.toks.core.events.Usage;

/**
 * One finished call to a streaming chat model, as measured around it.
 *
 * <p>{@code metrics} holds the figures of docs/metrics.md: {@code ttftNanos} from the call to the
 * first partial response, {@code decodeTps()}, {@code tpotNanos()}, {@code e2eNanos}; its
 * {@code outputTokens} are the provider's own count when the final response carried one
 * ({@code outputSource() == SERVER_USAGE}), else the partial responses counted as one token each
 * ({@code CHUNKS_COUNTED}: an assumption, since a provider may put several tokens in a chunk). The
 * gaps between chunks (inter-token latency when each chunk is one token, as toks serve and most
 * servers send them) are in {@code trace}: {@code arrivalNanos(i) - arrivalNanos(i - 1)}.
 *
 * @param model   the model asked for (the request's, else the model's default, else the response's); "unknown" if none
 * @param trace   the call's events: send, each partial response, end
 * @param metrics the call's per-request metrics (for a failed call: what arrived before the failure)
 * @param error   why the call failed; null when it completed
 */
public record MeasuredCall(String model, RequestTrace trace, RequestMetrics metrics, Throwable error) {

    public boolean ok() {
        return error == null;
    }

    /** Partial responses that arrived (text, thinking or tool-call pieces), empty ones left out. */
    public int chunks() {
        return trace.arrivals();
    }

    /** The provider's counts from the final response's {@code TokenUsage} (-1 for a count it left out); null when it sent none. */
    public Usage providerUsage() {
        return trace.usage();
    }
}
