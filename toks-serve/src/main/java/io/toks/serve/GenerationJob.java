package io.toks.serve;

import io.toks.core.events.TokenEvents;
import io.toks.engine.sampling.Sampler;

/**
 * One request for the engine.
 *
 * @param prompt     token ids, BOS included when the model wants it
 * @param maxTokens  most tokens to generate; 0 to only evaluate the prompt (for its log probabilities)
 * @param minTokens  end-of-sequence is ignored until this many were generated
 * @param ignoreEos  never stop at end-of-sequence
 * @param events     told of the job's progress from the engine thread; must return quickly
 * @param logProbs   the log probabilities wanted, or null (none: no time spent on them)
 */
public record GenerationJob(int[] prompt, int maxTokens, int minTokens, boolean ignoreEos, Sampler sampler, TokenEvents events,
                            LogProbRequest logProbs) {

    public GenerationJob {
        if (prompt.length == 0) throw new IllegalArgumentException("the prompt needs at least one token");
        if (maxTokens < 0) throw new IllegalArgumentException("maxTokens must be >= 0, got " + maxTokens);
    }

    public GenerationJob(int[] prompt, int maxTokens, int minTokens, boolean ignoreEos, Sampler sampler, TokenEvents events) {
        this(prompt, maxTokens, minTokens, ignoreEos, sampler, events, null);
    }

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
