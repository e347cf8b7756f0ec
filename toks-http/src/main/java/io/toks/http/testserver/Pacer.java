package io.toks.http.testserver;

import io.toks.http.server.HttpResponse;
import java.io.IOException;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes every scripted stream's chunks at their due times from one thread: a wake-up per due
 * time, not a parked thread per stream and chunk, so the test server stays cheap next to the
 * client it measures. Writes are small and the sockets' buffers take them at once.
 */
final class Pacer implements AutoCloseable {

    /** One stream's chunks still to write. */
    static final class Stream {
        final HttpResponse response;
        final ResponsePlan plan;
        final long start;
        final long[] writes;
        final int count;
        final boolean stampWrites;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        int next;
        int cumulative;

        /**
         * @param count chunks to write (those before a planned fault)
         * @param writes where to record each write's time
         */
        Stream(HttpResponse response, ResponsePlan plan, long start, long[] writes, int count, boolean stampWrites) {
            this.response = response;
            this.plan = plan;
            this.start = start;
            this.writes = writes;
            this.count = count;
            this.stampWrites = stampWrites;
        }

        long due() {
            return start + plan.chunks().get(next).offsetNanos();
        }

        void writeNext() throws IOException {
            ResponsePlan.Chunk chunk = plan.chunks().get(next);
            cumulative += chunk.tokens();
            String usage = plan.continuousUsage() ? ScriptedOpenAiServer.usage(plan.promptTokens(), cumulative) : "";
            long now = System.nanoTime();
            // One string for the whole SSE message (not JSON, then "data: " around it): fewer copies per event.
            String message = ScriptedOpenAiServer.textEvent(stampWrites ? " @" + now : ScriptedOpenAiServer.words(chunk.tokens(), next), usage);
            writes[next] = now;
            response.writeChunk(message);
            next++;
        }
    }

    private final PriorityQueue<Stream> queue = new PriorityQueue<>((a, b) -> Long.compare(a.due(), b.due()));
    private final Thread thread;
    private volatile boolean closed;

    Pacer() {
        thread = Thread.ofPlatform().daemon().name("scripted-pacer").start(this::run);
    }

    /** Schedules a stream; the future completes when its chunks are written (exceptionally if a write fails: the client left). */
    CompletableFuture<Void> stream(Stream s) {
        if (s.count == 0) {
            s.done.complete(null);
            return s.done;
        }
        synchronized (queue) {
            queue.add(s);
        }
        LockSupport.unpark(thread);
        return s.done;
    }

    private void run() {
        while (!closed) step();
    }

    /** Writes the next due chunk, or waits for it: a method the JIT compiles when called, not a loop body it must replace on the stack mid-run. */
    private void step() {
        Stream s;
        long wait;
        synchronized (queue) {
            s = queue.peek();
            wait = s == null ? Long.MAX_VALUE : s.due() - System.nanoTime();
            if (s != null && wait <= 0) queue.poll();
        }
        if (s == null || wait > 0) {
            LockSupport.parkNanos(s == null ? 50_000_000L : wait);
            return;
        }
        try {
            s.writeNext();
            if (s.next == s.count) {
                s.done.complete(null);
            } else {
                synchronized (queue) {
                    queue.add(s);
                }
            }
        } catch (IOException | RuntimeException e) {
            s.done.completeExceptionally(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        synchronized (queue) {
            queue.forEach(s -> s.done.completeExceptionally(new IOException("server closed")));
            queue.clear();
        }
    }
}
