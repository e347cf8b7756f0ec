package io.toks.bench.load;

import io.toks.core.events.RequestMetrics;
import io.toks.core.events.RequestTrace;
import io.toks.core.events.TokenCountSource;
import io.toks.core.events.Usage;
import io.toks.http.openai.StreamedCompletion;

/**
 * One request of a load run, as the journal keeps it.
 *
 * @param id              unique in the run (sent as X-Request-Id)
 * @param scheduledNanos  when it was due: the open-loop schedule, or when a closed-loop stream was
 *                        ready. Latencies count from here, so a late send is never hidden.
 * @param prompt          what was asked
 * @param completion      what was observed
 * @param outputTokens    generated tokens, from {@code outputSource}
 * @param outputSource    how {@code outputTokens} was known
 * @param retokenized     the generated text re-counted by the client's tokenizer, or -1
 */
public record RequestResult(String id, long scheduledNanos, LoadPrompt prompt, StreamedCompletion completion,
                            int outputTokens, TokenCountSource outputSource, int retokenized) {

    public boolean ok() {
        return completion.ok();
    }

    /** Send lag: how late the request left compared to its schedule. */
    public long sendLagNanos() {
        return completion.sentNanos() - scheduledNanos;
    }

    /**
     * The request's metrics (ttft, tpot, e2e, decode_tps), counted from its due time with the
     * honest output count: the events it showed, computed where every target's are.
     */
    public RequestMetrics metrics() {
        RequestTrace trace = new RequestTrace(completion.chunks());
        trace.requestDue(scheduledNanos);
        completion.replay(trace);
        return RequestMetrics.of(trace, outputTokens, outputSource);
    }

    /** Why the server's usage for this request is not believed, or null when it is (or there is none). */
    UsageProblem usageProblem() {
        return UsageProblem.of(completion.usage(), prompt.outputTokens());
    }

    /** The server's usage where it can be believed, else null (as if it had sent none). */
    Usage believableUsage() {
        return usageProblem() == null ? completion.usage() : null;
    }

    /**
     * The honest output count: the server's usage when it sent one that can be believed
     * ({@link UsageProblem}), else the client's re-tokenization when a tokenizer was given, else
     * the number of text chunks.
     */
    static RequestResult of(String id, long scheduledNanos, LoadPrompt prompt, StreamedCompletion c, int retokenized) {
        int tokens;
        TokenCountSource source;
        Usage usage = UsageProblem.of(c.usage(), prompt.outputTokens()) == null ? c.usage() : null;
        if (usage != null && usage.completionTokens() >= 0) {
            tokens = usage.completionTokens();
            source = TokenCountSource.SERVER_USAGE;
        } else if (retokenized >= 0) {
            tokens = retokenized;
            source = TokenCountSource.CLIENT_RETOKENIZED;
        } else {
            tokens = c.chunks();
            source = TokenCountSource.CHUNKS_COUNTED;
        }
        return new RequestResult(id, scheduledNanos, prompt, c, tokens, source, retokenized);
    }
}
