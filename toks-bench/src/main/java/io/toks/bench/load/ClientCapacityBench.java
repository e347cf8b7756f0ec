package io.toks.bench.load;

import io.toks.http.client.StreamingHttpClient;
import io.toks.http.openai.ApiFlavor;
import io.toks.http.openai.NioStreamTransport;
import io.toks.http.openai.OpenAiStreamClient;
import io.toks.http.testserver.ResponsePlan;
import io.toks.http.testserver.ScriptedOpenAiServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * How much load this client sustains and how exact its timestamps stay: a scripted server sends
 * every stream one event per interval, each carrying the time it was written, and the client
 * compares each event's arrival timestamp with it. The server runs in this JVM, or in another
 * process on this machine ({@link #startServer}; Linux's monotonic clock is shared by processes).
 */
public final class ClientCapacityBench {

    /**
     * @param streams          concurrent streams
     * @param eventsPerStream  events each stream receives
     * @param intervalMillis   gap between a stream's events
     */
    public record Settings(int streams, int eventsPerStream, double intervalMillis) {
        int warmupEvents() {
            return Math.min(WARMUP_EVENTS, eventsPerStream);
        }
    }

    /**
     * @param delivery        per event: client arrival timestamp minus server write time (added latency)
     * @param steady          the same for the events written in the steady state: after every
     *                        stream's first event was written and before any stream's last one
     *                        arrived (null when the schedule is too short to have one)
     * @param steadyEvents    how many events that is
     * @param eventsPerSecond events received per second of the streaming phase
     */
    public record Result(Settings settings, int completedStreams, int failedStreams, java.util.Map<String, Integer> failures,
                         long events, double seconds, double eventsPerSecond, LatencyStats delivery, LatencyStats steady,
                         long steadyEvents, double clientCpuShare, GcActivity gc, JitActivity jit) {}

    /** The client JVM's garbage collections during the measured run: their pauses delay every event in flight. */
    public record GcActivity(long collections, long millis) {
        static GcActivity now() {
            long count = 0, millis = 0;
            for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
                count += Math.max(0, gc.getCollectionCount());
                millis += Math.max(0, gc.getCollectionTime());
            }
            return new GcActivity(count, millis);
        }

        GcActivity since(GcActivity before) {
            return new GcActivity(collections - before.collections, millis - before.millis);
        }
    }

    /**
     * The client JVM's JIT compilation during the measured run (the in-process server's included):
     * on a small machine a C2 compilation takes a core from the client's selector thread and the
     * server's pacer for as long as it runs, and every event in flight waits (docs/performance.md,
     * "Load client: what stalls"). {@code millis} is -1 where the JVM does not report it.
     */
    public record JitActivity(long millis) {
        static JitActivity now() {
            var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
            return new JitActivity(jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1);
        }

        JitActivity since(JitActivity before) {
            return millis < 0 || before.millis < 0 ? new JitActivity(-1) : new JitActivity(millis - before.millis);
        }

        /**
         * Waits, idle, until the JIT has compiled nothing for {@code quietMillis} (at most
         * {@code maxMillis}): the compilations the warm-up queued then finish before the clock starts
         * instead of competing with the measured run for the cores.
         */
        static void awaitQuiet(long quietMillis, long maxMillis) {
            long deadline = System.nanoTime() + maxMillis * 1_000_000L;
            JitActivity last = now();
            if (last.millis < 0) return;
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                JitActivity current = now();
                if (current.millis != last.millis) quietSince = System.nanoTime();
                else if (System.nanoTime() - quietSince >= quietMillis * 1_000_000L) return;
                last = current;
            }
        }
    }

    /**
     * Before the measured run the client runs {@link Settings#streams} streams of this many
     * events (or fewer, as many as measured), the same concurrency as measured, so that the JIT
     * has compiled the per-event path and the connection pool is full. The first {@code streams}
     * requests a server gets are these. Why a full round: with a warm-up of 64 streams, the p99
     * of 2 s measured runs was 3.6-6.6 ms, falling to 0.4-0.8 ms in runs of 8-20 s (C2 still
     * compiling during the first seconds).
     */
    public static final int WARMUP_EVENTS = 50;

    private ClientCapacityBench() {}

    /** The scripted server for these settings, stamping write times into the text. */
    public static ScriptedOpenAiServer startServer(Settings s, int port) throws IOException {
        long interval = Math.round(s.intervalMillis() * 1e6);
        // The first events come after all streams have connected, spread over one interval so the
        // server does not write every stream in the same instant.
        long connectAllowance = Math.max(500_000_000L, s.streams() * 200_000L);
        return new ScriptedOpenAiServer(n -> plan(n, s, interval, connectAllowance), port, true);
    }

    /** Runs the client against an in-process server. */
    public static Result run(Settings s, boolean nio) throws IOException {
        try (ScriptedOpenAiServer server = startServer(s, 0)) {
            return measure(s, URI.create(server.baseUrl()), nio);
        }
    }

    /** Runs the client against a scripted server at {@code baseUrl} started with the same settings. */
    public static Result measure(Settings s, URI baseUrl, boolean nio) throws IOException {
        try (StreamingHttpClient http = new StreamingHttpClient(Duration.ofSeconds(30), Duration.ofSeconds(60));
             NioStreamTransport transport = new NioStreamTransport(Duration.ofSeconds(30), Duration.ofSeconds(60))) {
            OpenAiStreamClient client = new OpenAiStreamClient(http, nio ? transport : null, baseUrl, ApiFlavor.CHAT, null);
            var target = new OpenAiTarget(client, new OpenAiTarget.Settings("scripted", -1, null));
            new LoadRunner(target, PromptSource.fixed(new LoadPrompt("capacity", 1, s.warmupEvents())), true, null, 1, r -> {})
                    .run(new LoadShape.Concurrency(s.streams()), RunLength.requests(s.streams()));
            JitActivity.awaitQuiet(300, 10_000);
            LoadRunner runner = new LoadRunner(target, PromptSource.fixed(new LoadPrompt("capacity", 1, s.eventsPerStream())),
                    true, null, 1, r -> {});
            GcActivity gcBefore = GcActivity.now();
            JitActivity jitBefore = JitActivity.now();
            LevelRun run = runner.run(new LoadShape.Concurrency(s.streams()), RunLength.requests(s.streams()));
            GcActivity gc = GcActivity.now().since(gcBefore);
            JitActivity jit = JitActivity.now().since(jitBefore);
            Histogram delivery = LatencyStats.newHistogram(), steady = LatencyStats.newHistogram();
            long events = 0, first = Long.MAX_VALUE, last = Long.MIN_VALUE;
            int ok = 0;
            java.util.Map<String, Integer> failures = new java.util.TreeMap<>();
            List<long[][]> stamped = new ArrayList<>(); // per stream: write times, arrival times
            for (RequestResult r : run.results()) {
                if (!r.ok()) {
                    failures.merge(r.completion().error() + ": " + r.completion().errorMessage(), 1, Integer::sum);
                    continue;
                }
                ok++;
                long[] written = writeStamps(r.completion().text());
                long[] arrivals = r.completion().chunkNanos();
                if (written.length != arrivals.length) throw new IllegalStateException("server is not a stamping scripted server");
                for (int i = 0; i < arrivals.length; i++) {
                    LatencyStats.recordNanos(delivery, arrivals[i] - written[i]);
                    first = Math.min(first, written[i]);
                    last = Math.max(last, arrivals[i]);
                }
                stamped.add(new long[][] {written, arrivals});
                events += arrivals.length;
            }
            long[] window = steadyWindow(stamped);
            long steadyEvents = 0;
            for (long[][] stream : stamped) {
                for (int i = 0; i < stream[0].length; i++) {
                    if (stream[0][i] < window[0] || stream[0][i] >= window[1]) continue;
                    LatencyStats.recordNanos(steady, stream[1][i] - stream[0][i]);
                    steadyEvents++;
                }
            }
            double seconds = (last - first) / 1e9;
            double levelSeconds = (run.endNanos() - run.startNanos()) / 1e9;
            double cpu = run.clientCpuSeconds() < 0 ? Double.NaN
                    : run.clientCpuSeconds() / (levelSeconds * Runtime.getRuntime().availableProcessors());
            return new Result(s, ok, run.results().size() - ok, failures, events, seconds, events / seconds, LatencyStats.of(delivery),
                    steadyEvents == 0 ? null : LatencyStats.of(steady), steadyEvents, cpu, gc, jit);
        }
    }

    /**
     * The steady state's write times, [from, until): from the latest stream's first write (every
     * stream has started) to the earliest stream's last arrival (its completion starts there).
     * Why it ends when the first stream ends: every stream's last event is due within the same
     * interval, so all of them complete together, and their completions (each a request's results:
     * its chunk times, events, the next request) take the client's cores from the streams still
     * running, and the ends read many times later than the middle (docs/performance.md, "Load
     * client: what stalls"). A real run's requests end one by one; this run's all at once.
     *
     * @param stamped per stream: its write times, then its arrival times
     */
    static long[] steadyWindow(List<long[][]> stamped) {
        long from = Long.MIN_VALUE, until = Long.MAX_VALUE;
        for (long[][] stream : stamped) {
            if (stream[0].length == 0) continue;
            from = Math.max(from, stream[0][0]);
            until = Math.min(until, stream[1][stream[1].length - 1]);
        }
        return new long[] {from, until};
    }

    /** The write times in a stamped text: " @123 @456 ...". */
    static long[] writeStamps(String text) {
        String[] parts = text.trim().split(" ");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].startsWith("@")) throw new IllegalStateException("server is not a stamping scripted server");
            out[i] = Long.parseLong(parts[i].substring(1));
        }
        return out;
    }

    /** Request {@code n}'s plan: the first {@code streams} requests are the client's warm-up round. */
    private static ResponsePlan plan(long n, Settings s, long interval, long connectAllowance) {
        List<ResponsePlan.Chunk> chunks = new ArrayList<>();
        long phase = (long) ((n * 0.618033988749895 % 1.0) * interval);
        int events = n < s.streams() ? s.warmupEvents() : s.eventsPerStream();
        for (int i = 0; i < events; i++) chunks.add(new ResponsePlan.Chunk(connectAllowance + phase + i * interval, 1));
        return ResponsePlan.ok(1, chunks);
    }
}
