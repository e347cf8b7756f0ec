package io.toks.core.result;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.core.ToksException;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every form a result file takes reads back whole: one document (-o json, --out), a JSON array
 * (history export -o FILE.json), and JSON lines (-o jsonl: one one-run document per line).
 */
class ResultFileFormsTest {

    /** What -o jsonl prints: each run of {@code document} as a one-run document on its own line. */
    static String asJsonLines(ResultDocument document) {
        StringBuilder lines = new StringBuilder();
        for (Run run : document.runs()) {
            lines.append(ResultJson.writeLine(ResultDocument.of(document.command(), document.manifest(), List.of(run)))).append('\n');
        }
        return lines.toString();
    }

    static ResultDocument bench(Manifest manifest, String... tests) {
        List<Run> runs = new java.util.ArrayList<>();
        for (String test : tests) {
            boolean prefill = test.startsWith("pp");
            runs.add(EngineRun.of(test, ResultJsonTest.MODEL, "java", 1, prefill, Integer.parseInt(test.substring(2)),
                    new double[] {100, 110}, io.toks.core.events.TokenCountSource.ENGINE_IDS, null, null));
        }
        return ResultDocument.of("bench", manifest, runs);
    }

    @Test
    void theLinesOfOneCommandReadBackAsItsDocument(@TempDir Path dir) throws IOException {
        ResultDocument doc = bench(MachineFacts.manifest(null, Map.of("threads", 1)), "pp16", "tg16", "tg32");
        Path file = Files.writeString(dir.resolve("c.jsonl"), asJsonLines(doc));
        ResultDocument back = ResultJson.read(file);
        assertThat(back.runs()).extracting(Run::name).containsExactly("pp16", "tg16", "tg32");
        assertThat(back).usingRecursiveComparison().withComparatorForType(Double::compare, Double.class).isEqualTo(doc);
        assertThat(ResultJson.readAll(file)).hasSize(1);
        assertThat(ResultJson.readAll(Files.readString(file))).hasSize(1);
    }

    @Test
    void linesOfTwoCommandsAreTwoDocumentsAndABlankLineIsFine(@TempDir Path dir) throws IOException {
        ResultDocument first = bench(MachineFacts.manifest(null, Map.of("threads", 1)), "pp16", "tg16");
        ResultDocument second = bench(MachineFacts.manifest(null, Map.of("threads", 2)), "pp16");
        Path file = Files.writeString(dir.resolve("two.jsonl"), asJsonLines(first) + "\n  \n" + asJsonLines(second));
        List<ResultDocument> docs = ResultJson.readAll(file);
        assertThat(docs).hasSize(2);
        assertThat(docs.get(0).runs()).extracting(Run::name).containsExactly("pp16", "tg16");
        assertThat(docs.get(1).runs()).extracting(Run::name).containsExactly("pp16");
        // Where one document is expected, several are an error that says so, not the first one alone.
        assertThatThrownBy(() -> ResultJson.read(file)).isInstanceOf(ToksException.class)
                .hasMessage(file + ": 2 result documents, where one is expected (lines of 2 commands, or a JSON array)");
    }

    @Test
    void documentsWrittenOneAfterAnotherReadBackEach(@TempDir Path dir) throws IOException {
        ResultDocument first = bench(MachineFacts.manifest(null, Map.of("threads", 1)), "pp16");
        ResultDocument second = bench(MachineFacts.manifest(null, Map.of("threads", 2)), "tg16");
        Path file = Files.writeString(dir.resolve("cat.json"), ResultJson.write(first) + "\n" + ResultJson.write(second) + "\n");
        assertThat(ResultJson.readAll(file)).extracting(d -> d.runs().getFirst().name()).containsExactly("pp16", "tg16");
    }

    @Test
    void anArrayStillReadsAsItsDocuments(@TempDir Path dir) throws IOException {
        ResultDocument first = bench(MachineFacts.manifest(null, Map.of("threads", 1)), "pp16");
        Path file = Files.writeString(dir.resolve("export.json"), ResultJson.writeAll(List.of(first, first)));
        assertThat(ResultJson.readAll(file)).hasSize(2);
    }

    @Test
    void aBadLineIsNamedByItsNumber(@TempDir Path dir) throws IOException {
        String lines = asJsonLines(bench(MachineFacts.manifest(null, Map.of()), "pp16", "tg16"));
        Path truncated = Files.writeString(dir.resolve("t.jsonl"), lines + lines.substring(0, 40) + "\n");
        assertThatThrownBy(() -> ResultJson.readAll(truncated)).isInstanceOf(ToksException.class)
                .hasMessageStartingWith(truncated + ": line 3: not a JSON document: ").hasMessageNotContaining("\n");
        Path garbage = Files.writeString(dir.resolve("g.jsonl"), lines + "oops\n");
        assertThatThrownBy(() -> ResultJson.readAll(garbage)).hasMessageStartingWith(garbage + ": line 3: not a JSON document: ");
        Path notToks = Files.writeString(dir.resolve("n.jsonl"), lines + "{\"type\":\"request\"}\n");
        assertThatThrownBy(() -> ResultJson.readAll(notToks))
                .hasMessage(notToks + ": line 3: not a toks result document (no \"schema\" field)");
        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "\n\n");
        assertThatThrownBy(() -> ResultJson.readAll(empty)).hasMessage(empty + ": empty, no result document in it");
    }
}
