package io.toks.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where toks keeps what it unpacks from its jar once and finds again on later runs (the bundled
 * vocabularies, the native kernel library): {@code $XDG_CACHE_HOME/toks} or {@code ~/.cache/toks},
 * the system's temporary directory where neither is writable.
 */
public final class UserCache {

    private UserCache() {}

    /**
     * Writes {@code bytes} to {@code file} (its directories made as needed) beside it first, then
     * moves them in: a reader, or a second toks doing the same, sees the old file or the new one,
     * never half of one.
     */
    public static void store(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        // Named by process and clock rather than Files.createTempFile, whose SecureRandom costs a
        // cold start (docs/performance.md, "Cold start").
        Path partial = file.resolveSibling(".partial-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.write(partial, bytes);
            Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** The cache's root directory, created if missing. */
    public static Path root() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        Path root = base.resolve("toks");
        try {
            Files.createDirectories(root);
            if (Files.isWritable(root)) return root;
        } catch (IOException | SecurityException e) {
            // no writable home: the temporary directory below
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "toks-" + System.getProperty("user.name", "user"));
    }
}
