package io.toks.serve;

import io.toks.core.ToksException;
import io.toks.core.estimate.KvCacheType;
import io.toks.core.events.ErrorKind;
import io.toks.core.events.FinishReason;
import io.toks.core.events.TokenCountSource;
import io.toks.core.events.Usage;
import io.toks.engine.model.BatchDecoder;
import io.toks.engine.model.InferenceSession;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.model.StepBatch;
import io.toks.engine.parallel.WorkerPool;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Continuous batching with chunked prefill on one engine thread, as vLLM and llama-server
 * schedule: requests wait in a bounded queue; whenever a slot (a KV cache of {@code contextSize}
 * positions) is free, the next request takes it at the next step. Every step is one
 * {@link BatchDecoder} pass over a mixed batch: the next token of every request being decoded,
 * plus up to {@code prefillChunk} prompt tokens of the requests being prefilled, the oldest
 * first. So the weights are read once per step for all of them, a long prompt no longer stalls
 * the streams being decoded (it costs them one longer step per chunk), and a newcomer starts
 * prefilling at the next step rather than after everyone else's prompts.
 *
 * <p>Between steps the engine thread does only what the next step needs: sampling each token
 * (the next step's input) and handing it to the request's thread; detokenization, stop strings
 * and HTTP writes happen on the requests' own threads ({@link OpenAiServer}).
 *
 * <p>A job that wants its prompt's log probabilities is prefilled by
 * {@link InferenceSession#score} instead (the classifier at every prompt position), whole and
 * between steps, pausing the others meanwhile; other jobs pay nothing for it.
 */
public final class GenerationScheduler implements AutoCloseable {

    /**
     * Prompt tokens one step takes at most by default. A step that carries a full chunk must stay
     * short for the streams decoded in it, and the chunk large enough for the batched kernels to
     * amortize their per-batch work: on 2 cores and a 1B Q4_0 model a full chunk costs about 3-4
     * decode steps of 4 sequences, at about 0.7x the prefill rate of 512-token batches
     * (docs/performance.md, "Chunked prefill in toks serve"). A faster machine or a smaller model
     * can take a larger chunk.
     */
    public static final int DEFAULT_PREFILL_CHUNK = 128;

    private record Pending(GenerationJob job, GenerationJob.Handle handle) {}

    /** A KV cache and the request using it. */
    private static final class Slot {
        final InferenceSession session;
        Pending running;
        /** Prompt tokens in the cache: the prompt's length once the request is being decoded. */
        int prefilled;
        /** Prompt tokens the current step feeds. */
        int chunk;
        /** Whether the current step decodes this request's next token. */
        boolean decoding;
        int nextToken;
        int generated;

        Slot(InferenceSession session) {
            this.session = session;
        }

        int[] prompt() {
            return running.job().prompt();
        }
    }

    private final LlamaModel model;
    private final WorkerPool pool;
    private final BatchDecoder decoder;
    private final StepBatch batch;
    private final int prefillChunk;
    private final Slot[] slots;
    /** Slots whose prompts are being prefilled, in the order they were taken: the oldest gets the budget first. */
    private final Deque<Slot> prefilling = new ArrayDeque<>();
    private final BlockingQueue<Pending> queue;
    private final int eos, bos;
    private final Thread engine;
    private volatile boolean running = true;

    /**
     * @param slots       requests decoded together at most
     * @param contextSize positions per slot (prompt + output)
     * @param maxQueue    waiting requests beyond which {@link #submit} refuses
     */
    public GenerationScheduler(LlamaModel model, int threads, int slots, int contextSize, int maxQueue) {
        this(model, threads, slots, contextSize, InferenceSession.DEFAULT_CACHE, maxQueue);
    }

    /** @param cacheType how every slot's KV cache stores keys and values */
    public GenerationScheduler(LlamaModel model, int threads, int slots, int contextSize, KvCacheType cacheType, int maxQueue) {
        this(model, threads, slots, contextSize, cacheType, DEFAULT_PREFILL_CHUNK, maxQueue);
    }

    /** @param prefillChunk prompt tokens one step takes at most, across the prompts being prefilled ({@link #DEFAULT_PREFILL_CHUNK}) */
    public GenerationScheduler(LlamaModel model, int threads, int slots, int contextSize, KvCacheType cacheType, int prefillChunk,
                               int maxQueue) {
        if (slots < 1) throw new ToksException("slots must be >= 1, got " + slots);
        if (prefillChunk < 1) throw new ToksException("the prefill chunk must be >= 1 token, got " + prefillChunk);
        this.model = model;
        this.prefillChunk = prefillChunk;
        this.pool = new WorkerPool(threads);
        this.decoder = new BatchDecoder(model, pool, slots + prefillChunk);
        this.batch = new StepBatch(slots + prefillChunk);
        this.slots = new Slot[slots];
        try {
            for (int i = 0; i < slots; i++) this.slots[i] = new Slot(new InferenceSession(model, pool, contextSize, cacheType));
        } catch (RuntimeException e) {
            pool.close(); // a refused cache type leaves no worker thread behind
            throw e;
        }
        this.queue = new ArrayBlockingQueue<>(maxQueue);
        this.eos = model.tokenizer().eosId();
        this.bos = model.tokenizer().bosId();
        this.engine = Thread.ofPlatform().name("toks-engine").daemon().start(this::loop);
    }

    public int contextSize() {
        return slots[0].session.contextSize();
    }

    public int slots() {
        return slots.length;
    }

    /** Prompt tokens one step takes at most. */
    public int prefillChunk() {
        return prefillChunk;
    }

    /**
     * Queues a job.
     *
     * @return a handle to cancel it, or null when the queue is full (the caller answers 503)
     */
    public GenerationJob.Handle submit(GenerationJob job) {
        if (job.prompt().length + (job.maxTokens() > 0 ? 1 : 0) > contextSize()) throw new IllegalArgumentException("prompt too long for the context");
        GenerationJob.Handle h = new GenerationJob.Handle();
        return queue.offer(new Pending(job, h)) ? h : null;
    }

    private void loop() {
        while (running) {
            try {
                admit();
                if (!fillBatch()) {
                    Pending p = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (p != null) start(p, freeSlot());
                    continue;
                }
                decoder.step(batch);
                afterStep();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A bug must not leave clients hanging: fail every running request, keep serving.
                for (Slot s : slots) {
                    if (s.running != null) {
                        s.running.job().events().failed(System.nanoTime(), ErrorKind.SERVER_ERROR, "engine failure: " + e);
                        release(s);
                    }
                }
            }
        }
    }

    /** Every free slot takes the next waiting request. */
    private void admit() {
        for (Slot s : slots) {
            if (s.running != null) continue;
            Pending p = queue.poll();
            if (p == null) return;
            start(p, s);
        }
    }

    private Slot freeSlot() {
        for (Slot s : slots) if (s.running == null) return s;
        throw new IllegalStateException("no free slot");
    }

    private void start(Pending p, Slot s) {
        if (p.handle().cancelled()) return;
        GenerationJob job = p.job();
        s.session.reset();
        s.running = p;
        s.generated = 0;
        s.prefilled = 0;
        job.events().requestSent(System.nanoTime());
        if (job.logProbs() == null || !job.logProbs().prompt()) {
            prefilling.add(s);
            return;
        }
        try {
            scorePrompt(s.session, job);
        } catch (RuntimeException e) {
            job.events().failed(System.nanoTime(), ErrorKind.SERVER_ERROR, e.getMessage());
            release(s);
            return;
        }
        s.prefilled = job.prompt().length;
        promptDone(s);
    }

    /**
     * The next step's rows: every decoded request's next token, then prompt chunks up to the
     * budget, oldest prompt first (so none starves). Cancelled requests leave here.
     *
     * @return whether the step has any row
     */
    private boolean fillBatch() {
        batch.clear();
        for (Slot s : slots) {
            s.decoding = false;
            s.chunk = 0;
            if (s.running == null || s.prefilled < s.prompt().length) continue;
            if (s.running.handle().cancelled()) {
                release(s);
                continue;
            }
            batch.decode(s.session, s.nextToken);
            s.decoding = true;
        }
        int budget = prefillChunk;
        for (Iterator<Slot> it = prefilling.iterator(); it.hasNext() && budget > 0; ) {
            Slot s = it.next();
            if (s.running.handle().cancelled()) {
                it.remove();
                release(s);
                continue;
            }
            int[] prompt = s.prompt();
            s.chunk = Math.min(budget, prompt.length - s.prefilled);
            batch.prefill(s.session, prompt, s.prefilled, s.chunk, s.prefilled + s.chunk == prompt.length);
            budget -= s.chunk;
        }
        return batch.rows() > 0;
    }

    /** Samples the decoded requests' next tokens; requests whose prompts ended in this step get their first. */
    private void afterStep() {
        for (Slot s : slots) if (s.decoding) advance(s);
        for (Iterator<Slot> it = prefilling.iterator(); it.hasNext(); ) {
            Slot s = it.next();
            if (s.chunk == 0) break; // the budget ran out here: no later prompt got a chunk
            s.prefilled += s.chunk;
            if (s.prefilled == s.prompt().length) {
                it.remove();
                promptDone(s);
            }
        }
    }

    private void promptDone(Slot s) {
        GenerationJob job = s.running.job();
        job.events().prefillDone(System.nanoTime(), job.prompt().length);
        if (job.maxTokens() == 0) finish(s, FinishReason.LENGTH);
        else advance(s);
    }

    private void release(Slot s) {
        s.running = null;
        s.decoding = false;
        s.chunk = 0;
        prefilling.remove(s);
    }

    /**
     * Prefill that also computes the logits at every prompt position (the classifier once per
     * token, which a plain prefill skips), on the job's own session like any prefill; the
     * session then holds the same cache and logits as after {@link InferenceSession#prefill}.
     */
    private static void scorePrompt(InferenceSession session, GenerationJob job) {
        int[] prompt = job.prompt();
        LogProbRequest wanted = job.logProbs();
        List<LogProbRequest.Entry> entries = new ArrayList<>(prompt.length);
        entries.add(new LogProbRequest.Entry(prompt[0], Double.NaN, List.of()));
        session.score(prompt, (i, logits) -> {
            if (i + 1 < prompt.length) entries.add(wanted.entry(logits, prompt[i + 1]));
        });
        wanted.listener().prompt(entries);
    }

    /** Samples the slot's next token from its logits and emits it, or finishes the request. */
    private void advance(Slot s) {
        GenerationJob job = s.running.job();
        boolean wantLogProbs = job.logProbs() != null && job.logProbs().generated();
        // Samplers may overwrite the logits: keep the model's own distribution for the log probabilities.
        float[] logits = wantLogProbs ? s.session.logits().clone() : null;
        int token = job.sampler().sample(s.session.logits());
        boolean endToken = token == eos || (token == bos && bos != eos);
        if (endToken && !job.ignoreEos() && s.generated >= job.minTokens()) {
            finish(s, FinishReason.STOP);
            return;
        }
        s.generated++;
        if (wantLogProbs) job.logProbs().listener().generated(job.logProbs().entry(logits, token));
        job.events().tokens(System.nanoTime(), 1, TokenCountSource.ENGINE_IDS, token);
        if (s.generated >= job.maxTokens()) finish(s, FinishReason.LENGTH);
        else if (s.session.position() >= s.session.contextSize()) finish(s, FinishReason.CONTEXT_FULL);
        else s.nextToken = token;
    }

    private void finish(Slot s, FinishReason reason) {
        GenerationJob job = s.running.job();
        job.events().finished(System.nanoTime(), reason, new Usage(job.prompt().length, s.generated));
        release(s);
    }

    public LlamaModel model() {
        return model;
    }

    @Override
    public void close() {
        running = false;
        engine.interrupt();
        try {
            engine.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending p;
        while ((p = queue.poll()) != null) p.job().events().failed(System.nanoTime(), ErrorKind.SERVER_ERROR, "server shutting down");
        pool.close();
    }
}
