package io.toks.engine;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the read-only reference data in {@code ../shared} (see the parent POM). */
public final class SharedData {

    private SharedData() {}

    public static Path path(String relative) {
        String root = io.toks.core.SharedData.locate(Path.of(System.getProperty("toks.root", ".")).toAbsolutePath()).toString();
        Path p = Path.of(root, relative).normalize();
        if (!Files.exists(p)) throw new IllegalStateException("reference data missing: " + p);
        return p;
    }

    public static Path stories(String file) {
        return path("models/stories260K/" + file);
    }
}
