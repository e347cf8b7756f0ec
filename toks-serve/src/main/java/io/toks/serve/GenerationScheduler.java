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
import io.toks.engine.parallel.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Continuous batching on one engine thread: requests wait in a bounded queue; whenever a slot
 * (a KV cache of {@code contextSize} positions) is free, the next request is prefilled into it;
 * then every running request advances by one token in a single {@link BatchDecoder} step, so the
 * weights are read once per step for all of them and aggregate throughput grows with concurrency.
 * A newcomer's prefill runs between steps (no chunked prefill yet), pausing the others meanwhile.
 * A job that wants its prompt's log probabilities is prefilled by {@link InferenceSession#score}
 * instead (the classifier at every prompt position), in the same place; others pay nothing for it.
 */
public final class GenerationScheduler implements AutoCloseable {

    private record Pending(GenerationJob job, GenerationJob.Handle handle) {}

    /** A KV cache and the request using it. */
    private static final class Slot {
        final InferenceSession session;
        Pending running;
        int nextToken;
        int generated;

        Slot(InferenceSession session) {
            this.session = session;
        }
    }

    private final LlamaModel model;
    private final WorkerPool pool;
    private final BatchDecoder decoder;
    private final Slot[] slots;
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
        if (slots < 1) throw new ToksException("slots must be >= 1, got " + slots);
        this.model = model;
        this.pool = new WorkerPool(threads);
        this.decoder = new BatchDecoder(model, pool, slots);
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
        InferenceSession[] batch = new InferenceSession[slots.length];
        int[] tokens = new int[slots.length];
        Slot[] members = new Slot[slots.length];
        while (running) {
            try {
                admit();
                int n = 0;
                for (Slot s : slots) {
                    if (s.running == null) continue;
                    if (s.running.handle().cancelled()) {
                        s.running = null;
                        continue;
                    }
                    members[n] = s;
                    batch[n] = s.session;
                    tokens[n] = s.nextToken;
                    n++;
                }
                if (n == 0) {
                    Pending p = queue.poll(100, TimeUnit.MILLISECONDS);
                    if (p != null) start(p);
                    continue;
                }
                decoder.step(batch, tokens, n);
                for (int i = 0; i < n; i++) advance(members[i]);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A bug must not leave clients hanging: fail every running request, keep serving.
                for (Slot s : slots) {
                    if (s.running != null) {
                        s.running.job().events().failed(System.nanoTime(), ErrorKind.SERVER_ERROR, "engine failure: " + e);
                        s.running = null;
                    }
                }
            }
        }
    }

    private void admit() {
        for (Slot s : slots) {
            if (s.running != null) continue;
            Pending p = queue.poll();
            if (p == null) return;
            start(p, s);
        }
    }

    private void start(Pending p) {
        for (Slot s : slots) {
            if (s.running == null) {
                start(p, s);
                return;
            }
        }
        throw new IllegalStateException("no free slot");
    }

    private void start(Pending p, Slot s) {
        if (p.handle().cancelled()) return;
        GenerationJob job = p.job();
        s.session.reset();
        s.running = p;
        s.generated = 0;
        try {
            job.events().requestSent(System.nanoTime());
            if (job.logProbs() != null && job.logProbs().prompt()) scorePrompt(s.session, job);
            else s.session.prefill(job.prompt());
            job.events().prefillDone(System.nanoTime(), job.prompt().length);
        } catch (RuntimeException e) {
            s.running = null;
            job.events().failed(System.nanoTime(), ErrorKind.SERVER_ERROR, e.getMessage());
            return;
        }
        if (job.maxTokens() == 0) finish(s, FinishReason.LENGTH);
        else advance(s);
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
        s.running = null;
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
