package io.toks.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.http.client.StreamingHttpClient;
import io.toks.http.openai.ApiFlavor;
import io.toks.http.openai.NioStreamTransport;
import io.toks.http.openai.OpenAiStreamClient;
import io.toks.http.testserver.ResponsePlan;
import io.toks.http.testserver.ScriptedOpenAiServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import io.toks.http.testserver.ServedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way a server can fail, mixed into one run: each failure is counted with its reason, the
 * run finishes, and the journal holds every request and gives back the same figures.
 */
class FaultHandlingTest {

    private static final long MS = 1_000_000;
    /**
     * Silence longer than this is a stall. Long enough that a cold JVM on 2 busy cores does not
     * go quiet that long between two writes of a good stream (300 ms once did: a level's first
     * heads took 180 ms); where the server still did, its own log says so and the test expects a
     * stall there (see {@link #expectedKind}).
     */
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    static ResponsePlan plan(long n) {
        List<ResponsePlan.Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < 6; i++) chunks.add(new ResponsePlan.Chunk((2 + i) * MS, 1));
        return switch ((int) (n % 8)) {
            case 1 -> ResponsePlan.httpError(500);
            case 2 -> ResponsePlan.httpError(429);
            case 3 -> new ResponsePlan(200, 8, chunks, ResponsePlan.Fault.CUT, 3, false);
            case 4 -> new ResponsePlan(200, 8, chunks, ResponsePlan.Fault.MALFORMED_JSON, 2, false);
            case 5 -> new ResponsePlan(200, 8, chunks, ResponsePlan.Fault.ERROR_EVENT, 1, false);
            case 6 -> new ResponsePlan(200, 8, chunks, ResponsePlan.Fault.STALL, 2, false);
            default -> ResponsePlan.ok(8, chunks);
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nio", "blocking"})
    void failuresAreCountedByKindAndTheJournalKeepsEverything(String transport, @TempDir Path dir) throws Exception {
        Path journalFile = dir.resolve("run.jsonl");
        int requests = 64;
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(FaultHandlingTest::plan);
             StreamingHttpClient http = new StreamingHttpClient(Duration.ofSeconds(2), TIMEOUT);
             NioStreamTransport nio = new NioStreamTransport(Duration.ofSeconds(2), TIMEOUT);
             RequestJournal journal = new RequestJournal(journalFile)) {
            OpenAiStreamClient client = new OpenAiStreamClient(http, transport.equals("nio") ? nio : null,
                    URI.create(server.baseUrl()), ApiFlavor.CHAT, null);
            LoadRunner runner = new LoadRunner(new OpenAiTarget(client, new OpenAiTarget.Settings("m", 0, null)),
                    PromptSource.fixed(new LoadPrompt("hi", 8, 6)), true, null, 1, journal::request);
            LoadShape shape = new LoadShape.Concurrency(16);
            journal.levelStart(shape, System.nanoTime());
            LevelRun run = runner.run(shape, RunLength.requests(requests));
            journal.levelEnd(run);
            LevelMetrics m = LevelAnalysis.analyze(run, Duration.ZERO, Duration.ZERO, Slo.NONE);

            assertThat(run.results()).hasSize(requests);
            Set<String> ids = new HashSet<>();
            run.results().forEach(r -> ids.add(r.id()));
            assertThat(ids).hasSize(requests);
            // Requests arrive in some order; the plan follows arrival order, so each kind is 1/8 of
            // them, but every request is held to what the server's own log says it did to it.
            Map<String, Integer> expected = new TreeMap<>();
            for (RequestResult r : run.results()) {
                String kind = expectedKind(server.served().get(r.id()), TIMEOUT.toNanos());
                assertThat(r.ok() ? "ok" : r.completion().error().name().toLowerCase(java.util.Locale.ROOT))
                        .as(r.id() + ": " + r.completion().errorMessage()).isEqualTo(kind);
                if (!kind.equals("ok")) expected.merge(kind, 1, Integer::sum);
            }
            assertThat(m.errors()).isEqualTo(expected);
            assertThat(m.succeeded() + expected.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(requests);
            if (!expected.equals(Map.of("http_5xx", 8, "http_4xx", 8, "cut", 8, "malformed", 8, "server_error", 8, "stall", 8))) {
                System.out.println(transport + ": the server was silent past the timeout on a planned stream: " + expected);
            }
            assertThat(m.lengthMismatches()).isZero();
            run.results().stream().filter(r -> !r.ok()).forEach(r -> assertThat(r.completion().errorMessage()).isNotBlank());

            List<LevelRun> reread = RequestJournal.read(journalFile);
            assertThat(reread).hasSize(1);
            assertThat(reread.get(0).results()).hasSize(requests);
            LevelMetrics again = LevelAnalysis.analyze(reread.get(0), Duration.ZERO, Duration.ZERO, Slo.NONE);
            assertThat(again).isEqualTo(m);
        }
    }

    /**
     * What the client must report for a request, from what the server did: its planned fault,
     * or a stall where the server's log shows it silent for longer than the timeout before that
     * (a planned good stream delayed by a starved server is a stall, rightly).
     */
    static String expectedKind(ServedRequest truth, long timeoutNanos) {
        ResponsePlan plan = truth.plan();
        if (plan.status() != 200) return plan.status() >= 500 ? "http_5xx" : "http_4xx";
        long last = truth.receivedNanos();
        long[] w = truth.writeNanos();
        int written = plan.fault() == ResponsePlan.Fault.NONE ? w.length : plan.faultAfter();
        for (int i = 0; i < written; i++) {
            if (w[i] == 0) break;
            if (w[i] - last > timeoutNanos) return "stall";
            last = w[i];
        }
        return switch (plan.fault()) {
            case NONE -> "ok";
            case CUT -> "cut";
            case MALFORMED_JSON -> "malformed";
            case ERROR_EVENT -> "server_error";
            case STALL -> "stall";
            default -> throw new IllegalArgumentException(plan.fault().name());
        };
    }

    @Test
    void aJournalCutMidLineStillReads(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("cut.jsonl");
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(FaultHandlingTest::plan);
             StreamingHttpClient http = new StreamingHttpClient(Duration.ofSeconds(2), Duration.ofMillis(300));
             RequestJournal journal = new RequestJournal(f)) {
            OpenAiStreamClient client = new OpenAiStreamClient(http, URI.create(server.baseUrl()), ApiFlavor.CHAT, null);
            LoadRunner runner = new LoadRunner(new OpenAiTarget(client, new OpenAiTarget.Settings("m", 0, null)),
                    PromptSource.fixed(new LoadPrompt("hi", 8, 6)), true, null, 1, journal::request);
            journal.levelStart(new LoadShape.Concurrency(2), System.nanoTime());
            runner.run(new LoadShape.Concurrency(2), RunLength.requests(4)); // no level_end: as if killed
        }
        String text = java.nio.file.Files.readString(f);
        java.nio.file.Files.writeString(f, text + "{\"type\":\"request\",\"lev"); // a crash mid-write
        List<LevelRun> levels = RequestJournal.read(f);
        assertThat(levels.get(0).results()).hasSize(4);
    }
}
