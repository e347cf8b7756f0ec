package io.toks.cli;

import static io.toks.cli.CliTest.assertOneLineError;
import static io.toks.cli.CliTest.toks;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import io.toks.history.HistoryFilter;
import io.toks.history.HistoryLocation;
import io.toks.history.HistoryStore;
import io.toks.history.StoredDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recording results as commands measure them, and {@code toks history} reading them back. */
class HistoryCliTest {

    private static final String[] QUICK_BENCH = {"bench", "-p", "8", "-n", "4", "-r", "2", "-t", "1", "--warmup", "0",
            "--jit-warmup-ms", "0", "--no-roofline"};

    @TempDir
    Path tmp;

    private static String[] bench(String... more) {
        return Stream.concat(Stream.of(QUICK_BENCH), Stream.of(more)).toArray(String[]::new);
    }

    @Test
    void aBenchIsRecordedAndListed() throws IOException {
        Path db = tmp.resolve("h.db");
        CliTest.Result b = toks(bench("--history", db.toString()));
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.err()).doesNotContain("warning");

        CliTest.Result list = toks("history", "--history", db.toString());
        assertThat(list.code()).as(list.err()).isZero();
        String[] lines = list.out().split("\n");
        assertThat(lines[0]).contains("date (UTC)", "command", "machine", "model", "type", "test", "threads", "value ± 95% CI", "state", "doc");
        assertThat(lines).hasSize(4);
        assertThat(lines[2]).contains("| bench ", "| stories260K ", "| F32 ", "| pp8 ", "| 1 ", " ± ", "prefill_tps (tok/s)", "| complete ");
        assertThat(lines[3]).contains("| tg4 ", "decode_tps (tok/s)");

        JsonNode json = new ObjectMapper().readTree(toks("history", "--history", db.toString(), "-o", "json").out());
        assertThat(json).hasSize(2);
        assertThat(json.get(1).get("test").asText()).isEqualTo("tg4");
        assertThat(json.get(1).get("value").asDouble()).isPositive();
        assertThat(json.get(1).get("complete").asBoolean()).isTrue();
    }

    @Test
    void aTestOrAMetricIsChartedOverTimeAsOneHtmlPage() throws IOException {
        Path db = tmp.resolve("h.db");
        for (int i = 0; i < 2; i++) assertThat(toks(bench("--history", db.toString())).code()).isZero();
        Path page = tmp.resolve("trend.html");
        CliTest.Result tg = toks("history", "--history", db.toString(), "--chart", "tg4", "-o", page.toString());
        assertThat(tg.code()).as(tg.err()).isZero();
        assertThat(tg.err()).contains("1 line(s), 2 measurement(s)");
        String html = Files.readString(page);
        // the chart's data: one line (stories260K F32 tg4 t=1 ...) of two points, in decode_tps
        assertThat(html).contains("stories260K F32 tg4 t=1", "decode_tps").doesNotContain("<script src=");

        CliTest.Result metric = toks("history", "--history", db.toString(), "--chart", "prefill_tps", "-o", page.toString());
        assertThat(metric.err()).contains("1 line(s), 2 measurement(s)");
        assertOneLineError(toks("history", "--history", db.toString(), "--chart", "tg999", "-o", page.toString()), 1, "no runs of tg999 match");

        // the same documents drawn by toks report, each a series named by its id and time
        Path report = tmp.resolve("report.html");
        CliTest.Result r = toks("report", "--from-history", "--history", db.toString(), "--test", "tg4", "-o", report.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("from 2 document(s)");
        assertThat(Files.readString(report)).contains("#1 bench ", "#2 bench ");
        assertOneLineError(toks("report", "-o", report.toString()), 1, "give result documents (RESULT.json...) or --from-history");
    }

    @Test
    void everyMeasuringCommandRecordsItsDocument() throws IOException {
        Path db = tmp.resolve("h.db");
        Path text = Files.writeString(tmp.resolve("t.txt"), "Once upon a time there was a tokenizer.\n");
        assertThat(toks("hw", "-t", "1", "--buffer-mib", "16", "-r", "1", "--history", db.toString()).code()).isZero();
        assertThat(toks("count", text.toString(), "--tokenizer", "cl100k", "--history", db.toString()).code()).isZero();
        try (HistoryStore store = HistoryStore.open(HistoryLocation.parse(db.toString(), true))) {
            assertThat(store.documents(HistoryFilter.all())).extracting(d -> d.document().command()).containsExactly("hw", "count");
            assertThat(store.runs(HistoryFilter.all().withCommand("count"))).singleElement()
                    .satisfies(e -> assertThat(e.metric()).isEqualTo("tokenize_mb_per_s"));
        }
    }

    /** A command that only reads refuses a store that is not there rather than leaving an empty one at a mistyped path. */
    @Test
    void readingAStoreThatDoesNotExistFailsAndCreatesNothing() {
        Path typo = tmp.resolve("typo.db");
        CliTest.assertOneLineError(toks("history", "--history", typo.toString()), 1, "typo.db does not exist");
        CliTest.assertOneLineError(toks("history", "export", "--history", typo.toString(), "-o", tmp.resolve("out.json").toString()), 1,
                "typo.db does not exist");
        assertThat(typo).doesNotExist();
    }

    @Test
    void noHistoryRecordsNothing() {
        Path db = tmp.resolve("default.db");
        String before = System.getProperty(HistoryLocation.PROPERTY);
        System.setProperty(HistoryLocation.PROPERTY, db.toString()); // the store used when none is named
        try {
            CliTest.Result r = toks(bench("--no-history"));
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(db).doesNotExist();
            assertThat(toks(bench()).code()).isZero();
            assertThat(db).exists();
        } finally {
            restore(HistoryLocation.PROPERTY, before);
        }
        assertOneLineError(toks(bench("--no-history", "--history", db.toString())), 1, "--history or --no-history, not both");
    }

    @Test
    void outWritesTheDocumentWhateverStdoutGets() throws IOException {
        Path out = tmp.resolve("bench.json");
        CliTest.Result r = toks(bench("--no-history", "--out", out.toString()));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| stories260K"); // the table on stdout
        ResultDocument doc = ResultJson.read(Files.readString(out));
        assertThat(doc.command()).isEqualTo("bench");
        assertThat(doc.runs()).extracting(run -> run.name()).containsExactly("pp8", "tg4");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).containsExactly(out); // no temporary file left beside it
        }
        assertOneLineError(toks(bench("--no-history", "--out", tmp.resolve("no/such/x.json").toString())), 1, "--out", "no such directory");
    }

    @Test
    void anExplicitStoreThatCannotBeOpenedFailsBeforeMeasuring() {
        CliTest.Result r = toks(bench("--history", tmp.resolve("no/such/dir/h.db").toString()));
        assertOneLineError(r, 1, "--history: history database", "no such directory");
        assertThat(r.out()).isEmpty();
        assertOneLineError(toks(bench("--history", "jdbc:postgresql://127.0.0.1:1/toks?connectTimeout=2")), 1, "--history: history database jdbc:postgresql://127.0.0.1:1/toks");
    }

    @Test
    void aDefaultStoreThatFailsIsOneWarningAndTheMeasurementGoesOn() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(HistoryLocation.ENV) == null, "TOKS_HISTORY names a store");
        Path notAFolder = Files.writeString(tmp.resolve("home"), "a file where a home folder should be");
        String before = System.getProperty(HistoryLocation.PROPERTY), home = System.getProperty("user.home");
        System.clearProperty(HistoryLocation.PROPERTY);
        System.setProperty("user.home", notAFolder.toString());
        try {
            CliTest.Result r = toks(bench());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("| stories260K");
            assertThat(r.err().strip().lines().filter(l -> l.contains("warning"))).singleElement().asString()
                    .startsWith("toks: warning: history not recorded").contains(notAFolder.toString());
        } finally {
            restore(HistoryLocation.PROPERTY, before);
            System.setProperty("user.home", home);
        }
    }

    @Test
    void exportThenImportIntoAnotherStoreGivesTheSameDocuments() throws IOException {
        Path first = tmp.resolve("a.db"), second = tmp.resolve("b.db");
        assertThat(toks(bench("--history", first.toString())).code()).isZero();
        assertThat(toks("hw", "-t", "1", "--buffer-mib", "16", "-r", "1", "--history", first.toString()).code()).isZero();

        Path array = tmp.resolve("all.json"), folder = tmp.resolve("docs");
        assertThat(toks("history", "export", "--history", first.toString(), "-o", array.toString()).code()).isZero();
        CliTest.Result dir = toks("history", "export", "--history", first.toString(), "-o", folder.toString());
        assertThat(dir.code()).as(dir.err()).isZero();
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> each = files.sorted().toList();
            assertThat(each).hasSize(2);
            for (Path f : each) assertThat(ResultJson.read(Files.readString(f)).runs()).isNotEmpty(); // each file one document
        }

        CliTest.Result imported = toks("history", "import", array.toString(), "--history", second.toString());
        assertThat(imported.out()).contains("imported 2 document(s), 0 already stored");
        CliTest.Result again = toks("history", "import", folder.toString(), "--history", second.toString());
        assertThat(again.out()).contains("imported 0 document(s), 2 already stored");

        assertThat(trees(first)).isEqualTo(trees(second));
    }

    @Test
    void filtersSelectTheRunsListed() throws IOException {
        Path db = tmp.resolve("h.db");
        assertThat(toks(bench("--history", db.toString())).code()).isZero();
        CliTest.Result tg = toks("history", "--history", db.toString(), "--test", "tg4", "-o", "json");
        assertThat(new ObjectMapper().readTree(tg.out())).hasSize(1);
        CliTest.Result recent = toks("history", "--history", db.toString(), "--since", "1d", "-o", "json");
        assertThat(new ObjectMapper().readTree(recent.out())).hasSize(2);
        CliTest.Result future = toks("history", "--history", db.toString(), "--since", "2999-01-01", "-o", "json");
        assertThat(new ObjectMapper().readTree(future.out())).isEmpty();
        assertOneLineError(toks("history", "--history", db.toString(), "--since", "yesterday"), 1, "--since yesterday: give an age");
    }

    /** Puts a system property back as it was: cleared when it was not set (outside Maven, which sets the history's). */
    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    private static List<JsonNode> trees(Path db) {
        try (HistoryStore store = HistoryStore.open(HistoryLocation.parse(db.toString(), true))) {
            return store.documents(HistoryFilter.all()).stream().map(StoredDocument::document).map(ResultJson::tree).toList();
        }
    }
}
