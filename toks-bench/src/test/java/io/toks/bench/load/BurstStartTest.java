package io.toks.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.http.client.StreamingHttpClient;
import io.toks.http.openai.ApiFlavor;
import io.toks.http.openai.NioStreamTransport;
import io.toks.http.openai.OpenAiStreamClient;
import io.toks.http.testserver.ResponsePlan;
import io.toks.http.testserver.ScriptedOpenAiServer;
import io.toks.http.testserver.ServedRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The first round of a level, from a fresh client: its connections are opened before the level's
 * clock starts (not one after another as its requests go out), every stream's first request is
 * due at the start (so any lag of the client is counted, not hidden in a later due time), and
 * {@code ttft_from_send} is the server's part of the TTFT, checked against the server's own log
 * of when it received each request and wrote its first token.
 */
class BurstStartTest {

    private static final long MS = 1_000_000;
    private static final int STREAMS = 32;

    static ResponsePlan plan(long n) {
        List<ResponsePlan.Chunk> chunks = new ArrayList<>();
        // TTFT 40 ms, spread over 4 ms so the streams' first tokens are not all one burst of writes.
        for (int i = 0; i < 8; i++) chunks.add(new ResponsePlan.Chunk((40 + n % 4) * MS + i * 5 * MS, 1));
        return ResponsePlan.ok(8, chunks);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nio", "blocking"})
    void aBurstsConnectionsAreReadyBeforeItsClockAndItsLagIsReportedApart(String transport) throws Exception {
        // The JVM's code warmed on another server and client: what is checked below is the fresh
        // client's connections and timestamps, not the JIT's first seconds on 2 shared cores.
        try (ScriptedOpenAiServer other = new ScriptedOpenAiServer(BurstStartTest::plan);
             StreamingHttpClient http = new StreamingHttpClient(Duration.ofSeconds(5), Duration.ofSeconds(5));
             NioStreamTransport nio = new NioStreamTransport(Duration.ofSeconds(5), Duration.ofSeconds(5))) {
            OpenAiStreamClient client = new OpenAiStreamClient(http, transport.equals("nio") ? nio : null,
                    URI.create(other.baseUrl()), ApiFlavor.CHAT, null);
            new LoadRunner(new OpenAiTarget(client, new OpenAiTarget.Settings("m", 0, null)),
                    PromptSource.fixed(new LoadPrompt("hello", 8, 8)), true, null, 1, r -> {})
                    .run(new LoadShape.Concurrency(STREAMS), RunLength.requests(4 * STREAMS));
        }
        // The first tokens' timing is measured again once, from another fresh client and server,
        // when it misses: on 2 shared cores a GC pause or a neighbour's burst the probe did not
        // share can delay one timestamp. A second miss fails; the first is printed, not hidden.
        // What no host load excuses (a connection opened in the level, a request lost, a first
        // request not due at the start) fails at once.
        for (int attempt = 1; ; attempt++) {
            FirstTokens firstTokens = freshBurst(transport);
            try {
                firstTokens.assertTimely();
                return;
            } catch (AssertionError e) {
                if (attempt == 2) throw e;
                System.out.printf("%s: first burst's first tokens off (%s); measuring it again%n", transport,
                        e.getMessage().strip().lines().findFirst().orElse(""));
            }
        }
    }

    /** One burst of {@link #STREAMS} streams from a fresh client, checked for all but its timing, which it returns. */
    private static FirstTokens freshBurst(String transport) throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(BurstStartTest::plan);
             StreamingHttpClient http = new StreamingHttpClient(Duration.ofSeconds(5), Duration.ofSeconds(5));
             NioStreamTransport nio = new NioStreamTransport(Duration.ofSeconds(5), Duration.ofSeconds(5))) {
            OpenAiStreamClient client = new OpenAiStreamClient(http, transport.equals("nio") ? nio : null,
                    URI.create(server.baseUrl()), ApiFlavor.CHAT, null);
            OpenAiTarget target = new OpenAiTarget(client, new OpenAiTarget.Settings("m", 0, null));
            LoadRunner runner = new LoadRunner(target, PromptSource.fixed(new LoadPrompt("hello", 8, 8)), true, null, 1, r -> {});
            // What the runner does before a level's clock: one connection per stream, opened at once.
            assertThat(LoadRunner.connectionsAhead(new LoadShape.Concurrency(STREAMS), RunLength.requests(2 * STREAMS))).isEqualTo(STREAMS);
            target.warmUp(STREAMS);
            // The server accepts what the kernel already connected when its thread gets to it; on a
            // busy host that may take a while, which is no fault of the client's: 10 s, not a hang.
            for (long until = System.nanoTime() + 10_000 * MS; server.acceptedConnections() < STREAMS && System.nanoTime() < until; ) {
                Thread.sleep(1);
            }
            assertThat(server.acceptedConnections()).isEqualTo(STREAMS);
            LevelRun run;
            SchedulingJitterProbe.Lateness hostJitter;
            try (var probe = new SchedulingJitterProbe()) {
                run = runner.run(new LoadShape.Concurrency(STREAMS), RunLength.requests(2 * STREAMS));
                hostJitter = probe.lateness();
            }
            LevelMetrics m = LevelAnalysis.analyze(run, Duration.ZERO, Duration.ZERO, Slo.NONE);
            assertThat(m.succeeded()).isEqualTo(2 * STREAMS);

            // No request opened a connection of its own (the runner's own warm-up found the pool full).
            assertThat(server.acceptedConnections()).as(run.results().stream().filter(r -> !r.ok()).map(r -> r.completion().errorMessage()).toList().toString()).isEqualTo(STREAMS);
            // Each stream's first request is due at the start: a late first send is lag, counted.
            assertThat(run.results().stream().filter(r -> r.scheduledNanos() == run.startNanos())).hasSize(STREAMS);

            int n = run.results().size();
            double[] lag = new double[n], fromSendLessServerTtft = new double[n], wayOut = new double[n];
            int i = 0;
            for (RequestResult r : run.results()) {
                ServedRequest truth = server.served().get(r.id());
                long serverTtft = truth.writeNanos()[0] - truth.receivedNanos();
                long fromSend = r.completion().chunkNanos()[0] - r.completion().sentNanos();
                // ttft from the due time is the client's lag plus ttft from the send, request by request.
                assertThat(r.metrics().ttftNanos()).isEqualTo(r.sendLagNanos() + fromSend);
                fromSendLessServerTtft[i] = (fromSend - serverTtft) / 1e6;
                wayOut[i] = (r.completion().chunkNanos()[0] - truth.writeNanos()[0]) / 1e6;
                lag[i++] = r.sendLagNanos() / 1e6;
            }
            assertThat(m.ttftFromSend().count()).isEqualTo(2 * STREAMS);
            assertThat(m.toRun(null).metric(io.toks.core.result.Metric.TTFT_FROM_SEND).n()).isEqualTo(2 * STREAMS);
            java.util.Arrays.sort(lag);
            System.out.printf("%s, %d streams from a fresh client: send lag p50 %.2f ms, max %.2f ms; ttft p50 %.2f ms, from send %.2f ms%n",
                    transport, STREAMS, lag[lag.length / 2], lag[lag.length - 1], m.ttft().p50(), m.ttftFromSend().p50());
            java.util.Arrays.sort(fromSendLessServerTtft);
            java.util.Arrays.sort(wayOut);
            return new FirstTokens(fromSendLessServerTtft, wayOut, hostJitter);
        }
    }

    /**
     * {@code ttft_from_send} against the server's log (the same clock, one process), request by
     * request: not less than what the server took from receiving the request to writing the
     * first token; more by the request's way in (sent -> received: the server's own scheduling,
     * its time) and the token's way out (written -> timestamped by the client: the client's error).
     *
     * @param fromSendLessServerTtft ttft from send less the server's own ttft (ms), sorted
     * @param wayOut                 first token written -> timestamped by the client (ms), sorted
     */
    private record FirstTokens(double[] fromSendLessServerTtft, double[] wayOut, SchedulingJitterProbe.Lateness hostJitter) {

        void assertTimely() {
            // It may be less: the client stamps "sent" once its write returns, and the server, on
            // the other core, may have read the request by then, by more than a scheduler delay
            // only if the client's clock reading was itself delayed: 1 ms + the host's wake-up
            // delay. The smallest of the requests is one sample: the host's worst wake-up.
            assertThat(fromSendLessServerTtft[0]).as("ttft from send - the server's own ttft, least over the requests (ms); " + hostJitter)
                    .isGreaterThan(-1 - hostJitter.maxMillis());
            // The way out is held to 1 ms at the median plus the host's scheduling jitter (p99
            // while the level ran), which delays any thread here whatever it does, and to 5 ms at
            // the max plus the host's worst wake-up (one sample: one scheduler hiccup on 2 shared
            // cores may be all of it): ScheduleAccuracyTest's margins.
            assertThat(wayOut[wayOut.length / 2]).as("first token written -> timestamped, p50 (ms); " + hostJitter)
                    .isLessThan(1 + hostJitter.p99Millis());
            assertThat(wayOut[wayOut.length - 1]).as("first token written -> timestamped, max (ms); " + hostJitter)
                    .isLessThan(5 + hostJitter.maxMillis());
        }
    }
}
