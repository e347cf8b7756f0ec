package io.toks.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the project's read-only reference data ({@code shared/}: models, tokenizer vocabularies,
 * corpora): beside the repository ({@code ROOT/../shared}), or, in a clone made somewhere else
 * (a temporary directory), beside the repository it was cloned from, as git's origin records.
 */
public final class SharedData {

    private SharedData() {}

    /** The shared directory for the repository at {@code root}; {@code root/../shared} when none is found. */
    public static Path locate(Path root) {
        Path beside = root.resolve("../shared").normalize();
        if (Files.isDirectory(beside)) return beside;
        Path origin = localOrigin(root);
        if (origin != null) {
            Path besideOrigin = origin.resolve("../shared").normalize();
            if (Files.isDirectory(besideOrigin)) return besideOrigin;
        }
        return beside;
    }

    /** The origin of a clone when it is a directory on this machine; else null. */
    private static Path localOrigin(Path root) {
        try {
            boolean inOrigin = false;
            for (String line : Files.readAllLines(root.resolve(".git/config"))) {
                String l = line.trim();
                if (l.startsWith("[")) inOrigin = l.equals("[remote \"origin\"]");
                else if (inOrigin && l.startsWith("url")) {
                    String url = l.substring(l.indexOf('=') + 1).trim();
                    if (url.startsWith("file://")) url = url.substring("file://".length());
                    Path p = root.resolve(url).normalize();
                    return Files.isDirectory(p) ? p : null;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not a clone, or an unreadable config: no origin
        }
        return null;
    }
}
