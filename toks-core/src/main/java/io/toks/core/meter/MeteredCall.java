package io.toks.core.meter;

import io.toks.core.events.Clock;
import io.toks.core.events.RequestTrace;
import io.toks.core.events.TokenCountSource;
import io.toks.core.jfr.ToksEvents;

/**
 * One call being measured: the clock read at each event, the events written into a
 * {@link RequestTrace} lent by the meter. The token path touches only this call's fields and its
 * trace's arrays, so it takes no lock and, once the trace has room, allocates nothing.
 */
final class MeteredCall implements TokenMeter.Call {

    private final ConcurrentTokenMeter meter;
    private final Clock clock;
    private final int promptTokens;
    private RequestTrace trace;
    private long countedTokens;
    private int usagePrompt = -1;
    private int usageOutput = -1;
    private long prefillDoneNanos = -1;
    private boolean failed;
    /** This call's id in JFR events; 0 when none were being recorded as it started. */
    private final long jfrId;

    MeteredCall(ConcurrentTokenMeter meter, Clock clock, RequestTrace trace, int promptTokens) {
        this.meter = meter;
        this.clock = clock;
        this.trace = trace;
        this.promptTokens = promptTokens;
        this.jfrId = ToksEvents.requestsEnabled() ? ToksEvents.nextRequestId() : 0;
        trace.requestSent(clock.nanoTime());
    }

    @Override
    public void prefillDone() {
        open();
        prefillDoneNanos = clock.nanoTime();
    }

    @Override
    public void firstToken() {
        if (open().arrivals() > 0) throw new IllegalStateException("firstToken(): tokens already arrived in this call; use tokens(n)");
        arrived(1);
    }

    @Override
    public void tokens(int count) {
        if (count < 1) throw new IllegalArgumentException("count must be >= 1, not " + count);
        open();
        arrived(count);
    }

    private void arrived(int count) {
        // The program's own count, chunk by chunk: provenance CHUNKS_COUNTED unless usage replaces it.
        long now = clock.nanoTime();
        trace.tokens(now, count, TokenCountSource.CHUNKS_COUNTED, -1);
        countedTokens += count;
        if (jfrId != 0) ToksEvents.chunk("meter", jfrId, count, TokenCountSource.CHUNKS_COUNTED, now);
    }

    @Override
    public void usage(int prompt, int output) {
        if (prompt < 0 || output < 0) {
            throw new IllegalArgumentException("usage counts must be >= 0, not prompt " + prompt + ", output " + output);
        }
        open();
        usagePrompt = prompt;
        usageOutput = output;
    }

    @Override
    public void failed() {
        open();
        failed = true;
    }

    @Override
    public void close() {
        if (trace == null) return;
        RequestTrace finished = trace;
        trace = null;
        long end = clock.nanoTime();
        finished.finished(end, null, null);
        int prompt = usagePrompt >= 0 ? usagePrompt : promptTokens;
        if (jfrId != 0) {
            long sent = finished.sentNanos();
            ToksEvents.request("meter", meter.model(), jfrId, prompt, (int) (usageOutput >= 0 ? usageOutput : countedTokens),
                    finished.arrivals() == 0 ? -1 : finished.arrivalNanos(0) - sent, failed ? "failed" : "finished", sent, end);
        }
        // Handed on at the end with its own time (TokenEvents allows it), so prefill_tps counts the final prompt count.
        if (prefillDoneNanos >= 0) finished.prefillDone(prefillDoneNanos, prompt);
        meter.finish(new FinishedCall(finished, prompt,
                usageOutput >= 0 ? usageOutput : countedTokens,
                usageOutput >= 0 ? TokenCountSource.SERVER_USAGE : TokenCountSource.CHUNKS_COUNTED,
                usageOutput < 0 || usageOutput == countedTokens || finished.arrivals() == 0, failed));
    }

    private RequestTrace open() {
        if (trace == null) throw new IllegalStateException("the call is closed");
        return trace;
    }
}
