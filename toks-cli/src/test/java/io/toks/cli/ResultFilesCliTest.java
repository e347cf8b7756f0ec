package io.toks.cli;

import static io.toks.cli.CliTest.assertOneLineError;
import static io.toks.cli.CliTest.toks;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command that reads result files (compare, report, history import) reads every document of
 * a {@code -o jsonl} file, and refuses a malformed one in one line naming the file and the field.
 */
class ResultFilesCliTest {

    private static final String[] BENCH = {"bench", "-p", "8", "-n", "4", "-r", "2", "-t", "1", "--warmup", "0", "--jit-warmup-ms", "0",
            "--no-roofline", "--energy", "off", "--no-history"};

    private static Path bench(Path file, String format) throws IOException {
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(BENCH), java.util.stream.Stream.of("-o", format))
                .toArray(String[]::new);
        CliTest.Result r = toks(args);
        assertThat(r.code()).as(r.err()).isZero();
        return Files.writeString(file, r.out());
    }

    @Test
    void aJsonLinesFileIsReadWhole(@TempDir Path dir) throws IOException {
        Path lines = bench(dir.resolve("c.jsonl"), "jsonl"), json = bench(dir.resolve("a.json"), "json");
        assertThat(Files.readAllLines(lines)).hasSize(2);

        // Two independent runs on a shared machine may differ significantly; this test is about
        // reading the file, so no difference may fail it.
        CliTest.Result compared = toks("compare", json.toString(), lines.toString(), "--threshold", "1000%");
        assertThat(compared.code()).as(compared.err()).isZero();
        assertThat(compared.out()).contains(" pp8 | prefill_tps (tok/s) |").contains(" tg4 | decode_tps (tok/s) |").doesNotContain("only in");

        CliTest.Result fromLines = toks("report", lines.toString(), "-o", dir.resolve("l.html").toString());
        CliTest.Result fromJson = toks("report", json.toString(), "-o", dir.resolve("j.html").toString());
        assertThat(fromLines.code()).as(fromLines.err()).isZero();
        assertThat(fromLines.out().replace("l.html", "")).isEqualTo(fromJson.out().replace("j.html", "")); // the same charts
        assertThat(fromLines.out()).contains("from 1 document(s)");

        Path db = dir.resolve("h.db");
        CliTest.Result imported = toks("history", "import", lines.toString(), "--history", db.toString());
        assertThat(imported.out()).as(imported.err()).contains("imported 1 document(s)");
        CliTest.Result listed = toks("history", "--history", db.toString());
        assertThat(listed.out()).contains("| pp8 ").contains("| tg4 ");

        // Lines of two commands are two documents: compare wants one a side, and says so.
        Path two = Files.writeString(dir.resolve("two.jsonl"), Files.readString(lines) + Files.readString(bench(dir.resolve("d.jsonl"), "jsonl")));
        assertOneLineError(toks("compare", json.toString(), two.toString()), 1, two + ": 2 result documents, where one is expected");
        CliTest.Result both = toks("report", two.toString(), "-o", dir.resolve("two.html").toString());
        assertThat(both.out()).as(both.err()).contains("from 2 document(s)");
    }

    @Test
    void aBadLineIsNamedByFileAndNumber(@TempDir Path dir) throws IOException {
        Path lines = bench(dir.resolve("c.jsonl"), "jsonl");
        Files.writeString(lines, "{\"schema\": 2, \"comm\n", java.nio.file.StandardOpenOption.APPEND);
        assertOneLineError(toks("compare", lines.toString(), lines.toString()), 1, lines + ": line 3: not a JSON document");
        assertOneLineError(toks("history", "import", lines.toString(), "--history", dir.resolve("h.db").toString()), 1, lines + ": line 3: ");
    }

    @Test
    void aDocumentWithoutAManifestIsRefusedByEveryReader(@TempDir Path dir) throws IOException {
        Path bare = Files.writeString(dir.resolve("e4.json"), "{\"schema\":2,\"command\":\"bench\",\"runs\":[]}");
        String missing = bare + ": malformed toks result document: no \"manifest\" field";
        assertOneLineError(toks("report", bare.toString(), "-o", dir.resolve("e.html").toString()), 1, missing);
        assertOneLineError(toks("compare", bare.toString(), bare.toString()), 1, missing);
        Path db = dir.resolve("h.db");
        assertOneLineError(toks("history", "import", bare.toString(), "--history", db.toString()), 1, missing);
        // The refused import left no store behind, and a reading command does not make one.
        assertOneLineError(toks("report", "--from-history", "--history", db.toString(), "-o", dir.resolve("h.html").toString()), 1,
                "h.db does not exist");
    }

    @Test
    void aFieldOfTheWrongTypeIsNamed(@TempDir Path dir) throws IOException {
        Path json = bench(dir.resolve("a.json"), "json");
        Path broken = Files.writeString(dir.resolve("x.json"), Files.readString(json).replaceFirst("\"samples\" : \\[[^]]*]", "\"samples\" : \"x\""));
        assertOneLineError(toks("compare", json.toString(), broken.toString()), 1,
                broken + ": malformed toks result document: runs[0].metrics.prefill_tps.samples: expected a list of numbers, not \"x\"");
    }
}
