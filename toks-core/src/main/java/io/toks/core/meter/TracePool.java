package io.toks.core.meter;

import io.toks.core.events.RequestTrace;
import java.util.ArrayDeque;

/**
 * Traces of finished calls, kept for the next ones: a trace's arrays grow to the longest call it
 * has held and stay that size, so after a few calls the token path never allocates. At most
 * {@link #KEPT} are kept: enough for that many calls in flight at once to record without
 * allocating. The most recently returned is lent first, as its arrays are the likeliest to be in cache.
 */
final class TracePool {

    /** Traces kept beyond that are left to the garbage collector. */
    static final int KEPT = 256;
    /** Arrivals a new trace has room for: a typical completion's length. */
    static final int INITIAL_CHUNKS = 1024;

    private final ArrayDeque<RequestTrace> free = new ArrayDeque<>();

    synchronized RequestTrace take() {
        RequestTrace trace = free.pollFirst();
        return trace != null ? trace : new RequestTrace(INITIAL_CHUNKS);
    }

    synchronized void give(RequestTrace trace) {
        trace.reset();
        if (free.size() < KEPT) free.addFirst(trace);
    }
}
