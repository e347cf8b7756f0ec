package io.toks.serve;

import io.toks.core.events.TokenEvents;
import io.toks.engine.sampling.Sampler;

/**
 * One request for the engine.
 *
 * @param prompt     token ids, BOS included when the model wants it
 * @param maxTokens  most tokens to generate
 * @param minTokens  end-of-sequence is ignored until this many were generated
 * @param ignoreEos  never stop at end-of-sequence
 * @param events     told of the job's progress from the engine thread; must return quickly
 */
public record GenerationJob(int[] prompt, int maxTokens, int minTokens, boolean ignoreEos, Sampler sampler, TokenEvents events) {

    /** Lets the engine drop a job whose client went away or whose stop string was reached. */
    public static final class Handle {
        private volatile boolean cancelled;

        public void cancel() {
            cancelled = true;
        }

        boolean cancelled() {
            return cancelled;
        }
    }
}
