package io.toks.engine;

import io.toks.core.ToksException;
import io.toks.core.events.Clock;
import io.toks.core.events.FinishReason;
import io.toks.core.events.TokenCountSource;
import io.toks.core.events.TokenEvents;
import io.toks.core.events.Usage;
import io.toks.core.jfr.ToksEvents;
import io.toks.engine.model.InferenceSession;
import io.toks.engine.sampling.Sampler;

/**
 * Runs one request on a session: prefill the prompt, then sample and decode token by token,
 * emitting timestamped events. The session continues from its current position.
 */
public final class Generator {

    /** What ends generation besides the length limit. */
    public enum StopRule {
        /** Stop at the end-of-sequence token (and at BOS, which llama2.c models emit to end a story). */
        AT_END_OF_SEQUENCE,
        /** Generate exactly the requested number of tokens, as benchmarks must. */
        NEVER
    }

    private final InferenceSession session;
    private final int bos;
    private final int eos;
    private final Clock clock;

    public Generator(InferenceSession session, int bos, int eos, Clock clock) {
        this.session = session;
        this.bos = bos;
        this.eos = eos;
        this.clock = clock;
    }

    /**
     * Prefills {@code prompt} and generates up to {@code maxTokens} tokens.
     *
     * @return the number of tokens generated
     */
    public int generate(int[] prompt, int maxTokens, Sampler sampler, StopRule stop, TokenEvents events) {
        if (prompt.length == 0) throw new ToksException("the prompt is empty: at least one token (e.g. BOS) is needed");
        if (session.position() + prompt.length > session.contextSize()) {
            throw new ToksException("prompt of " + prompt.length + " tokens does not fit the context of "
                    + session.contextSize() + " tokens" + (session.position() > 0 ? " after " + session.position() + " already used" : ""));
        }
        events.requestSent(clock.nanoTime());
        float[] logits = session.prefill(prompt);
        events.prefillDone(clock.nanoTime(), prompt.length);
        int generated = 0;
        FinishReason reason = FinishReason.LENGTH;
        while (generated < maxTokens) {
            int next = sample(sampler, logits);
            if (stop == StopRule.AT_END_OF_SEQUENCE && (next == eos || next == bos)) {
                reason = FinishReason.STOP;
                break;
            }
            generated++;
            events.tokens(clock.nanoTime(), 1, TokenCountSource.ENGINE_IDS, next);
            if (generated == maxTokens) break;
            if (session.position() >= session.contextSize()) {
                reason = FinishReason.CONTEXT_FULL;
                break;
            }
            logits = session.decode(next);
        }
        events.finished(clock.nanoTime(), reason, new Usage(prompt.length, generated));
        return generated;
    }

    /** Samples, timed as a JFR kernel event when one is being recorded. */
    private static int sample(Sampler sampler, float[] logits) {
        if (!ToksEvents.kernelsEnabled()) return sampler.sample(logits);
        long start = System.nanoTime();
        int next = sampler.sample(logits);
        ToksEvents.kernel("sampling", null, -1, 0, 1, start, System.nanoTime());
        return next;
    }
}
