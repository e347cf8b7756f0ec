package io.toks.history;

import io.toks.history.HistoryLocation.Dialect;

/**
 * Every difference between the SQL of SQLite and PostgreSQL, in one place. Everything else the
 * store runs is the same text for both: TEXT, INTEGER, BIGINT, SMALLINT and DOUBLE PRECISION
 * columns, {@code LIKE ... ESCAPE '!'} and {@code INSERT ... RETURNING id} (SQLite 3.35+).
 */
final class Sql {

    private Sql() {}

    /** A surrogate key that counts up and is never reused. */
    static String idColumn(Dialect dialect) {
        return switch (dialect) {
            case SQLITE -> "INTEGER PRIMARY KEY AUTOINCREMENT";
            case POSTGRESQL -> "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";
        };
    }

    /**
     * Statements run once on every new connection: SQLite enforces foreign keys only when asked,
     * and waits for another toks process's write instead of failing at once.
     */
    static String[] connectionSetup(Dialect dialect) {
        return switch (dialect) {
            case SQLITE -> new String[] {"PRAGMA foreign_keys = ON", "PRAGMA busy_timeout = 3000"};
            case POSTGRESQL -> new String[0];
        };
    }

    /** A LIKE pattern matching {@code text} anywhere, case-insensitively (compare with LOWER(column)), '!' the escape. */
    static String containsPattern(String text) {
        String escaped = text.toLowerCase(java.util.Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return "%" + escaped + "%";
    }
}
