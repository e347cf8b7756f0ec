package io.toks.train;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the read-only reference data in {@code ../shared} (see the parent POM). */
public final class SharedData {

    private SharedData() {}

    public static Path path(String relative) {
        Path root = io.toks.core.SharedData.locate(Path.of(System.getProperty("toks.root", ".")).toAbsolutePath());
        Path p = root.resolve(relative).normalize();
        if (!Files.exists(p)) throw new IllegalStateException("reference data missing: " + p);
        return p;
    }

    public static Path tinyStories() {
        return path("corpus/tinystories");
    }
}
