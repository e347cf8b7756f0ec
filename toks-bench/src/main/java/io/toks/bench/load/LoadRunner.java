package io.toks.bench.load;

import io.toks.core.events.TokenEvents;
import io.toks.core.jfr.ToksEvents;
import io.toks.core.target.TargetRequest;
import io.toks.http.openai.StreamedCompletion;
import io.toks.tokenizer.Tokenizer;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Offers one level of load to a server and records every request. Each request runs on its own
 * virtual thread with a blocking socket, so thousands of streams cost little and every timestamp
 * is taken by the thread that read the bytes.
 * <p>
 * Open loop: a scheduler computes each request's due time from the arrival process up front and
 * launches it then; when the client falls behind, the request still counts from its due time, so
 * coordinated omission cannot hide a slow server or a slow client.
 */
public final class LoadRunner {

    private final OpenAiTarget target;
    private final PromptSource prompts;
    private final boolean forceLength;
    private final Tokenizer retokenizer;
    private final Consumer<RequestResult> sink;
    private final AtomicLong ids = new AtomicLong();
    private final long seed;

    /**
     * @param forceLength ask the server for exactly each prompt's output length
     * @param retokenizer re-counts generated text when not null (costs client CPU)
     * @param sink        receives each request as it ends (journal, progress); called concurrently
     */
    public LoadRunner(OpenAiTarget target, PromptSource prompts, boolean forceLength, Tokenizer retokenizer,
                      long seed, Consumer<RequestResult> sink) {
        this.target = target;
        this.prompts = prompts;
        this.forceLength = forceLength;
        this.retokenizer = retokenizer;
        this.seed = seed;
        this.sink = sink;
    }

    public LevelRun run(LoadShape shape, RunLength length) {
        ConcurrentLinkedQueue<RequestResult> results = new ConcurrentLinkedQueue<>();
        // Before the level's clock starts: its connections opened in parallel, so the first
        // requests do not go out one after another behind their connects (late by the whole burst).
        target.warmUp(connectionsAhead(shape, length));
        long cpuBefore = processCpuNanos();
        long start = switch (shape) {
            case LoadShape.Concurrency c -> closedLoop(c.streams(), length, results);
            case LoadShape.Rate r -> openLoop(r, length, results);
        };
        long end = System.nanoTime();
        long cpuAfter = processCpuNanos();
        double cpu = cpuBefore < 0 || cpuAfter < 0 ? -1 : (cpuAfter - cpuBefore) / 1e9;
        return new LevelRun(shape, start, end, List.copyOf(results), cpu);
    }

    /**
     * Connections to open before a level: one per stream of a closed loop; an open loop's
     * concurrency is its rate times the server's latency, unknown before it runs, so a second's
     * arrivals (at most 64) are opened and later requests connect as they need.
     */
    static int connectionsAhead(LoadShape shape, RunLength length) {
        int wanted = switch (shape) {
            case LoadShape.Concurrency c -> c.streams();
            case LoadShape.Rate r -> (int) Math.min(64, Math.ceil(r.perSecond()));
        };
        return length.duration() == null ? Math.min(wanted, length.requests()) : wanted;
    }

    /** @return when the level's clock started */
    private long closedLoop(int streams, RunLength length, ConcurrentLinkedQueue<RequestResult> out) {
        AtomicLong issued = new AtomicLong();
        // Every stream's thread is started and parked before the clock starts, and each stream's
        // first request is due at the start itself: starting threads is never hidden in a late due
        // time. All are unparked at once (a latch would wake them one after another).
        Thread[] parked = new Thread[streams];
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(streams);
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(); // 0 until the start
        try (ExecutorService streamsPool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < streams; s++) {
                int stream = s;
                streamsPool.submit(() -> {
                    parked[stream] = Thread.currentThread();
                    ready.countDown();
                    long start;
                    while ((start = clock.get()) == 0) LockSupport.park();
                    for (long due = start; ; due = System.nanoTime()) {
                        long index = issued.getAndIncrement();
                        if (!length.admits(index, due - start)) return;
                        out.add(execute(due));
                    }
                });
            }
            try {
                ready.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            clock.set(System.nanoTime());
            for (Thread t : parked) LockSupport.unpark(t);
        }
        return clock.get();
    }

    /** @return when the level's clock started */
    private long openLoop(LoadShape.Rate rate, RunLength length, ConcurrentLinkedQueue<RequestResult> out) {
        SplittableRandom random = new SplittableRandom(seed);
        double meanGapNanos = 1e9 / rate.perSecond();
        long start = System.nanoTime();
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            double offset = 0; // the first request is due at once
            for (long index = 0; length.admits(index, (long) offset); index++) {
                long due = start + (long) offset;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) LockSupport.parkNanos(wait);
                requests.submit(() -> out.add(execute(due)));
                offset += rate.arrival() == LoadShape.Arrival.POISSON
                        ? -Math.log(1 - random.nextDouble()) * meanGapNanos : meanGapNanos;
            }
        }
        return start;
    }

    private RequestResult execute(long dueNanos) {
        // Prompts continue from level to level (the runner's count, not the level's index): a
        // sweep that sent every level the same prompts let a server's prompt cache answer the
        // later levels (llama-server keeps the prompts it saw), measuring a cached answer.
        long n = ids.incrementAndGet();
        LoadPrompt prompt = prompts.prompt(n - 1);
        String id = "toks-" + n;
        StreamedCompletion c = target.stream(new TargetRequest(id, prompt.text(), prompt.outputTokens(), forceLength));
        int retokenized = retokenizer == null || !c.ok() ? -1 : retokenizer.encode(c.text(), false, false).length;
        RequestResult r = RequestResult.of(id, dueNanos, prompt, c, retokenized);
        if (ToksEvents.requestsEnabled()) c.replay(ToksEvents.recording("client", target.model(), TokenEvents.NONE));
        sink.accept(r);
        return r;
    }

    /** CPU time of this process so far, or -1 where the JVM does not say. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
