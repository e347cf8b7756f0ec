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
