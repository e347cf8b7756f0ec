package io.toks.history;

import io.toks.core.ToksException;
import io.toks.core.manifest.Manifest;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import io.toks.core.result.ResultSink;
import io.toks.core.result.Run;
import io.toks.history.HistoryLocation.Dialect;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The history of measured results in one database (SQLite or PostgreSQL, {@link HistoryLocation}),
 * over one connection: a CLI process needs no pool. Opening migrates the schema ({@link Migrations}).
 *
 * <p>Writes follow a command as it measures ({@link #sink}): the document's row when it starts,
 * each run in its own transaction as it is accepted (its row, the run's JSON, and one row per
 * metric: all or nothing), and the final manifest with {@code complete = 1} at the end. A process
 * that dies midway leaves an incomplete document holding exactly the runs it measured.
 */
public final class HistoryStore implements AutoCloseable {

    /** ISO-8601 UTC with fixed width, so the text column sorts and compares as time does. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final HistoryLocation location;
    private final Connection connection;
    /** Test seam: runs between a run's row and its metric rows, to fail a run halfway. */
    Runnable afterRunRow = () -> {};

    private HistoryStore(HistoryLocation location, Connection connection) {
        this.location = location;
        this.connection = connection;
    }

    /**
     * Connects and brings the schema to the latest version this toks knows.
     *
     * @throws ToksException in one line: unreachable, not a database, a schema newer than this toks
     */
    public static HistoryStore open(HistoryLocation location) {
        location.prepare();
        Connection c = null;
        try {
            c = DriverManager.getConnection(location.jdbcUrl());
            try (Statement s = c.createStatement()) {
                for (String setup : Sql.connectionSetup(location.dialect())) s.execute(setup);
            }
            Migrations.migrate(c, location.dialect(), location.display());
            return new HistoryStore(location, c);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            if (e instanceof ToksException t) throw t;
            throw new ToksException("history database " + location.display() + ": " + oneLine(e));
        }
    }

    /**
     * {@link #open} for a command that only reads: a SQLite file that does not exist is an error
     * (a mistyped path), not a new empty database left behind.
     */
    public static HistoryStore openForReading(HistoryLocation location) {
        Path file = location.file();
        if (file != null && !java.nio.file.Files.exists(file)) {
            throw new ToksException("history database " + location.display() + " does not exist (nothing was recorded there)");
        }
        return open(location);
    }

    public HistoryLocation location() {
        return location;
    }

    /** The schema version of the database (the latest after {@link #open}). */
    public int schemaVersion() {
        try {
            return Migrations.version(connection);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** The newest schema version this toks knows. */
    public static int latestSchemaVersion() {
        return Migrations.latest(Dialect.SQLITE);
    }

    /**
     * A sink recording a command's document in this store as it is measured. A failure to record
     * goes to {@code warnings} once, in one line, and recording stops; the measurement goes on.
     * The sink closes this store at the end.
     */
    public ResultSink sink(Consumer<String> warnings) {
        return new HistorySink(this, warnings);
    }

    /** Inserts an incomplete document (a command that starts); returns its id. */
    long beginDocument(String command, Manifest manifest) {
        try {
            return insertDocument(command, manifest, false, null);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Stores one accepted run of document {@code documentId}, all of it or nothing. */
    void addRun(long documentId, int seq, Run run, Manifest manifest) {
        inTransaction(() -> insertRun(documentId, seq, run, manifest));
    }

    /** Marks the document complete with its final manifest. */
    void completeDocument(long documentId, ResultDocument document) {
        try (PreparedStatement u = connection.prepareStatement(
                "UPDATE documents SET manifest = ?, parameters = ?, model = ?, complete = 1, content_hash = ? WHERE id = ?")) {
            u.setString(1, ResultJson.writeLine(document.manifest()));
            u.setString(2, ResultJson.writeLine(document.manifest() == null ? Map.of() : document.manifest().parameters()));
            u.setString(3, RunFacts.documentModel(document.manifest()));
            u.setString(4, contentHash(document));
            u.setLong(5, documentId);
            u.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * Stores a whole document measured elsewhere ({@code toks history import}), in one
     * transaction. Idempotent: a document already stored (the same content, by SHA-256) is not
     * stored again.
     *
     * @return true when stored, false when it was already there
     */
    public boolean importDocument(ResultDocument document) {
        if (document.manifest() == null) throw new ToksException("a result document without a manifest cannot be stored");
        String hash = contentHash(document);
        try (PreparedStatement q = connection.prepareStatement("SELECT id FROM documents WHERE content_hash = ?")) {
            q.setString(1, hash);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) return false;
            }
        } catch (SQLException e) {
            throw failure(e);
        }
        try {
            inTransaction(() -> {
                long id = insertDocument(document.command(), document.manifest(), document.incomplete() == null, hash);
                for (int i = 0; i < document.runs().size(); i++) insertRun(id, i, document.runs().get(i), document.manifest());
            });
            return true;
        } catch (ToksException e) {
            // Another process stored the same document meanwhile: the unique hash refused this copy.
            if (contains(hash)) return false;
            throw e;
        }
    }

    /** The runs matching {@code filter}, newest document first, each document's runs in order. */
    public List<HistoryEntry> runs(HistoryFilter filter) {
        try {
            return HistoryQueries.entries(connection, filter);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * The documents with at least one run matching {@code filter} (every document when the filter
     * names no run), oldest first, each whole; {@code limit} counts documents.
     */
    public List<StoredDocument> documents(HistoryFilter filter) {
        try {
            return HistoryQueries.documents(connection, filter);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * Trend lines of {@code metric} (null: each run's headline metric, e.g. {@code decode_tps}
     * of a tg test) over the runs matching {@code filter}: one series per model, weight type,
     * machine, test, threads and kernels, each oldest first.
     */
    public List<Series> series(HistoryFilter filter, Metric metric) {
        try {
            return HistoryQueries.series(connection, filter, metric);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    @Override
    public void close() {
        closeQuietly(connection);
    }

    private boolean contains(String hash) {
        try (PreparedStatement q = connection.prepareStatement("SELECT 1 FROM documents WHERE content_hash = ?")) {
            q.setString(1, hash);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private long insertDocument(String command, Manifest manifest, boolean complete, String hash) throws SQLException {
        try (PreparedStatement i = connection.prepareStatement("""
                INSERT INTO documents (command, created_at, toks_version, toks_commit, host, cpu_model, cores, os, model,
                                       parameters, manifest, complete, content_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")) {
            var machine = manifest == null ? null : manifest.machine();
            i.setString(1, command);
            i.setString(2, TIME.format(createdAt(manifest)));
            i.setString(3, manifest == null || manifest.toks() == null ? null : manifest.toks().version());
            i.setString(4, manifest == null || manifest.toks() == null ? null : manifest.toks().commit());
            i.setString(5, machine == null ? null : machine.host());
            i.setString(6, machine == null ? null : machine.cpuModel());
            if (machine == null) i.setNull(7, Types.INTEGER);
            else i.setInt(7, machine.cores());
            i.setString(8, machine == null ? null : machine.os());
            i.setString(9, RunFacts.documentModel(manifest));
            i.setString(10, ResultJson.writeLine(manifest == null ? Map.of() : manifest.parameters()));
            i.setString(11, ResultJson.writeLine(manifest));
            i.setInt(12, complete ? 1 : 0);
            i.setString(13, hash);
            try (ResultSet rs = i.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void insertRun(long documentId, int seq, Run run, Manifest manifest) throws SQLException {
        RunFacts facts = RunFacts.of(run, manifest);
        MetricSummary headline = run.metric(facts.headline());
        long runId;
        try (PreparedStatement i = connection.prepareStatement("""
                INSERT INTO runs (document_id, seq, kind, name, model, model_type, kernels, threads, metric, unit, value,
                                  ci95_low, ci95_high, run_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""")) {
            i.setLong(1, documentId);
            i.setInt(2, seq);
            i.setString(3, facts.kind());
            i.setString(4, facts.name());
            i.setString(5, facts.model());
            i.setString(6, facts.modelType());
            i.setString(7, facts.kernels());
            if (facts.threads() == null) i.setNull(8, Types.INTEGER);
            else i.setInt(8, facts.threads());
            i.setString(9, headline == null ? null : facts.headline().key());
            i.setString(10, headline == null ? null : headline.unit().toString());
            setDouble(i, 11, headline == null ? Double.NaN : headline.mean());
            setDouble(i, 12, headline == null ? Double.NaN : headline.ci95Low());
            setDouble(i, 13, headline == null ? Double.NaN : headline.ci95High());
            i.setString(14, ResultJson.writeLine(run));
            try (ResultSet rs = i.executeQuery()) {
                rs.next();
                runId = rs.getLong(1);
            }
        }
        afterRunRow.run();
        try (PreparedStatement m = connection.prepareStatement("""
                INSERT INTO run_metrics (run_id, metric, unit, n, mean, stdev, ci95_low, ci95_high, min, median, max, p99)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (var e : run.metrics().entrySet()) {
                MetricSummary s = e.getValue();
                m.setLong(1, runId);
                m.setString(2, e.getKey().key());
                m.setString(3, s.unit().toString());
                m.setLong(4, s.n());
                setDouble(m, 5, s.mean());
                setDouble(m, 6, s.stdev());
                setDouble(m, 7, s.ci95Low());
                setDouble(m, 8, s.ci95High());
                setDouble(m, 9, s.min());
                setDouble(m, 10, s.median());
                setDouble(m, 11, s.max());
                setDouble(m, 12, s.percentile("p99"));
                m.addBatch();
            }
            m.executeBatch();
        }
    }

    private interface Work {
        void run() throws SQLException;
    }

    private void inTransaction(Work work) {
        try {
            connection.setAutoCommit(false);
            try {
                work.run();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                Migrations.rollbackQuietly(connection);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Undefined figures are NULL in both databases (SQLite has no NaN; PostgreSQL's would sort above every number). */
    private static void setDouble(PreparedStatement s, int index, double value) throws SQLException {
        if (Double.isNaN(value) || Double.isInfinite(value)) s.setNull(index, Types.DOUBLE);
        else s.setDouble(index, value);
    }

    private static Instant createdAt(Manifest manifest) {
        if (manifest == null || manifest.createdAt() == null) return Instant.now();
        try {
            return Instant.parse(manifest.createdAt());
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }

    /** SHA-256 of the document's canonical JSON: the same document imported twice has the same hash. */
    static String contentHash(ResultDocument document) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(ResultJson.writeLine(document).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private ToksException failure(SQLException e) {
        return new ToksException("history database " + location.display() + ": " + oneLine(e));
    }

    static String oneLine(Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }

    private static void closeQuietly(Connection c) {
        if (c == null) return;
        try {
            c.close();
        } catch (SQLException ignored) {
            // Closing after a failure or at the end: nothing left to lose.
        }
    }
}
