package io.toks.bench.hw;

import io.toks.core.ToksException;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.manifest.Manifest;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@code toks hw} keeps each machine's last result document, so that other commands can use
 * its measured limits without measuring again ({@link #load()}). One file per machine:
 * {@code HOST-HASH.json}, the hash over the CPU model, the cores and the memory, so a resized VM
 * or a moved disk is a new machine. The folder is, first to last: the system property
 * {@value #PROPERTY} (the build points tests into {@code target/}), the environment variable
 * {@value #ENV}, {@code ~/.toks/hardware}; the value {@code none} keeps nothing.
 */
public final class HardwareCache {

    /** The system property naming the cache folder (or {@code none}). */
    public static final String PROPERTY = "toks.hardware-cache";
    /** The environment variable naming the cache folder (or {@code none}). */
    public static final String ENV = "TOKS_HARDWARE_CACHE";

    private final Path directory;

    private HardwareCache(Path directory) {
        this.directory = directory;
    }

    /** The cache in {@code directory}. */
    public static HardwareCache in(Path directory) {
        return new HardwareCache(directory);
    }

    /** The configured cache; empty when the configuration says {@code none}. */
    public static Optional<HardwareCache> configured() {
        return configured(System.getProperty(PROPERTY), System.getenv(ENV), Path.of(System.getProperty("user.home"), ".toks", "hardware"));
    }

    static Optional<HardwareCache> configured(String property, String env, Path fallback) {
        String chosen = property != null && !property.isBlank() ? property : env != null && !env.isBlank() ? env : null;
        if (chosen == null) return Optional.of(in(fallback));
        if (chosen.strip().equalsIgnoreCase("none")) return Optional.empty();
        return Optional.of(in(Path.of(chosen.strip())));
    }

    /**
     * This machine's last measured limits from the configured cache; empty when the cache is off
     * or holds nothing for this machine.
     *
     * @throws ToksException when the cached file cannot be read (naming it)
     */
    public static Optional<MeasuredHardware> load() {
        return configured().flatMap(cache -> cache.read(thisMachine()));
    }

    public Path directory() {
        return directory;
    }

    /** The file that holds {@code machine}'s limits. */
    public Path fileFor(Manifest.Machine machine) {
        return directory.resolve(key(machine) + ".json");
    }

    /**
     * Keeps a toks hw document as its machine's latest, replacing the one before (written beside
     * it and moved into place: a reader never sees half a file).
     *
     * @return the file written
     * @throws ToksException when it cannot be written (naming the file)
     */
    public Path save(ResultDocument document) {
        if (!document.command().equals("hw")) throw new IllegalArgumentException("only toks hw documents are cached, not " + document.command());
        Path file = fileFor(document.manifest().machine());
        try {
            Files.createDirectories(directory);
            Path partial = Files.writeString(directory.resolve(file.getFileName() + ".partial"), ResultJson.write(document));
            try {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException e) {
            throw new ToksException("hardware cache " + file + ": cannot write (" + e.getMessage() + ")");
        }
    }

    /**
     * {@code machine}'s last measured limits; empty when there are none.
     *
     * @throws ToksException when the file is there but is not a toks hw document (naming it)
     */
    public Optional<MeasuredHardware> read(Manifest.Machine machine) {
        Path file = fileFor(machine);
        if (!Files.isRegularFile(file)) return Optional.empty();
        try {
            return Optional.of(MeasuredHardware.of(file, ResultJson.read(file)));
        } catch (IllegalArgumentException e) {
            throw new ToksException("hardware cache " + file + ": " + e.getMessage() + "; run toks hw again");
        } catch (ToksException e) {
            throw new ToksException("hardware cache " + e.getMessage() + "; run toks hw again");
        }
    }

    /** This machine as a manifest states it. */
    static Manifest.Machine thisMachine() {
        return MachineFacts.manifest(null, Map.of()).machine();
    }

    /** {@code HOST-HASH}: the host name made safe for a file name, and 12 hex digits of SHA-256 over model, cores and memory. */
    static String key(Manifest.Machine machine) {
        String host = machine.host() == null || machine.host().isBlank() ? "unknown-host" : machine.host();
        String safe = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "_");
        String identity = machine.cpuModel() + "\n" + machine.cores() + "\n" + machine.memoryBytes();
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return safe + "-" + HexFormat.of().formatHex(hash, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
