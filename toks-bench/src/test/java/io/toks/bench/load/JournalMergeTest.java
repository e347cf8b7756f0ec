package io.toks.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.core.ToksException;
import io.toks.core.result.LoadRun;
import io.toks.core.result.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalMergeTest {

    private static final long MS = 1_000_000L;
    private static final long EPOCH = 1_790_000_000_000_000_000L; // some wall-clock time, in ns

    @TempDir
    Path dir;

    @Test
    void twoClientsOnDifferentClocksBecomeOneLevelWithEveryRequestAndExactPercentiles() throws IOException {
        // Client 1: monotonic clock near 1 s, TTFTs 10..50 ms. Client 2: another machine, its
        // monotonic clock near 9000 s, started 100 ms later in wall time, TTFTs 60..100 ms.
        Path a = journal("a.jsonl", "concurrency", 2, 1_000 * MS, EPOCH, new long[] {10, 20, 30, 40, 50});
        Path b = journal("b.jsonl", "concurrency", 3, 9_000_000 * MS, EPOCH + 100 * MS, new long[] {60, 70, 80, 90, 100});

        List<LevelRun> merged = JournalMerge.read(List.of(a, b));

        assertThat(merged).hasSize(1);
        LevelRun level = merged.get(0);
        assertThat(level.shape()).isEqualTo(new LoadShape.Concurrency(5));
        assertThat(level.results()).hasSize(10);
        assertThat(level.results().stream().map(RequestResult::id).distinct()).hasSize(10);
        // On client 1's clock: client 2 began 100 ms after client 1 and its last request ended at
        // 100 + 4 * 200 + 100 + 50 ms (see journal()), client 1's at 4 * 200 + 50 + 50.
        assertThat(level.startNanos()).isEqualTo(1_000 * MS);
        assertThat(level.endNanos()).isEqualTo(1_000 * MS + 100 * MS + 4 * 200 * MS + 100 * MS + 50 * MS);

        var plan = new LoadSession.Plan(List.of(), null, Duration.ZERO, Duration.ZERO, Slo.NONE, false, 1);
        LoadRun run = LoadSession.summarize(level, plan);
        // Latencies come from each client's own clock, unchanged; percentiles over all ten.
        assertThat(run.metrics().get(Metric.TTFT).percentile("p50")).isCloseTo(50, org.assertj.core.data.Offset.offset(0.1));
        assertThat(run.metrics().get(Metric.TTFT).max()).isCloseTo(100, org.assertj.core.data.Offset.offset(0.1));
        assertThat(run.metrics().get(Metric.TTFT).min()).isCloseTo(10, org.assertj.core.data.Offset.offset(0.1));
        assertThat(run.succeeded()).isEqualTo(10);
    }

    @Test
    void oneJournalReadsAsItWasWritten() throws IOException {
        Path a = journal("a.jsonl", "concurrency", 2, 1_000 * MS, EPOCH, new long[] {10, 20});
        assertThat(JournalMerge.read(List.of(a))).usingRecursiveComparison().isEqualTo(RequestJournal.read(a));
    }

    @Test
    void ratesAddUp() throws IOException {
        Path a = journal("a.jsonl", "rate", 2, 1_000 * MS, EPOCH, new long[] {10});
        Path b = journal("b.jsonl", "rate", 3, 2_000 * MS, EPOCH, new long[] {10});
        assertThat(JournalMerge.read(List.of(a, b)).get(0).shape()).isEqualTo(new LoadShape.Rate(5, LoadShape.Arrival.POISSON));
    }

    @Test
    void journalsThatCannotBeOneRunAreNamedErrors() throws IOException {
        Path closed = journal("closed.jsonl", "concurrency", 2, 0, EPOCH, new long[] {10});
        Path open = journal("open.jsonl", "rate", 2, 0, EPOCH, new long[] {10});
        assertThatThrownBy(() -> JournalMerge.read(List.of(closed, open)))
                .isInstanceOf(ToksException.class).hasMessageContaining("open.jsonl").hasMessageContaining("same kind of load");

        Path twoLevels = dir.resolve("two.jsonl");
        Files.writeString(twoLevels, Files.readString(closed) + Files.readString(closed).replace("\"c=2\"", "\"c=3\"")
                .replace("\"concurrency\":2", "\"concurrency\":3"));
        assertThatThrownBy(() -> JournalMerge.read(List.of(closed, twoLevels)))
                .isInstanceOf(ToksException.class).hasMessageContaining("two.jsonl (2 levels)");

        Path old = dir.resolve("old.jsonl"); // version 1: no wall clock
        Files.writeString(old, Files.readString(closed).replaceAll(",\"start_epoch_ns\":\\d+", ""));
        assertThatThrownBy(() -> JournalMerge.read(List.of(closed, old)))
                .isInstanceOf(ToksException.class).hasMessageContaining("old.jsonl has no wall-clock time");
    }

    @Test
    void theWriterRecordsTheWallClockOfEachLevel() throws IOException {
        Path f = dir.resolve("w.jsonl");
        long before = System.currentTimeMillis();
        try (RequestJournal j = new RequestJournal(f)) {
            j.levelStart(new LoadShape.Concurrency(1), System.nanoTime());
        }
        long after = System.currentTimeMillis();
        Long epoch = RequestJournal.readAnchored(f).get(0).startEpochNanos();
        assertThat(epoch).isNotNull();
        assertThat(epoch / MS).isBetween(before, after);
    }

    /**
     * A journal of one level as toks writes it: request i is due at start + i * 200 ms, sent at
     * once, its first token after ttft[i] ms, a second 50 ms later, and it ends there.
     */
    private Path journal(String name, String kind, int level, long startNs, long epochNs, long[] ttftMs) throws IOException {
        String label = kind.equals("rate") ? "r=" + level : "c=" + level;
        String shape = kind.equals("rate") ? "\"rate\":" + level + ",\"arrival\":\"poisson\"" : "\"concurrency\":" + level;
        List<String> lines = new ArrayList<>();
        lines.add("{\"type\":\"level_start\",\"version\":2,\"level\":\"" + label + "\",\"start_ns\":" + startNs
                + ",\"start_epoch_ns\":" + epochNs + "," + shape + "}");
        long end = startNs;
        for (int i = 0; i < ttftMs.length; i++) {
            long due = startNs + i * 200 * MS;
            long first = due + ttftMs[i] * MS, second = first + 50 * MS;
            end = Math.max(end, second);
            lines.add("{\"type\":\"request\",\"level\":\"" + label + "\",\"id\":\"r" + i + "\",\"scheduled_ns\":" + due
                    + ",\"sent_ns\":" + due + ",\"head_ns\":" + (due + MS) + ",\"end_ns\":" + second + ",\"status\":200"
                    + ",\"input_tokens\":16,\"requested_tokens\":2,\"output_tokens\":2,\"output_source\":\"SERVER_USAGE\""
                    + ",\"retokenized\":-1,\"chunk_ns\":[" + first + "," + second + "],\"chunk_tokens\":[1,1]"
                    + ",\"usage\":{\"prompt_tokens\":16,\"completion_tokens\":2},\"finish_reason\":\"length\",\"text\":\"ab\"}");
        }
        lines.add("{\"type\":\"level_end\",\"level\":\"" + label + "\",\"start_ns\":" + startNs + ",\"end_ns\":" + end
                + ",\"client_cpu_s\":0.1}");
        Path f = dir.resolve(name);
        Files.write(f, lines);
        return f;
    }
}
