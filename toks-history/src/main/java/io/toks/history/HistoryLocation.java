package io.toks.history;

import io.toks.core.ToksException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where results are recorded: a SQLite file (the default, {@code ~/.toks/history.db}) or a team's
 * PostgreSQL database. Chosen by, first to last: {@code --history URL}, the system property
 * {@code toks.history} (the build points tests at {@code target/}), the environment variable
 * {@code TOKS_HISTORY}, the default. The value {@code none} records nothing.
 *
 * @param jdbcUrl   the JDBC URL opened ({@code jdbc:sqlite:PATH}, {@code jdbc:postgresql://...})
 * @param display   the same for messages, a password masked
 * @param dialect   the database it is
 * @param chosen    true when a user named it (an error to fail); false for the built-in default
 *                  (a warning to fail: a measurement is never lost because history failed)
 */
public record HistoryLocation(String jdbcUrl, String display, Dialect dialect, boolean chosen) {

    /** The system property tests set to keep their results out of the user's store. */
    public static final String PROPERTY = "toks.history";
    /** The environment variable naming a store for every command. */
    public static final String ENV = "TOKS_HISTORY";

    /** The databases toks keeps history in; the SQL differences between them live in {@link Sql}. */
    public enum Dialect { SQLITE, POSTGRESQL }

    /**
     * The store {@code explicit} names (a {@code --history} value), else the configured or default
     * one; null when the value is {@code none}.
     */
    public static HistoryLocation resolve(String explicit) {
        if (explicit != null) return parse(explicit, true);
        String property = System.getProperty(PROPERTY);
        if (property != null && !property.isBlank()) return parse(property, true);
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) return parse(env, true);
        Path file = Path.of(System.getProperty("user.home"), ".toks", "history.db");
        return new HistoryLocation("jdbc:sqlite:" + file, file.toString(), Dialect.SQLITE, false);
    }

    /** A store named by a user: a file path, {@code jdbc:sqlite:PATH}, {@code jdbc:postgresql://...}, or {@code none}. */
    public static HistoryLocation parse(String value, boolean chosen) {
        String v = value.strip();
        if (v.isEmpty()) throw new ToksException("--history: empty; give a file, jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB");
        if (v.equalsIgnoreCase("none")) return null;
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:postgresql:")) return new HistoryLocation(v, maskPassword(v), Dialect.POSTGRESQL, chosen);
        if (lower.startsWith("jdbc:sqlite:")) return new HistoryLocation(v, v.substring("jdbc:sqlite:".length()), Dialect.SQLITE, chosen);
        if (lower.startsWith("jdbc:") || lower.startsWith("postgres://") || lower.startsWith("postgresql://")) {
            throw new ToksException("--history " + maskPassword(v) + ": not a store toks knows (give a file, jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DB)");
        }
        return new HistoryLocation("jdbc:sqlite:" + v, v, Dialect.SQLITE, chosen);
    }

    /** The SQLite file, or null for a server database. */
    public Path file() {
        if (dialect != Dialect.SQLITE) return null;
        String path = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = path.indexOf('?');
        if (query >= 0) path = path.substring(0, query);
        return path.isEmpty() || path.equals(":memory:") || path.startsWith("file:") ? null : Path.of(path);
    }

    /** Checks what can be checked before connecting: a SQLite file's folder exists (the default's is created). */
    void prepare() {
        Path file = file();
        if (file == null) return;
        Path parent = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) throw new ToksException("history database " + display + " is a directory");
        if (parent != null && !Files.isDirectory(parent)) {
            if (chosen) throw new ToksException("history database " + display + ": no such directory " + parent);
            try {
                Files.createDirectories(parent);
            } catch (java.io.IOException e) {
                throw new ToksException("history database " + display + ": cannot create " + parent + " (" + e.getMessage() + ")");
            }
        }
    }

    private static String maskPassword(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }
}
