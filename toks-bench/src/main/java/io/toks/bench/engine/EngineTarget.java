package io.toks.bench.engine;

import io.toks.core.jfr.ToksEvents;
import io.toks.core.ToksException;
import io.toks.core.estimate.KvCacheType;
import io.toks.core.events.Clock;
import io.toks.core.events.ErrorKind;
import io.toks.core.events.TokenEvents;
import io.toks.core.target.Target;
import io.toks.core.target.TargetRequest;
import io.toks.engine.Generator;
import io.toks.engine.model.InferenceSession;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.parallel.WorkerPool;
import io.toks.engine.sampling.Sampler;

/**
 * The in-process engine as a {@link Target}: each request is tokenized (with BOS), prefilled into
 * an empty KV cache and generated token by token on this thread, with the engine's own token ids
 * as the count (exact). One request at a time.
 */
public final class EngineTarget implements Target {

    private final LlamaModel model;
    private final WorkerPool pool;
    private final InferenceSession session;
    private final Sampler sampler;
    private final Clock clock;

    /**
     * @param contextSize positions of the KV cache: prompt + generated tokens must fit
     * @param sampler     picks each token from the logits (greedy, or seeded random)
     */
    public EngineTarget(LlamaModel model, int threads, int contextSize, Sampler sampler, Clock clock) {
        this(model, threads, contextSize, InferenceSession.DEFAULT_CACHE, sampler, clock);
    }

    /** @param cacheType how the KV cache stores keys and values */
    public EngineTarget(LlamaModel model, int threads, int contextSize, KvCacheType cacheType, Sampler sampler, Clock clock) {
        if (contextSize > model.config().contextLength()) {
            throw new ToksException(model.info().name() + " has a context of " + model.config().contextLength()
                    + " tokens; " + contextSize + " were asked for");
        }
        this.model = model;
        this.pool = new WorkerPool(threads);
        InferenceSession created;
        try {
            created = new InferenceSession(model, pool, contextSize, cacheType);
        } catch (RuntimeException e) {
            pool.close(); // no thread left behind by a refused cache type
            throw e;
        }
        this.session = created;
        this.sampler = sampler;
        this.clock = clock;
    }

    /** A request the engine cannot take (a prompt longer than the context, ...) ends as a failed event. */
    @Override
    public void run(TargetRequest request, TokenEvents events) {
        try {
            events = ToksEvents.recording("engine", model.info().name(), events);
            boolean timed = ToksEvents.kernelsEnabled();
            long start = timed ? System.nanoTime() : 0;
            int[] prompt = model.tokenizer().encode(request.prompt(), true, false);
            if (timed) ToksEvents.kernel("tokenize", null, -1, 0, prompt.length, start, System.nanoTime());
            session.reset();
            new Generator(session, model.tokenizer().bosId(), model.tokenizer().eosId(), clock).generate(prompt, request.maxTokens(),
                    sampler, request.forceLength() ? Generator.StopRule.NEVER : Generator.StopRule.AT_END_OF_SEQUENCE, events);
        } catch (RuntimeException e) {
            events.failed(clock.nanoTime(), ErrorKind.SERVER_ERROR, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
