package io.toks.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.toks.core.events.TokenCountSource;
import io.toks.http.client.StreamingHttpClient;
import io.toks.http.openai.ApiFlavor;
import io.toks.http.openai.OpenAiStreamClient;
import io.toks.http.openai.StreamedCompletion;
import io.toks.core.events.Usage;
import io.toks.http.testserver.ResponsePlan;
import io.toks.http.testserver.ScriptedOpenAiServer;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Open-loop scheduling, latency from the schedule, windows, goodput and the sweep's search. */
class OpenLoopTest {

    private static final long MS = 1_000_000;

    /**
     * 40 requests due 10 ms apart, each answered over 30 ms (so they overlap: a client that waited
     * for one answer before sending the next would fall 20 ms further behind with each). Judged
     * against the due times and the server's own arrival log on the same clock, not against the
     * wall-clock rate of this run alone: no request arrives before it is due, and how late they
     * arrive is held to deterministic margins on top of how late this host wakes any thread
     * meanwhile (on 2 shared cores another tenant's load makes that several ms).
     */
    @Test
    void constantArrivalsKeepTheirScheduleAndTheRateIsReached() throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(n -> ResponsePlan.ok(4,
                List.of(new ResponsePlan.Chunk(10 * MS, 1), new ResponsePlan.Chunk(30 * MS, 1))));
             StreamingHttpClient http = new StreamingHttpClient(Duration.ofSeconds(5), Duration.ofSeconds(5))) {
            OpenAiStreamClient client = new OpenAiStreamClient(http, URI.create(server.baseUrl()), ApiFlavor.CHAT, null);
            LoadRunner runner = new LoadRunner(new OpenAiTarget(client, new OpenAiTarget.Settings("m", 0, null)),
                    PromptSource.fixed(new LoadPrompt("x", 4, 2)), true, null, 9, r -> {});
            runner.run(new LoadShape.Concurrency(4), RunLength.requests(20)); // JIT warm-up of both sides, kept out of the log
            // The level is run again once when its lateness misses: on 2 shared cores a GC pause
            // or another tenant's burst longer than the probe saw can delay the sends. A second
            // miss fails; the first is printed, not hidden. What no host load excuses (a lost
            // request, an early one, a wrong schedule) fails at once.
            for (int attempt = 1; ; attempt++) {
                Arrivals arrivals = constantArrivals(server, runner);
                try {
                    arrivals.assertOnTime();
                    return;
                } catch (AssertionError e) {
                    if (attempt == 2) throw e;
                    System.out.printf("constant arrivals: first level late (%s); measuring it again%n",
                            e.getMessage().strip().lines().findFirst().orElse(""));
                }
            }
        }
    }

    /** 40 requests at 100/s, checked for what does not depend on the host's load; their lateness is returned. */
    private static Arrivals constantArrivals(ScriptedOpenAiServer server, LoadRunner runner) throws Exception {
        server.served().clear();
        LevelRun run;
        SchedulingJitterProbe.Lateness hostJitter;
        try (var probe = new SchedulingJitterProbe()) {
            run = runner.run(new LoadShape.Rate(100, LoadShape.Arrival.CONSTANT), RunLength.requests(40));
            hostJitter = probe.lateness();
        }
        assertThat(run.results()).hasSize(40);
        assertThat(server.served()).hasSize(40);
        List<RequestResult> byDue = new ArrayList<>(run.results());
        byDue.sort(java.util.Comparator.comparingLong(RequestResult::scheduledNanos));
        // The schedule itself: exact.
        for (int i = 1; i < byDue.size(); i++) {
            assertThat((double) (byDue.get(i).scheduledNanos() - byDue.get(i - 1).scheduledNanos())).isCloseTo(10 * MS, within(1000.0));
        }
        // Arrivals at the server, from each due time: never early; late by the client's own lag only.
        double[] lateMs = byDue.stream().mapToDouble(r -> (server.served().get(r.id()).receivedNanos() - r.scheduledNanos()) / 1e6)
                .sorted().toArray();
        Arrivals arrivals = new Arrivals(lateMs, hostJitter);
        assertThat(lateMs[0]).as(arrivals.toString()).isGreaterThanOrEqualTo(0);

        LevelMetrics m = LevelAnalysis.analyze(run, Duration.ZERO, Duration.ZERO, Slo.NONE);
        assertThat(m.targetRate()).isEqualTo(100);
        assertThat(m.scheduledRate()).isCloseTo(100, within(0.01));
        // The rate reached is the schedule's, less only what the last request's lateness costs:
        // at least 39 requests over 390 ms plus the largest lateness the server saw.
        assertThat(m.achievedRate()).as(arrivals.toString()).isGreaterThanOrEqualTo(39 / ((390 + lateMs[lateMs.length - 1]) / 1e3) - 1e-9)
                .isLessThanOrEqualTo(100 + 1e-9);
        assertThat(m.succeeded()).isEqualTo(40);
        return arrivals;
    }

    /** How late each request arrived at the server from its due time (ms, sorted), and how late the host woke threads meanwhile. */
    private record Arrivals(double[] lateMs, SchedulingJitterProbe.Lateness hostJitter) {

        void assertOnTime() {
            // The body within 5 ms: a client that sent everything a gap late (10 ms) fails.
            assertThat(lateMs[lateMs.length / 2]).as(toString()).isLessThanOrEqualTo(5 + hostJitter.p99Millis());
            // The worst one within 50 ms plus the host's worst wake-up (it is one sample: one stall
            // of the host may be all of it): a client that waited for each answer would be ~780 ms
            // late at the 40th.
            assertThat(lateMs[lateMs.length - 1]).as(toString()).isLessThanOrEqualTo(50 + hostJitter.maxMillis());
        }

        @Override
        public String toString() {
            return "arrival lateness (ms) " + java.util.Arrays.toString(lateMs) + ", " + hostJitter;
        }
    }

    @Test
    void poissonArrivalsAverageTheRate() {
        // The schedule alone: 2000 exponential gaps at 50/s average 20 ms.
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        double sum = 0;
        for (int i = 0; i < 2000; i++) sum += -Math.log(1 - random.nextDouble()) * 20;
        assertThat(sum / 2000).isCloseTo(20, within(1.5));
    }

    /** A request that left 40 ms late: its latency counts from when it was due, not when it left. */
    @Test
    void latencyCountsFromTheScheduleSoLateSendsAreNotHidden() {
        List<RequestResult> results = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long due = i * 100 * MS;
            long sent = due + (i == 5 ? 40 * MS : 0);
            StreamedCompletion c = new StreamedCompletion(sent, sent + MS, sent + 30 * MS, 200,
                    new long[] {sent + 10 * MS, sent + 20 * MS, sent + 30 * MS}, new int[] {-1, -1, -1}, "a b c",
                    new Usage(3, 3), io.toks.core.events.FinishReason.LENGTH, null, null);
            results.add(new RequestResult("r" + i, due, new LoadPrompt("p", 3, 3), c, 3, TokenCountSource.SERVER_USAGE, -1));
        }
        LevelRun run = new LevelRun(new LoadShape.Rate(10, LoadShape.Arrival.CONSTANT), 0, 930 * MS, results, -1);
        LevelMetrics m = LevelAnalysis.analyze(run, Duration.ZERO, Duration.ZERO, Slo.parse("ttft=20ms"));
        assertThat(m.ttft().max()).isCloseTo(50, within(0.1));
        assertThat(m.ttft().p50()).isCloseTo(10, within(0.1));
        assertThat(m.sendLag().max()).isCloseTo(40, within(0.1));
        assertThat(m.goodput() * m.windowSeconds()).isCloseTo(9, within(1e-9)); // the late one missed the SLO
        assertThat(m.itl().count()).isEqualTo(20);
        assertThat(m.tpot().mean()).isCloseTo(10, within(0.1));

        LevelMetrics windowed = LevelAnalysis.analyze(run, Duration.ofMillis(150), Duration.ofMillis(250), Slo.NONE);
        assertThat(windowed.measured()).isEqualTo(5); // due at 200..600 ms
    }

    /**
     * The rate the schedule asked comes from the due times of the measured requests, the rate
     * achieved from their send times: a Poisson schedule kept to the nanosecond reports the two
     * equal whatever the nominal rate, and a client that drifts behind reports less.
     */
    @Test
    void scheduledRateIsTheSchedulesOwnAndAchievedRateFollowsTheSends() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        long[] due = new long[50];
        for (int i = 1; i < due.length; i++) due[i] = due[i - 1] + Math.round(-Math.log(1 - random.nextDouble()) * 100 * MS);
        double asked = (due.length - 1) / (due[due.length - 1] / 1e9);
        assertThat(asked).isNotCloseTo(10, within(0.5)); // this seed's schedule is not the nominal 10/s

        LevelMetrics kept = LevelAnalysis.analyze(level(due, 0), Duration.ZERO, Duration.ZERO, Slo.NONE);
        assertThat(kept.targetRate()).isEqualTo(10);
        assertThat(kept.scheduledRate()).isCloseTo(asked, within(1e-9));
        assertThat(kept.achievedRate()).isCloseTo(asked, within(1e-9));

        // Each request leaves 5 ms later than the one before it did, relative to its due time.
        LevelMetrics behind = LevelAnalysis.analyze(level(due, 5 * MS), Duration.ZERO, Duration.ZERO, Slo.NONE);
        assertThat(behind.scheduledRate()).isCloseTo(asked, within(1e-9));
        assertThat(behind.achievedRate()).isLessThan(0.95 * asked);
    }

    /** A Poisson level at a nominal 10/s with requests due at {@code due}, the i-th sent {@code i * drift} late. */
    private static LevelRun level(long[] due, long drift) {
        List<RequestResult> results = new ArrayList<>();
        for (int i = 0; i < due.length; i++) {
            long sent = due[i] + i * drift;
            StreamedCompletion c = new StreamedCompletion(sent, sent + MS, sent + 3 * MS, 200, new long[] {sent + 2 * MS}, new int[] {1},
                    "a", new Usage(3, 1), io.toks.core.events.FinishReason.LENGTH, null, null);
            results.add(new RequestResult("r" + i, due[i], new LoadPrompt("p", 3, 1), c, 1, TokenCountSource.SERVER_USAGE, -1));
        }
        return new LevelRun(new LoadShape.Rate(10, LoadShape.Arrival.POISSON), 0, due[due.length - 1] + due.length * drift + 3 * MS, results, -1);
    }

    @Test
    void sweepBisectsBetweenTheLastPassingAndFirstFailingLoad() {
        assertThat(LoadSession.between(new LoadShape.Concurrency(4), new LoadShape.Concurrency(16))).isEqualTo(new LoadShape.Concurrency(10));
        assertThat(LoadSession.between(new LoadShape.Concurrency(4), new LoadShape.Concurrency(5))).isNull();
        assertThat(LoadSession.between(null, new LoadShape.Concurrency(1))).isNull();
        assertThat(LoadSession.between(new LoadShape.Rate(2, LoadShape.Arrival.POISSON), new LoadShape.Rate(5, LoadShape.Arrival.POISSON)))
                .isEqualTo(new LoadShape.Rate(3.5, LoadShape.Arrival.POISSON));
    }

    @Test
    void sloAndLengthsParse() {
        assertThat(Slo.parse("ttft=500ms,tpot=0.05s,e2e=2s")).isEqualTo(new Slo(500, 50, 2000));
        assertThat(TokenLength.parse("256-1024")).isEqualTo(new TokenLength(256, 1024));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Slo.parse("ttfb=1s")).hasMessageContaining("unknown SLO");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Slo.parse("ttft=fast")).hasMessageContaining("not a time");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenLength.parse("9-3")).hasMessageContaining("MIN-MAX");
    }
}
