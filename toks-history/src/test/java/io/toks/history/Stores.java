package io.toks.history;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases the store tests run against: SQLite in a temporary folder, and PostgreSQL at
 * {@code TOKS_TEST_POSTGRES_URL} (each test in a schema of its own). Without that variable the
 * PostgreSQL cases are skipped, unless {@code TOKS_REQUIRE_POSTGRES=1} (CI), which fails them.
 */
enum Stores {
    SQLITE, POSTGRESQL;

    static final String URL_ENV = "TOKS_TEST_POSTGRES_URL";

    /** A fresh, empty store location of this kind. */
    HistoryLocation fresh(Path tmp) {
        return switch (this) {
            case SQLITE -> HistoryLocation.parse(tmp.resolve("history-" + UUID.randomUUID() + ".db").toString(), true);
            case POSTGRESQL -> {
                String url = postgresUrl();
                String schema = "toks_test_" + UUID.randomUUID().toString().replace("-", "");
                try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                    s.execute("CREATE SCHEMA " + schema);
                } catch (SQLException e) {
                    fail("PostgreSQL at " + URL_ENV + " is not usable: " + e.getMessage());
                }
                yield HistoryLocation.parse(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, true);
            }
        };
    }

    static String postgresUrl() {
        String url = System.getenv(URL_ENV);
        if (url == null || url.isBlank()) {
            if ("1".equals(System.getenv("TOKS_REQUIRE_POSTGRES"))) fail("TOKS_REQUIRE_POSTGRES=1 but " + URL_ENV + " is not set");
            Assumptions.abort(URL_ENV + " is not set: the PostgreSQL case is skipped (.ci/run starts a server and sets it)");
        }
        return url;
    }
}
