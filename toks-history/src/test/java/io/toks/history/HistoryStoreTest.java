package io.toks.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.core.ToksException;
import io.toks.core.result.Metric;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import io.toks.core.result.ResultSink;
import io.toks.report.Format;
import io.toks.report.Renderers;
import io.toks.report.ResultRenderer;
import io.toks.report.ResultWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The history store, the same tests on SQLite and on PostgreSQL ({@link Stores}). */
class HistoryStoreTest {

    @TempDir
    Path tmp;

    private final List<String> warnings = new ArrayList<>();

    @ParameterizedTest
    @EnumSource(Stores.class)
    void aDocumentWrittenThroughAResultWriterReadsBackWithTheSameFigures(Stores kind) {
        HistoryLocation location = kind.fresh(tmp);
        ResultDocument measured = Documents.bench("2026-11-02T09:00:00Z", "lab-1", 1.0);
        ResultDocument written = writeThroughResultWriter(measured, HistoryStore.open(location).sink(warnings::add));

        try (HistoryStore store = HistoryStore.open(location)) {
            List<StoredDocument> back = store.documents(HistoryFilter.all());
            assertThat(back).hasSize(1);
            assertThat(back.get(0).complete()).isTrue();
            assertThat(ResultJson.tree(back.get(0).document())).isEqualTo(ResultJson.tree(written));
            assertThat(render(back.get(0).document())).isEqualTo(render(written)).contains("tg16", "pp16");

            List<HistoryEntry> entries = store.runs(HistoryFilter.all());
            assertThat(entries).extracting(HistoryEntry::test).containsExactly("pp16", "tg16", "tg16");
            HistoryEntry tg = entries.get(1);
            assertThat(tg.metric()).isEqualTo("decode_tps");
            assertThat(tg.value()).isEqualTo(100.0);
            assertThat(tg.ci95Low()).isEqualTo(measured.runs().get(1).metric(Metric.DECODE_TPS).ci95Low());
            assertThat(tg.machine()).isEqualTo("lab-1");
            assertThat(tg.model()).isEqualTo("stories260K");
            assertThat(tg.modelType()).isEqualTo("Q4_0");
            assertThat(tg.threads()).isEqualTo(1);
            assertThat(tg.createdAt()).isEqualTo("2026-11-02T09:00:00.000Z");
        }
        assertThat(warnings).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Stores.class)
    void everyKindOfRunWithUndefinedFiguresRoundTrips(Stores kind) {
        try (HistoryStore store = HistoryStore.open(kind.fresh(tmp))) {
            ResultDocument load = Documents.load("2026-11-02T09:00:00Z", "lab-1");
            assertThat(store.importDocument(load)).isTrue();
            ResultDocument back = store.documents(HistoryFilter.all()).get(0).document();
            assertThat(ResultJson.write(back)).isEqualTo(ResultJson.write(load));
            assertThat(store.runs(HistoryFilter.all())).extracting(HistoryEntry::metric, HistoryEntry::model)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("output_tps", "llama-3-8b"),
                            org.assertj.core.groups.Tuple.tuple("tokenize_mb_per_s", null),
                            org.assertj.core.groups.Tuple.tuple("read_bandwidth", null));
        }
    }

    @ParameterizedTest
    @EnumSource(Stores.class)
    void aTokenMetersResultIsListedByItsModelWithOutputOrTrainingTokensPerSecond(Stores kind) {
        long[] now = {0};
        io.toks.core.meter.TokenMeter calls = io.toks.core.meter.TokenMeter.create("my-model", () -> now[0]);
        try (var call = calls.start(4)) {
            now[0] = 10_000_000;
            call.tokens(5);
            now[0] = 20_000_000; // 5 tokens in 20 ms: 250 tok/s
        }
        io.toks.core.meter.TokenMeter training = io.toks.core.meter.TokenMeter.create("trainer", () -> now[0]);
        now[0] = 520_000_000;
        training.trainStep(1000); // 1000 tokens in 500 ms: 2000 tok/s
        try (HistoryStore store = HistoryStore.open(kind.fresh(tmp))) {
            assertThat(store.importDocument(calls.result())).isTrue();
            assertThat(store.importDocument(training.result())).isTrue();
            assertThat(store.runs(HistoryFilter.all())).extracting(HistoryEntry::command, HistoryEntry::model, HistoryEntry::metric,
                    HistoryEntry::value).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("meter", "my-model", "output_tps", 250.0),
                    org.assertj.core.groups.Tuple.tuple("meter", "trainer", "train_tps", 2000.0));
        }
    }

    @ParameterizedTest
    @EnumSource(Stores.class)
    void aCommandThatDiesMidwayLeavesAnIncompleteDocumentWithExactlyTheRunsAccepted(Stores kind) throws SQLException {
        HistoryLocation location = kind.fresh(tmp);
        ResultDocument measured = Documents.bench("2026-11-02T09:00:00Z", "lab-1", 1.0);
        HistoryStore store = HistoryStore.open(location);
        ResultSink sink = store.sink(warnings::add);
        sink.begin("bench", measured.manifest());
        sink.run(measured.runs().get(0));
        sink.run(measured.runs().get(1));
        // The third run fails between its row and its metric rows: its transaction must leave nothing.
        store.afterRunRow = () -> { throw new IllegalStateException("disk unplugged"); };
        sink.run(measured.runs().get(2));
        store.close(); // the process "crashes": no end()

        assertThat(warnings).singleElement().asString().startsWith("toks: warning: history not recorded").contains("disk unplugged");
        try (HistoryStore reopened = HistoryStore.open(location)) {
            StoredDocument doc = reopened.documents(HistoryFilter.all()).get(0);
            assertThat(doc.complete()).isFalse();
            assertThat(ResultJson.tree(doc.document().runs())).isEqualTo(ResultJson.tree(measured.runs().subList(0, 2)));
            assertThat(reopened.runs(HistoryFilter.all())).allMatch(e -> !e.complete()).hasSize(2);
        }
        assertThat(count(location, "SELECT COUNT(*) FROM runs")).isEqualTo(2);
        // Every metric row belongs to a stored run: pp16 has prefill_tps, tg16 decode_tps and mbu.
        assertThat(count(location, "SELECT COUNT(*) FROM run_metrics")).isEqualTo(3);
        assertThat(count(location, "SELECT COUNT(*) FROM run_metrics m LEFT JOIN runs r ON r.id = m.run_id WHERE r.id IS NULL")).isZero();
    }

    @ParameterizedTest
    @EnumSource(Stores.class)
    void aFreshDatabaseGetsTheLatestSchemaAndANewerOneIsRefused(Stores kind) throws SQLException {
        HistoryLocation location = kind.fresh(tmp);
        try (HistoryStore store = HistoryStore.open(location)) {
            assertThat(store.schemaVersion()).isEqualTo(HistoryStore.latestSchemaVersion()).isEqualTo(2);
        }
        try (HistoryStore again = HistoryStore.open(location)) { // opening an up-to-date store changes nothing
            assertThat(again.schemaVersion()).isEqualTo(2);
        }
        execute(location, "INSERT INTO toks_schema_version (version, applied_at) VALUES (7, 'the future')");
        assertThatThrownBy(() -> HistoryStore.open(location)).isInstanceOf(ToksException.class)
                .hasMessage("history database " + location.display() + " has schema version 7; this toks knows up to 2; upgrade toks");
    }

    @ParameterizedTest
    @EnumSource(Stores.class)
    void importingTheSameDocumentTwiceStoresItOnce(Stores kind) {
        try (HistoryStore store = HistoryStore.open(kind.fresh(tmp))) {
            ResultDocument doc = Documents.bench("2026-11-02T09:00:00Z", "lab-1", 1.0);
            assertThat(store.importDocument(doc)).isTrue();
            assertThat(store.importDocument(ResultJson.read(ResultJson.write(doc)))).isFalse();
            assertThat(store.documents(HistoryFilter.all())).hasSize(1);
            assertThat(store.runs(HistoryFilter.all())).hasSize(3);
        }
    }

    /** Every reader of a document relies on its manifest: one without is refused, and one stored so by an older toks is named. */
    @ParameterizedTest
    @EnumSource(Stores.class)
    void aDocumentWithoutAManifestIsNotStoredAndOneStoredBeforeIsNamed(Stores kind) throws SQLException {
        HistoryLocation location = kind.fresh(tmp);
        try (HistoryStore store = HistoryStore.open(location)) {
            ResultDocument bare = new ResultDocument(ResultDocument.SCHEMA_VERSION, "bench", null, List.of());
            assertThatThrownBy(() -> store.importDocument(bare)).isInstanceOf(ToksException.class)
                    .hasMessage("a result document without a manifest cannot be stored");
            assertThat(store.documents(HistoryFilter.all())).isEmpty();
            store.importDocument(Documents.bench("2026-11-02T09:00:00Z", "lab-1", 1.0));
        }
        execute(location, "UPDATE documents SET manifest = 'null'");
        try (HistoryStore store = HistoryStore.open(location)) {
            assertThatThrownBy(() -> store.documents(HistoryFilter.all())).isInstanceOf(ToksException.class)
                    .hasMessageStartingWith("history document #1 has no manifest").hasMessageNotContaining("\n");
        }
    }

    @ParameterizedTest
    @EnumSource(Stores.class)
    void filtersSelectRunsNewestFirst(Stores kind) {
        try (HistoryStore store = HistoryStore.open(kind.fresh(tmp))) {
            store.importDocument(Documents.bench("2026-10-01T08:00:00Z", "lab-1", 1.0));
            store.importDocument(Documents.bench("2026-11-01T08:00:00Z", "gpu-box_2", 2.0));
            store.importDocument(Documents.load("2026-11-03T08:00:00.5Z", "lab-1"));

            assertThat(store.runs(HistoryFilter.all())).extracting(HistoryEntry::createdAt).first().isEqualTo("2026-11-03T08:00:00.500Z");
            assertThat(store.runs(HistoryFilter.all().withTest("TG16"))).hasSize(4).allMatch(e -> e.test().equals("tg16"));
            assertThat(store.runs(HistoryFilter.all().withTest("tg16").withSince(Instant.parse("2026-10-15T00:00:00Z"))))
                    .extracting(HistoryEntry::value).containsExactly(200.0, 370.0);
            assertThat(store.runs(HistoryFilter.all().withType("q4_0"))).hasSize(6);
            assertThat(store.runs(HistoryFilter.all().withMachine("box_"))).hasSize(3).allMatch(e -> e.machine().equals("gpu-box_2"));
            assertThat(store.runs(HistoryFilter.all().withMachine("test cpu"))).hasSize(9);
            assertThat(store.runs(HistoryFilter.all().withModel("STORIES"))).hasSize(6);
            assertThat(store.runs(HistoryFilter.all().withModel("llama-3"))).singleElement().extracting(HistoryEntry::test).isEqualTo("c=4");
            assertThat(store.runs(HistoryFilter.all().withCommand("load"))).hasSize(3);
            assertThat(store.runs(HistoryFilter.all().withMachine("%"))).isEmpty(); // a LIKE wildcard is matched literally
            assertThat(store.runs(HistoryFilter.all().withLimit(2))).extracting(HistoryEntry::test).containsExactly("c=4", "cl100k");
            assertThat(store.documents(HistoryFilter.all().withTest("tg16"))).hasSize(2);
            assertThat(store.documents(HistoryFilter.all().withLimit(1))).singleElement()
                    .satisfies(d -> assertThat(d.document().command()).isEqualTo("load"));
        }
    }

    @ParameterizedTest
    @EnumSource(Stores.class)
    void seriesGroupARunsMetricByModelMachineAndSettingOldestFirst(Stores kind) {
        try (HistoryStore store = HistoryStore.open(kind.fresh(tmp))) {
            store.importDocument(Documents.bench("2026-11-02T08:00:00Z", "lab-1", 2.0));
            store.importDocument(Documents.bench("2026-11-01T08:00:00Z", "lab-1", 1.0));
            store.importDocument(Documents.bench("2026-11-03T08:00:00Z", "lab-2", 3.0));

            List<Series> tg = store.series(HistoryFilter.all().withTest("tg16"), null);
            assertThat(tg).extracting(s -> s.key().label()).containsExactly(
                    "stories260K Q4_0 tg16 t=1 java-vector-256bit @ lab-1", "stories260K Q4_0 tg16 t=2 java-vector-256bit @ lab-1",
                    "stories260K Q4_0 tg16 t=1 java-vector-256bit @ lab-2", "stories260K Q4_0 tg16 t=2 java-vector-256bit @ lab-2");
            Series first = tg.get(0);
            assertThat(first.metric()).isEqualTo("decode_tps");
            assertThat(first.points()).extracting(p -> p.createdAt().toString()).containsExactly("2026-11-01T08:00:00Z", "2026-11-02T08:00:00Z");
            assertThat(first.points()).extracting(p -> p.value().mean()).containsExactly(100.0, 200.0);
            assertThat(first.points().get(0).run().name()).isEqualTo("tg16");

            // Another metric than the headline: only runs that measured it (mbu: the 1-thread tg16 runs with a roofline).
            List<Series> mbu = store.series(HistoryFilter.all(), Metric.MBU);
            assertThat(mbu).hasSize(2).allSatisfy(s -> {
                assertThat(s.metric()).isEqualTo("mbu");
                assertThat(s.key().threads()).isEqualTo(1);
            });
            assertThat(mbu.get(0).points()).extracting(p -> p.value().mean()).containsExactly(0.5, 0.5);
        }
    }

    @org.junit.jupiter.api.Test
    void aStoreThatCannotBeOpenedIsOneLineNamingIt() {
        Path missing = tmp.resolve("no/such/dir/h.db");
        assertThatThrownBy(() -> HistoryStore.open(HistoryLocation.parse(missing.toString(), true)))
                .isInstanceOf(ToksException.class).hasMessageContaining("no such directory").hasMessageNotContaining("\n");
        assertThatThrownBy(() -> HistoryLocation.parse("jdbc:mysql://h/db", true)).hasMessageContaining("not a store toks knows");
        assertThat(HistoryLocation.parse("jdbc:postgresql://h/db?user=u&password=secret", true).display()).doesNotContain("secret");
        assertThat(HistoryLocation.parse("none", true)).isNull();
    }

    @org.junit.jupiter.api.Test
    void aFileThatIsNotADatabaseIsRefused() throws Exception {
        Path notDb = tmp.resolve("a.json");
        java.nio.file.Files.writeString(notDb, "{\"schema\": 2} and much more text than a header ".repeat(40));
        assertThatThrownBy(() -> HistoryStore.open(HistoryLocation.parse(notDb.toString(), true)))
                .isInstanceOf(ToksException.class).hasMessageStartingWith("history database " + notDb).hasMessageNotContaining("\n");
    }

    private static ResultDocument writeThroughResultWriter(ResultDocument measured, ResultSink sink) {
        var writer = new ResultWriter(measured.command(), measured.manifest(), new ResultRenderer() {}, List.of(sink));
        measured.runs().forEach(writer::accept);
        return writer.finish();
    }

    private static String render(ResultDocument document) {
        var bytes = new ByteArrayOutputStream();
        Renderers.render(document, Format.MD, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static long count(HistoryLocation location, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(location.jdbcUrl()); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(HistoryLocation location, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(location.jdbcUrl()); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
