package io.toks.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.events.ErrorKind;
import io.toks.http.client.StreamingHttpClient;
import io.toks.http.openai.ApiFlavor;
import io.toks.http.openai.NioStreamTransport;
import io.toks.http.openai.OpenAiStreamClient;
import io.toks.http.testserver.ResponsePlan;
import io.toks.http.testserver.ResponsePlan.Fault;
import io.toks.http.testserver.ScriptedOpenAiServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a hostile or broken OpenAI-compatible server does, one fault per level, in both transports:
 * every request ends counted under a named error kind (or as a success, where the answer was
 * complete despite the fault), none is lost, the journal holds them all, the server's own message
 * is surfaced, and the level ends in time: before the read timeout where the fault needs no
 * waiting, after it (and long before the server would give up) where only silence can end it.
 * Faults mixed into one run are {@link FaultHandlingTest}'s; parsers fed garbage directly are
 * the toks-http tests'.
 */
class FaultCampaignTest {

    private static final long MS = 1_000_000;
    /** The read timeout of a fault that only silence can end: short, so that the test is quick. */
    private static final Duration SILENCE_TIMEOUT = Duration.ofSeconds(1);
    /**
     * The read timeout of every other fault, and so what its level must end within: a request
     * that waited for silence (this read timeout, or the server holding the connection for 60 s)
     * would take at least this. Far more than a fault's own work (6 connects, a few KiB) takes
     * on a busy 2-core host, where another build may hold both cores and a GC pause or a
     * throttled CPU quota stalls a thread for 100 ms and more; far less than the server's 60 s.
     */
    private static final Duration PATIENT_TIMEOUT = Duration.ofSeconds(10);
    /**
     * Beyond the read timeout, what noticing silence may take: the nio sweep runs every 20 ms and
     * the blocking watchdog every 100 ms, and a busy 2-core host can delay either thread by a few
     * hundred ms, a GC pause or a throttled quota by more. A hang is a minute (the server holds a
     * stalled connection for 60 s), never this.
     */
    private static final Duration MARGIN = Duration.ofSeconds(9);
    /**
     * For the slow answers (a drip, a 9 MiB event): their own bytes take seconds through a
     * saturated host, and the read timeout must outlast them, or they would end as stalls.
     */
    private static final Duration SLOW_ANSWER_TIMEOUT = Duration.ofSeconds(15);
    private static final int REQUESTS = 6;

    /**
     * @param kind          how every request must end; null for a success
     * @param fragment      what its message must say (for HTTP errors: what the server said)
     * @param waitsForSilence true when only the read timeout can end the request (the level
     *                        takes at least it, and at most it plus the margin); otherwise the
     *                        level must end before it
     * @param timeout       the client's read timeout
     */
    record Case(String name, ResponsePlan plan, ErrorKind kind, String fragment, boolean waitsForSilence, Duration timeout) {
        Case(String name, ResponsePlan plan, ErrorKind kind, String fragment, boolean waitsForSilence) {
            this(name, plan, kind, fragment, waitsForSilence, waitsForSilence ? SILENCE_TIMEOUT : PATIENT_TIMEOUT);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<ResponsePlan.Chunk> chunks() {
        List<ResponsePlan.Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < 4; i++) chunks.add(new ResponsePlan.Chunk((2 + i) * MS, 1));
        return chunks;
    }

    static Case fault(Fault fault, int after, ErrorKind kind, String fragment) {
        return new Case(fault.name().toLowerCase(Locale.ROOT), ResponsePlan.faulty(8, chunks(), fault, after), kind, fragment,
                kind == ErrorKind.STALL);
    }

    static Case status(String name, int status, Fault body, ErrorKind kind, String fragment) {
        return new Case(name, new ResponsePlan(status, 0, List.of(), body, 0, false), kind, fragment, false);
    }

    static List<Case> faults() {
        return List.of(
                fault(Fault.CUT, 2, ErrorKind.CUT, "connection"),
                fault(Fault.STALL, 2, ErrorKind.STALL, "read timeout"),
                fault(Fault.STALL_BEFORE_HEAD, 0, ErrorKind.STALL, "read timeout"),
                fault(Fault.CLOSE_BEFORE_HEAD, 0, ErrorKind.CUT, "closed before the response"),
                fault(Fault.RESET_BEFORE_HEAD, 0, ErrorKind.CUT, "connection"),
                // About 650 bytes, each written and flushed alone after a 50 µs pause: a few tens of
                // ms on a quiet host, a second or more on a saturated one, where every byte waits
                // for a scheduler turn. What it proves is that a slow but whole answer is a
                // success that ends with its last byte, not with the server's 60 s.
                new Case("drip", ResponsePlan.faulty(8, chunks(), Fault.DRIP, 0), null, null, false, SLOW_ANSWER_TIMEOUT),
                fault(Fault.DRIP_ENDLESS, 0, ErrorKind.STALL, "no complete message"),
                // 6 x 9 MiB through a 2-core host takes about a second (more on a busy one), and an
                // event that takes longer than the read timeout to arrive is a stall: here the cap
                // must strike first. The level still never waits for the timeout.
                new Case("oversized_event", ResponsePlan.faulty(8, chunks(), Fault.OVERSIZED_EVENT, 2), ErrorKind.MALFORMED,
                        "over 8388608 bytes", false, SLOW_ANSWER_TIMEOUT),
                fault(Fault.BAD_CHUNK_SIZE, 2, ErrorKind.MALFORMED, "malformed chunk size 'zz'"),
                fault(Fault.CHUNK_OVERRUN, 2, ErrorKind.MALFORMED, "chunk not followed by CRLF"),
                fault(Fault.MISSING_BLANK_LINE, 0, ErrorKind.MALFORMED, "never followed by a blank line"),
                fault(Fault.SHORT_CONTENT_LENGTH, 0, ErrorKind.CUT, "without a finish_reason"),
                // The stream is whole (its end marker arrived): a success, which must not wait for the missing bytes.
                fault(Fault.LONG_CONTENT_LENGTH, 0, null, null),
                // Usage that cannot be true is not believed: the requests count their chunks instead.
                fault(Fault.IMPOSSIBLE_USAGE, 0, null, null),
                fault(Fault.NOT_STREAMED, 0, ErrorKind.MALFORMED,
                        "the server answered with a non-streamed JSON body (application/json): it ignored stream:true"),
                fault(Fault.GZIP_ENCODED, 0, ErrorKind.MALFORMED, "Content-Encoding gzip"),
                status("http_429_json", 429, Fault.NONE, ErrorKind.HTTP_4XX, "HTTP 429: scripted failure 429"),
                status("http_500_json", 500, Fault.NONE, ErrorKind.HTTP_5XX, "HTTP 500: scripted failure 500"),
                status("http_404_html", 404, Fault.HTML_ERROR, ErrorKind.HTTP_4XX, "HTTP 404: 404 Status 404 Status nginx"),
                status("http_502_html", 502, Fault.HTML_ERROR, ErrorKind.HTTP_5XX, "HTTP 502: 502 Bad Gateway 502 Bad Gateway nginx"),
                status("redirect_301_loop", 301, Fault.NONE, ErrorKind.REDIRECT, "HTTP 301 redirect to http://127.0.0.1:"),
                status("redirect_302_loop", 302, Fault.NONE, ErrorKind.REDIRECT, "HTTP 302 redirect to http://127.0.0.1:"));
    }

    static Stream<Arguments> cases() {
        return faults().stream().flatMap(c -> Stream.of(Arguments.of(c, "nio"), Arguments.of(c, "blocking")));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void everyRequestEndsCountedByKindJournaledAndInTime(Case fault, String transport, @TempDir Path dir) throws Exception {
        Path journalFile = dir.resolve("run.jsonl");
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(n -> fault.plan());
             StreamingHttpClient http = new StreamingHttpClient(PATIENT_TIMEOUT, fault.timeout());
             NioStreamTransport nio = new NioStreamTransport(PATIENT_TIMEOUT, fault.timeout());
             RequestJournal journal = new RequestJournal(journalFile)) {
            OpenAiStreamClient client = new OpenAiStreamClient(http, transport.equals("nio") ? nio : null,
                    URI.create(server.baseUrl()), ApiFlavor.CHAT, null);
            LoadRunner runner = new LoadRunner(new OpenAiTarget(client, new OpenAiTarget.Settings("m", 0, null)),
                    PromptSource.fixed(new LoadPrompt("hi", 8, 4)), true, null, 1, journal::request);
            LoadShape shape = new LoadShape.Concurrency(REQUESTS); // one round: every request meets the fault at once
            journal.levelStart(shape, System.nanoTime());
            LevelRun run = runner.run(shape, RunLength.requests(REQUESTS));
            journal.levelEnd(run);
            LevelMetrics m = LevelAnalysis.analyze(run, Duration.ZERO, Duration.ZERO, Slo.NONE);

            // Nothing lost, nothing counted twice: ok + errors = sent.
            assertThat(run.results()).hasSize(REQUESTS);
            Set<String> ids = new HashSet<>();
            run.results().forEach(r -> ids.add(r.id()));
            assertThat(ids).hasSize(REQUESTS);
            assertThat(m.succeeded() + m.errors().values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(REQUESTS);
            if (fault.kind() == null) {
                assertThat(m.errors()).as(m.errorMessages().toString()).isEmpty();
                assertThat(m.outputTps() * m.windowSeconds()).isCloseTo(REQUESTS * 4, org.assertj.core.data.Offset.offset(0.5));
                assertThat(m.invalidUsage()).isEqualTo(fault.plan().fault() == Fault.IMPOSSIBLE_USAGE ? Map.of("not_a_count", REQUESTS) : Map.of());
            } else {
                String kind = fault.kind().name().toLowerCase(Locale.ROOT);
                assertThat(m.errors()).as(m.errorMessages().toString()).isEqualTo(Map.of(kind, REQUESTS));
                run.results().forEach(r -> assertThat(r.completion().errorMessage()).contains(fault.fragment()));
                assertThat(m.errorMessages().get(kind)).contains(fault.fragment()); // what the result document shows
            }

            // The level never waits for more than silence allows, and a fault that needs no waiting
            // does not wait: it ends before the read timeout could have struck. One that only
            // silence can end waited for the read timeout (not less), and not for the server's 60 s.
            Duration took = Duration.ofNanos(run.endNanos() - run.startNanos());
            if (fault.waitsForSilence()) {
                assertThat(took).as("level time").isGreaterThanOrEqualTo(fault.timeout()).isLessThan(fault.timeout().plus(MARGIN));
            } else {
                assertThat(took).as("level time").isLessThan(fault.timeout());
            }

            List<LevelRun> reread = RequestJournal.read(journalFile);
            assertThat(reread).hasSize(1);
            assertThat(reread.get(0).results()).hasSize(REQUESTS);
            assertThat(LevelAnalysis.analyze(reread.get(0), Duration.ZERO, Duration.ZERO, Slo.NONE)).isEqualTo(m);
        }
    }
}
