package io.toks.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.events.TokenCountSource;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.manifest.ModelFacts;
import io.toks.core.result.EngineRun;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import io.toks.history.HistoryFilter;
import io.toks.history.HistoryLocation;
import io.toks.history.HistoryStore;
import io.toks.history.StoredDocument;
import io.toks.report.ResultRenderer;
import io.toks.report.ResultWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a command's shutdown hook does when Ctrl-C stops it (the same code the JVM runs, called
 * directly): --out gets the runs measured so far, marked incomplete, and the history store keeps
 * them as an incomplete document. InterruptedRunIT stops a real process.
 */
class FinishOnInterruptTest {

    static final ModelFacts MODEL = new ModelFacts("tiny", "tiny.gguf", "gguf", 2048, "00".repeat(32), "Q4_0", 1_500_000, 1_048_576,
            1_048_576, 256, null);

    static EngineRun run(String test) {
        return EngineRun.of(test, MODEL, "java", 1, test.startsWith("pp"), 16, new double[] {100, 110}, TokenCountSource.ENGINE_IDS, null, null);
    }

    @Test
    void theHookWritesTheRunsMeasuredSoFarToOutAndLeavesHistoryIncomplete(@TempDir Path dir) {
        var options = new HistoryOptions();
        options.history = dir.resolve("h.db").toString();
        options.out = dir.resolve("out.json");
        var err = new StringWriter();
        try (HistoryOptions.Recording recording = options.open(new PrintWriter(err, true))) {
            var writer = new ResultWriter("bench", MachineFacts.manifest(null, Map.of()), new ResultRenderer() {}, recording.sinks());
            FinishOnInterrupt finisher = FinishOnInterrupt.register("bench", writer, new PrintWriter(err, true));
            try {
                writer.accept(run("pp16"));
                finisher.finishNow();
                writer.accept(run("tg16")); // measured after the signal: the document has ended
            } finally {
                finisher.close();
            }
        }
        ResultDocument written = ResultJson.read(options.out);
        assertThat(written.incomplete()).isEqualTo(FinishOnInterrupt.WHY);
        assertThat(written.runs()).extracting(r -> r.name()).containsExactly("pp16");
        assertThat(err.toString()).contains("toks bench: interrupted; the result holds the 1 run(s) measured before (marked incomplete)");
        try (HistoryStore store = HistoryStore.open(HistoryLocation.parse(options.history, true))) {
            List<StoredDocument> stored = store.documents(HistoryFilter.all());
            assertThat(stored).hasSize(1);
            assertThat(stored.getFirst().complete()).isFalse();
            assertThat(stored.getFirst().document().runs()).hasSize(1);
        }
    }

    @Test
    void aCommandThatFinishedIsNotCalledInterrupted(@TempDir Path dir) {
        var err = new StringWriter();
        var writer = new ResultWriter("bench", MachineFacts.manifest(null, Map.of()), new ResultRenderer() {});
        FinishOnInterrupt finisher = FinishOnInterrupt.register("bench", writer, new PrintWriter(err, true));
        writer.accept(run("pp16"));
        writer.finish();
        finisher.finishNow(); // a signal between the end and close()
        finisher.close();
        assertThat(err.toString()).isEmpty();
    }
}
