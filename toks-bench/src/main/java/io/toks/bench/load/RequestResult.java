package io.toks.bench.load;

import io.toks.core.events.TokenCountSource;
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

    /** Time to first token from the scheduled time; -1 when no token came. */
    public long ttftNanos() {
        return completion.chunks() == 0 ? -1 : completion.chunkNanos()[0] - scheduledNanos;
    }

    public long e2eNanos() {
        return completion.endNanos() - scheduledNanos;
    }

    /**
     * The honest output count: the server's usage when it sent one, else the client's
     * re-tokenization when a tokenizer was given, else the number of text chunks.
     */
    static RequestResult of(String id, long scheduledNanos, LoadPrompt prompt, StreamedCompletion c, int retokenized) {
        int tokens;
        TokenCountSource source;
        if (c.usage() != null && c.usage().completionTokens() >= 0) {
            tokens = c.usage().completionTokens();
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
