package io.toks.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.core.ToksException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every line of a journal is checked as it is read: a value no run of toks can have written
 * (a negative count, times out of order, a count that does not follow from the line) is a
 * one-line error naming the file, the line and the field, not a summary of impossible numbers.
 */
class JournalValidationTest {

    private static final long MS = 1_000_000;

    @TempDir
    Path dir;

    /** A good request line, due at {@code due}: sent 1 ms later, head at 2 ms, chunks at 10 and 20 ms, the end at 21 ms. */
    private static String request(int i, long due, String... replacements) {
        String line = "{\"type\":\"request\",\"level\":\"c=1\",\"id\":\"r" + i + "\",\"scheduled_ns\":" + due + ",\"sent_ns\":" + (due + MS)
                + ",\"head_ns\":" + (due + 2 * MS) + ",\"end_ns\":" + (due + 21 * MS) + ",\"status\":200,\"input_tokens\":8"
                + ",\"requested_tokens\":2,\"output_tokens\":2,\"output_source\":\"SERVER_USAGE\",\"retokenized\":2"
                + ",\"chunk_ns\":[" + (due + 10 * MS) + "," + (due + 20 * MS) + "],\"chunk_tokens\":[-1,-1]"
                + ",\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":2},\"finish_reason\":\"length\",\"text\":\"a b\"}";
        for (int k = 0; k < replacements.length; k += 2) {
            assertThat(line).as("fixture").contains(replacements[k]);
            line = line.replace(replacements[k], replacements[k + 1]);
        }
        return line;
    }

    /** A journal of one level whose third line (the second request) is {@code second}. */
    private Path journal(String second) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("{\"type\":\"level_start\",\"version\":2,\"level\":\"c=1\",\"start_ns\":0,\"start_epoch_ns\":0,\"concurrency\":1}");
        lines.add(request(0, 0));
        lines.add(second);
        lines.add("{\"type\":\"level_end\",\"level\":\"c=1\",\"start_ns\":0,\"end_ns\":" + 200 * MS + ",\"client_cpu_s\":0.1}");
        return Files.write(dir.resolve("j.jsonl"), lines);
    }

    private void rejected(String second, String message) throws IOException {
        Path f = journal(second);
        assertThatThrownBy(() -> RequestJournal.read(f)).isInstanceOf(ToksException.class)
                .hasMessage(f + " line 3: " + message);
    }

    @Test
    void aGoodJournalReads() throws IOException {
        List<LevelRun> levels = RequestJournal.read(journal(request(1, 100 * MS)));
        LevelMetrics m = LevelAnalysis.analyze(levels.get(0), Duration.ZERO, Duration.ZERO, Slo.NONE);
        assertThat(m.succeeded()).isEqualTo(2);
        assertThat(m.outputTps()).isPositive();
    }

    @Test
    void negativeCountsAreRejected() throws IOException {
        rejected(request(1, 100 * MS, "\"output_tokens\":2", "\"output_tokens\":-5"), "output_tokens is -5: a count cannot be negative");
        rejected(request(1, 100 * MS, "\"retokenized\":2", "\"retokenized\":-7"), "retokenized is -7: below -1");
        rejected(request(1, 100 * MS, "\"chunk_tokens\":[-1,-1]", "\"chunk_tokens\":[-1,-4]"), "chunk_tokens[1] is -4: below -1");
        rejected(request(1, 100 * MS, "\"output_tokens\":2", "\"output_tokens\":2.5"), "output_tokens is 2.5: not an integer count");
    }

    @Test
    void timesOutOfOrderAreRejected() throws IOException {
        long due = 100 * MS;
        rejected(request(1, due, "\"end_ns\":" + (due + 21 * MS), "\"end_ns\":" + due),
                "end_ns is before chunk_ns[1]: a request ends after all it received");
        rejected(request(1, due, "\"sent_ns\":" + (due + MS), "\"sent_ns\":" + (due - MS)),
                "sent_ns is before scheduled_ns: a request leaves when it is due or later");
        rejected(request(1, due, "\"head_ns\":" + (due + 2 * MS), "\"head_ns\":" + (due + 15 * MS)), "chunk_ns[0] is before head_ns");
        rejected(request(1, due, "\"chunk_ns\":[" + (due + 10 * MS) + "," + (due + 20 * MS) + "]",
                "\"chunk_ns\":[" + (due + 20 * MS) + "," + (due + 10 * MS) + "]"), "chunk_ns[1] is before chunk_ns[0]");
        rejected(request(1, due, "\"head_ns\":" + (due + 2 * MS), "\"head_ns\":" + due),
                "head_ns is before sent_ns: the answer came before the request left");
    }

    @Test
    void aCountThatDoesNotFollowFromTheLineIsRejected() throws IOException {
        rejected(request(1, 100 * MS, "\"output_tokens\":2", "\"output_tokens\":200"),
                "output_tokens is 200 (SERVER_USAGE), but the line's usage, retokenized and chunks give 2 (SERVER_USAGE)");
        rejected(request(1, 100 * MS, "\"output_source\":\"SERVER_USAGE\"", "\"output_source\":\"GUESSED\""),
                "output_source is 'GUESSED': not one of [ENGINE_IDS, SERVER_USAGE, CHUNKS_COUNTED, CLIENT_RETOKENIZED]");
        rejected(request(1, 100 * MS, "\"status\":200", "\"status\":500"),
                "status is 500 in a request that succeeded: a success is a 2xx answer");
        rejected(request(1, 100 * MS, "\"chunk_tokens\":[-1,-1]", "\"chunk_tokens\":[-1]"), "chunk_tokens has 1 entries for 2 chunk_ns");
    }

    /** A failed request that never left (a connect that failed) has no send time: that is not out of order. */
    @Test
    void aRequestThatNeverLeftReads() throws IOException {
        long due = 100 * MS;
        String neverSent = "{\"type\":\"request\",\"level\":\"c=1\",\"id\":\"r1\",\"scheduled_ns\":" + due + ",\"sent_ns\":0,\"head_ns\":0"
                + ",\"end_ns\":" + (due + 5 * MS) + ",\"status\":0,\"input_tokens\":8,\"requested_tokens\":2,\"output_tokens\":0"
                + ",\"output_source\":\"CHUNKS_COUNTED\",\"retokenized\":-1,\"chunk_ns\":[],\"chunk_tokens\":[]"
                + ",\"error\":\"CONNECT\",\"error_message\":\"connect timed out\",\"text\":\"\"}";
        LevelRun run = RequestJournal.read(journal(neverSent)).get(0);
        assertThat(run.results()).hasSize(2);
        rejected(neverSent.replace("\"error\":\"CONNECT\"", "\"error\":\"GREMLINS\""),
                "error is 'GREMLINS': not one of [CONNECT, REDIRECT, HTTP_4XX, HTTP_5XX, MALFORMED, SERVER_ERROR, CUT, STALL, IO]");
    }

    /**
     * A journal written before toks checked usage counted the server's impossible usage: it is
     * counted again by today's rule (as the live run now counts it), not refused.
     */
    @Test
    void aJournalThatBelievedImpossibleUsageIsCountedAgain() throws IOException {
        String believed = request(1, 100 * MS, "\"output_tokens\":2", "\"output_tokens\":1000000",
                "\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":2}", "\"usage\":{\"prompt_tokens\":-3,\"completion_tokens\":1000000}");
        LevelRun run = RequestJournal.read(journal(believed)).get(0);
        RequestResult r = run.results().get(1);
        assertThat(r.outputTokens()).isEqualTo(2);
        assertThat(r.outputSource()).isEqualTo(io.toks.core.events.TokenCountSource.CLIENT_RETOKENIZED);
        LevelMetrics m = LevelAnalysis.analyze(run, Duration.ZERO, Duration.ZERO, Slo.NONE);
        assertThat(m.invalidUsage()).isEqualTo(Map.of("not_a_count", 1));
    }

    @Test
    void levelLinesAreChecked() throws IOException {
        Path f = Files.writeString(dir.resolve("l.jsonl"),
                "{\"type\":\"level_start\",\"version\":2,\"level\":\"c=0\",\"start_ns\":0,\"concurrency\":0}\n");
        assertThatThrownBy(() -> RequestJournal.read(f)).hasMessage(f + " line 1: concurrency is 0: below 1");
        Files.writeString(f, "{\"type\":\"level_start\",\"version\":2,\"level\":\"r\",\"start_ns\":0,\"rate\":-2}\n");
        assertThatThrownBy(() -> RequestJournal.read(f)).hasMessage(f + " line 1: rate must be > 0 requests/s, got -2.0");
        Files.writeString(f, "{\"type\":\"level_start\",\"version\":2,\"level\":\"c=1\",\"start_ns\":50,\"concurrency\":1}\n"
                + "{\"type\":\"level_end\",\"level\":\"c=1\",\"start_ns\":50,\"end_ns\":10,\"client_cpu_s\":0.1}\n");
        assertThatThrownBy(() -> RequestJournal.read(f)).hasMessage(f + " line 2: end_ns is before start_ns: the level ends before it began");
    }
}
