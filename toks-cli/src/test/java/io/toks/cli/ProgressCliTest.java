package io.toks.cli;

import static io.toks.cli.CliTest.assertOneLineError;
import static io.toks.cli.CliTest.toks;
import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.result.ResultJson;
import io.toks.http.testserver.ResponsePlan;
import io.toks.http.testserver.ScriptedOpenAiServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress of long work on stderr, as a terminal shows it and as a log or pipe does; stdout stays the result. */
class ProgressCliTest {

    private static final String[] SHORT_BENCH = {"bench", "-r", "2", "--warmup", "0", "--jit-warmup-ms", "0", "-p", "8", "-n", "8",
            "-t", "1", "--no-roofline", "-o", "json"};

    private static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void benchOnATerminalDrawsABarPerTestAndTheJsonOnStdoutStaysValid() {
        CliTest.Result r = toks(with(SHORT_BENCH, "--progress", "bar"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("\r[1/2] pp8 t=1", "\r[2/2] tg8 t=1", "2/2 reps", "100%", "t/s");
        assertThat(ResultJson.read(r.out()).runs()).hasSize(2);
    }

    @Test
    void benchInALogPrintsPlainLinesWhenEachTestStartsAndEnds() {
        CliTest.Result r = toks(with(SHORT_BENCH, "--progress", "log"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("\r");
        assertThat(r.err().lines().toList()).contains("toks: [1/2] pp8 t=1: started, 2 reps", "toks: [2/2] tg8 t=1: started, 2 reps")
                .anySatisfy(l -> assertThat(l).startsWith("toks: [2/2] tg8 t=1: done, 2/2 reps in ").contains(" t/s"));
        assertThat(ResultJson.read(r.out()).runs()).hasSize(2);
    }

    @Test
    void shortWorkInAPipeStaysQuiet() {
        // auto, and the test's stderr is no terminal: nothing runs long enough for a line
        CliTest.Result r = toks(SHORT_BENCH);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).doesNotContain("\r").doesNotContain("started");
    }

    @Test
    void countShowsBytesDoneAndItsRate() {
        CliTest.Result bar = toks("count", "../docs", "--tokenizer", "cl100k", "--progress", "bar", "-o", "json");
        assertThat(bar.code()).as(bar.err()).isZero();
        assertThat(bar.err()).contains("\rcount", "KiB", "MB/s");
        assertThat(ResultJson.read(bar.out()).runs()).isNotEmpty();
        CliTest.Result log = toks("count", "../docs", "--tokenizer", "cl100k", "--progress", "log");
        assertThat(log.err().lines().toList())
                .anySatisfy(l -> assertThat(l).startsWith("toks: count: started, ").endsWith(" KiB"))
                .anySatisfy(l -> assertThat(l).startsWith("toks: count: done, ").contains("MB/s"));
    }

    @Test
    void loadShowsEachLevelWithItsLiveFigures() throws Exception {
        try (ScriptedOpenAiServer server = new ScriptedOpenAiServer(n -> ResponsePlan.ok(8,
                List.of(new ResponsePlan.Chunk(2_000_000, 1), new ResponsePlan.Chunk(3_000_000, 1))))) {
            CliTest.Result r = toks("load", "--url", server.baseUrl(), "--model", "m", "--concurrency", "1,2", "--requests", "4",
                    "--input-tokens", "8", "--output-tokens", "2", "--journal", "none", "--progress", "log", "-o", "json");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.err().lines().toList()).contains("toks: c=1: started, 4 requests", "toks: c=2: started, 4 requests")
                    .anySatisfy(l -> assertThat(l).startsWith("toks: c=2: done, 4/4 requests in ").contains("ok 4, failed 0", "p50 TTFT"));
            assertThat(ResultJson.read(r.out()).runs()).hasSize(2);
        }
    }

    @Test
    void anUnknownModeIsRefusedBeforeAnyWork() {
        assertOneLineError(toks("bench", "--progress", "fancy"), 1, "--progress must be auto, bar, log or none, got 'fancy'");
    }
}
