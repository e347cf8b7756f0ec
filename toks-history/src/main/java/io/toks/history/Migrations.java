package io.toks.history;

import io.toks.core.ToksException;
import io.toks.history.HistoryLocation.Dialect;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * The store's schema as numbered migrations, applied in order, each in its own transaction with
 * its row in {@code toks_schema_version}, so a database is always at one whole version. A database
 * at a version newer than this toks knows is refused: an older toks writing into it could lose
 * what the newer one records.
 */
final class Migrations {

    /** One step of the schema. */
    record Migration(int version, String what, List<String> statements) {}

    private Migrations() {}

    static List<Migration> all(Dialect dialect) {
        String id = Sql.idColumn(dialect);
        return List.of(
                new Migration(1, "documents and their runs", List.of(
                        """
                        CREATE TABLE documents (
                          id %s,
                          command TEXT NOT NULL,
                          created_at TEXT NOT NULL,
                          toks_version TEXT,
                          toks_commit TEXT,
                          host TEXT,
                          cpu_model TEXT,
                          cores INTEGER,
                          os TEXT,
                          model TEXT,
                          parameters TEXT NOT NULL,
                          manifest TEXT NOT NULL,
                          complete SMALLINT NOT NULL DEFAULT 0,
                          content_hash TEXT UNIQUE
                        )""".formatted(id),
                        """
                        CREATE TABLE runs (
                          id %s,
                          document_id BIGINT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                          seq INTEGER NOT NULL,
                          kind TEXT NOT NULL,
                          name TEXT NOT NULL,
                          model TEXT,
                          model_type TEXT,
                          kernels TEXT,
                          threads INTEGER,
                          metric TEXT,
                          unit TEXT,
                          value DOUBLE PRECISION,
                          ci95_low DOUBLE PRECISION,
                          ci95_high DOUBLE PRECISION,
                          run_json TEXT NOT NULL,
                          UNIQUE (document_id, seq)
                        )""".formatted(id))),
                new Migration(2, "one row per metric of a run, and the indexes of the history filters", List.of(
                        """
                        CREATE TABLE run_metrics (
                          run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                          metric TEXT NOT NULL,
                          unit TEXT NOT NULL,
                          n BIGINT NOT NULL,
                          mean DOUBLE PRECISION,
                          stdev DOUBLE PRECISION,
                          ci95_low DOUBLE PRECISION,
                          ci95_high DOUBLE PRECISION,
                          min DOUBLE PRECISION,
                          median DOUBLE PRECISION,
                          max DOUBLE PRECISION,
                          p99 DOUBLE PRECISION,
                          PRIMARY KEY (run_id, metric)
                        )""",
                        "CREATE INDEX documents_created_at ON documents (created_at)",
                        "CREATE INDEX documents_host ON documents (host)",
                        "CREATE INDEX documents_command ON documents (command)",
                        "CREATE INDEX runs_name ON runs (name)",
                        "CREATE INDEX runs_model ON runs (model)",
                        "CREATE INDEX runs_model_type ON runs (model_type)",
                        "CREATE INDEX run_metrics_metric ON run_metrics (metric)")));
    }

    /** The newest version this toks knows. */
    static int latest(Dialect dialect) {
        List<Migration> all = all(dialect);
        return all.get(all.size() - 1).version();
    }

    /**
     * Brings the database to {@link #latest}. When another toks process migrates at the same time,
     * one of them fails its transaction; that one reads the version again and is done if the other
     * got there.
     */
    static void migrate(Connection c, Dialect dialect, String display) throws SQLException {
        try {
            migrateOnce(c, dialect, display);
        } catch (SQLException first) {
            rollbackQuietly(c);
            if (version(c) != latest(dialect)) throw first;
        }
    }

    /** The database's schema version; 0 for a database toks never wrote to. */
    static int version(Connection c) throws SQLException {
        boolean exists;
        // In the connection's own schema: a PostgreSQL database may hold other toks stores in other schemas.
        try (ResultSet tables = c.getMetaData().getTables(null, c.getSchema(), "toks_schema_version", null)) {
            exists = tables.next();
        }
        if (!exists) return 0;
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM toks_schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static void migrateOnce(Connection c, Dialect dialect, String display) throws SQLException {
        int latest = latest(dialect);
        int current = version(c);
        refuseNewer(current, latest, display);
        if (current == latest) return;
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS toks_schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
            c.commit();
            for (Migration m : all(dialect)) {
                // Read again inside the work: another process may have applied some meanwhile.
                current = version(c);
                refuseNewer(current, latest, display);
                if (m.version() <= current) continue;
                for (String statement : m.statements()) s.execute(statement);
                try (var insert = c.prepareStatement("INSERT INTO toks_schema_version (version, applied_at) VALUES (?, ?)")) {
                    insert.setInt(1, m.version());
                    insert.setString(2, Instant.now().toString());
                    insert.executeUpdate();
                }
                c.commit();
            }
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static void refuseNewer(int current, int latest, String display) {
        if (current > latest) {
            throw new ToksException("history database " + display + " has schema version " + current
                    + "; this toks knows up to " + latest + "; upgrade toks");
        }
    }

    static void rollbackQuietly(Connection c) {
        try {
            if (!c.getAutoCommit()) c.rollback();
        } catch (SQLException ignored) {
            // The transaction is lost either way; the error that caused the rollback is the one to report.
        }
    }
}
