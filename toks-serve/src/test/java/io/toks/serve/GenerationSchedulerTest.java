package io.toks.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.core.ToksException;
import io.toks.core.events.ErrorKind;
import io.toks.core.events.FinishReason;
import io.toks.core.events.TokenCountSource;
import io.toks.core.events.TokenEvents;
import io.toks.core.events.Usage;
import io.toks.engine.ModelLoader;
import io.toks.engine.model.InferenceSession;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.sampling.Sampler;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Chunked prefill in the scheduler, on the embedded model, read from the order in which the
 * engine thread tells each job of its progress (each step decodes one token of every running
 * request, so a running request's tokens count the steps): a prompt is prefilled a chunk per step
 * while the others keep decoding, a newcomer's first token comes after as many steps as its
 * prompt has chunks, and requests are served in arrival order whatever their prompts' lengths.
 */
class GenerationSchedulerTest {

    private static final int CHUNK = 8;
    private static LlamaModel model;

    @BeforeAll
    static void load() {
        model = ModelLoader.loadEmbedded();
    }

    /** What the engine told a job: requestSent, prefillDone, a token, finished. */
    private record Told(int job, String what) {}

    /** Every job's events in the one order the engine thread told them. */
    private static final class Log {
        private final List<Told> told = new ArrayList<>();
        private final List<CountDownLatch> finished = new ArrayList<>();
        private final List<List<Integer>> tokens = new ArrayList<>();
        private final List<FinishReason> reasons = new ArrayList<>();

        synchronized TokenEvents job(int job) {
            while (finished.size() <= job) {
                finished.add(new CountDownLatch(1));
                tokens.add(new ArrayList<>());
                reasons.add(null);
            }
            return new TokenEvents() {
                @Override public void requestSent(long nanos) { add(job, "sent"); }
                @Override public void prefillDone(long nanos, int promptTokens) { add(job, "prefilled"); }
                @Override public void tokens(long nanos, int count, TokenCountSource source, int tokenId) {
                    synchronized (Log.this) {
                        tokens.get(job).add(tokenId);
                        add(job, "token");
                    }
                }
                @Override public void finished(long nanos, FinishReason reason, Usage usage) {
                    synchronized (Log.this) {
                        reasons.set(job, reason);
                        add(job, "finished");
                    }
                    finished.get(job).countDown();
                }
            };
        }

        private synchronized void add(int job, String what) {
            told.add(new Told(job, what));
        }

        void awaitTokens(int job, int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                synchronized (this) {
                    if (tokens.get(job).size() >= count) return;
                }
                assertThat(System.nanoTime()).as("job %d's first %d tokens in time", job, count).isLessThan(deadline);
                Thread.sleep(1);
            }
        }

        void awaitFinished(int job) throws InterruptedException {
            CountDownLatch latch;
            synchronized (this) {
                latch = finished.get(job);
            }
            assertThat(latch.await(60, TimeUnit.SECONDS)).as("job %d finished", job).isTrue();
        }

        synchronized int indexOf(int job, String what) {
            for (int i = 0; i < told.size(); i++) if (told.get(i).equals(new Told(job, what))) return i;
            throw new AssertionError("job " + job + " was never told '" + what + "'");
        }

        /** Job's tokens told strictly between two indices of the log. */
        synchronized long tokensBetween(int job, int from, int to) {
            return told.subList(from + 1, to).stream().filter(t -> t.equals(new Told(job, "token"))).count();
        }

        synchronized List<Integer> firstTokenOrder() {
            return told.stream().filter(t -> t.what().equals("token")).map(Told::job).distinct().toList();
        }
    }

    private static int[] prompt(int length, long seed) {
        int[] p = new SplittableRandom(seed).ints(length, 3, model.config().vocabSize()).toArray();
        p[0] = model.tokenizer().bosId();
        return p;
    }

    /**
     * {@code events}, except that the engine thread, having told the {@code count}th token, waits
     * for {@code resume} (at most 60 s) before its next step: what the test does meanwhile cannot
     * race the engine.
     */
    private static TokenEvents heldAfter(int count, CountDownLatch resume, TokenEvents events) {
        return new TokenEvents() {
            private int told;

            @Override public void requestSent(long nanos) { events.requestSent(nanos); }
            @Override public void prefillDone(long nanos, int promptTokens) { events.prefillDone(nanos, promptTokens); }
            @Override public void tokens(long nanos, int n, TokenCountSource source, int tokenId) {
                events.tokens(nanos, n, source, tokenId);
                if (++told != count) return;
                try {
                    resume.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the scheduler is closing
                }
            }
            @Override public void finished(long nanos, FinishReason reason, Usage usage) { events.finished(nanos, reason, usage); }
            @Override public void failed(long nanos, ErrorKind kind, String message) { events.failed(nanos, kind, message); }
        };
    }

    private static GenerationJob job(int[] prompt, int maxTokens, TokenEvents events) {
        return new GenerationJob(prompt, maxTokens, 0, true, Sampler.of(0, 0, 1, 0), events);
    }

    @Test
    void aLongPromptIsPrefilledAChunkPerStepWhileOthersKeepDecoding() throws Exception {
        Log log = new Log();
        int promptLength = 61, chunks = (promptLength + CHUNK - 1) / CHUNK;
        CountDownLatch secondSubmitted = new CountDownLatch(1);
        try (var scheduler = new GenerationScheduler(model, 1, 3, 256, InferenceSession.DEFAULT_CACHE, CHUNK, 16)) {
            // Job 0 holds the engine in its third token until job 1 is queued, so job 1 starts while job 0
            // decodes however slow this thread is; job 0's 200 tokens then outlast job 1's dozen steps.
            GenerationJob.Handle running = scheduler.submit(job(prompt(5, 1), 200, heldAfter(3, secondSubmitted, log.job(0))));
            log.awaitTokens(0, 3); // decoding
            scheduler.submit(job(prompt(promptLength, 2), 4, log.job(1)));
            secondSubmitted.countDown();
            log.awaitFinished(1);
            running.cancel();
        }
        int sent = log.indexOf(1, "sent"), prefilled = log.indexOf(1, "prefilled"), firstToken = log.indexOf(1, "token");
        // One step per chunk, each also decoding the running request; its first token right after the last chunk's step.
        assertThat(log.tokensBetween(0, sent, prefilled)).as("steps while the prompt was prefilled").isEqualTo(chunks);
        assertThat(firstToken).isEqualTo(prefilled + 1);
        assertThat(log.tokens.get(1)).hasSize(4);
    }

    @Test
    void requestsAreServedInArrivalOrderWhateverTheirPromptsLengths() throws Exception {
        Log log = new Log();
        int[] promptLengths = {37, 3, 52, 9, 21, 44, 6}, maxTokens = {12, 30, 5, 18, 9, 25, 7};
        try (var scheduler = new GenerationScheduler(model, 2, 3, 256, InferenceSession.DEFAULT_CACHE, CHUNK, 16)) {
            for (int j = 0; j < promptLengths.length; j++) scheduler.submit(job(prompt(promptLengths[j], j), maxTokens[j], log.job(j)));
            for (int j = 0; j < promptLengths.length; j++) log.awaitFinished(j);
        }
        for (int j = 0; j < promptLengths.length; j++) {
            assertThat(log.tokens.get(j)).as("job %d's tokens", j).hasSize(maxTokens[j]);
            assertThat(log.reasons.get(j)).isEqualTo(FinishReason.LENGTH);
        }
        // The oldest prompt takes each step's budget first: none is overtaken, none waits for ever.
        assertThat(log.firstTokenOrder()).containsExactly(0, 1, 2, 3, 4, 5, 6);
    }

    /** Tokens do not depend on how requests were batched: each request alone, then all together, chunks mixed with decoding. */
    @Test
    void seededTokensAreTheSameAloneAndBatched() throws Exception {
        int[] promptLengths = {19, 4, 33, 11};
        Log alone = new Log(), together = new Log();
        try (var scheduler = new GenerationScheduler(model, 1, 1, 256, InferenceSession.DEFAULT_CACHE, CHUNK, 16)) {
            for (int j = 0; j < promptLengths.length; j++) {
                scheduler.submit(new GenerationJob(prompt(promptLengths[j], j), 24, 0, true, Sampler.of(0.9f, 0, 0.95f, 100 + j),
                        alone.job(j)));
                alone.awaitFinished(j);
            }
        }
        try (var scheduler = new GenerationScheduler(model, 2, 4, 256, InferenceSession.DEFAULT_CACHE, CHUNK, 16)) {
            for (int j = 0; j < promptLengths.length; j++) {
                scheduler.submit(new GenerationJob(prompt(promptLengths[j], j), 24, 0, true, Sampler.of(0.9f, 0, 0.95f, 100 + j),
                        together.job(j)));
            }
            for (int j = 0; j < promptLengths.length; j++) together.awaitFinished(j);
        }
        for (int j = 0; j < promptLengths.length; j++) assertThat(together.tokens.get(j)).as("job %d", j).isEqualTo(alone.tokens.get(j));
    }

    @Test
    void aChunkOfNoTokensIsRefused() {
        assertThatThrownBy(() -> new GenerationScheduler(model, 1, 1, 64, InferenceSession.DEFAULT_CACHE, 0, 4))
                .isInstanceOf(ToksException.class).hasMessage("the prefill chunk must be >= 1 token, got 0");
    }
}
