package io.toks.serve;

import io.toks.engine.model.TokenLogProbs;
import java.util.List;

/**
 * The log probabilities a job asks for: of its prompt tokens (each given the ones before it),
 * of the tokens it generates, or both; each with its {@code top} most likely alternatives. They
 * are the model's own distribution (temperature 1), whatever the job samples with.
 *
 * @param listener told from the engine thread; must return quickly
 */
public record LogProbRequest(boolean prompt, boolean generated, int top, Listener listener) {

    /** Most alternatives per token, as vLLM allows (OpenAI allows 5 on completions, 20 on chat). */
    public static final int MAX_TOP = 20;

    public LogProbRequest {
        if (top < 0 || top > MAX_TOP) throw new IllegalArgumentException("top must be in 0.." + MAX_TOP + ", got " + top);
        if (listener == null) throw new IllegalArgumentException("no listener");
    }

    /** Receives a job's log probabilities. */
    public interface Listener {
        /** Every prompt token in order, before any generated token; the first has no log probability (NaN). */
        void prompt(List<Entry> tokens);

        /** A generated token, just before {@link io.toks.core.events.TokenEvents#tokens} tells of it. */
        void generated(Entry token);
    }

    /**
     * One token and its log probability where it stands (NaN where nothing predicts it: the
     * first prompt token), with the most likely tokens there, most likely first (empty then).
     */
    public record Entry(int token, double logProb, List<TokenLogProbs.Candidate> top) {}

    /** The entry of {@code token} under {@code logits} (not modified). */
    Entry entry(float[] logits, int token) {
        double logSumExp = TokenLogProbs.logSumExp(logits);
        return new Entry(token, TokenLogProbs.logProb(logits, token, logSumExp), TokenLogProbs.top(logits, top, logSumExp));
    }
}
