package io.toks.report;

import io.toks.core.ToksException;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import io.toks.core.result.ResultSink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code --out FILE.json}: the result document written to a file at the end of the command,
 * whatever the command prints, and also when it failed midway (with the runs measured). Written
 * to a temporary file beside the target and moved over it, so a reader never sees half a document
 * and an older file is replaced only by a whole new one.
 */
public final class ResultFile implements ResultSink {

    private final Path file;

    private ResultFile(Path file) {
        this.file = file;
    }

    /**
     * A sink writing to {@code file}, checked now (before any slow work): its folder must exist
     * and it must not be a folder itself.
     */
    public static ResultFile of(Path file) {
        Path absolute = file.toAbsolutePath();
        if (Files.isDirectory(absolute)) throw new ToksException("--out " + file + " is a directory; name a file");
        Path parent = absolute.getParent();
        if (parent == null || !Files.isDirectory(parent)) throw new ToksException("--out " + file + ": no such directory " + parent);
        if (!Files.isWritable(parent)) throw new ToksException("--out " + file + ": cannot write in " + parent);
        return new ResultFile(absolute);
    }

    public Path file() {
        return file;
    }

    @Override
    public void end(ResultDocument document) {
        try {
            writeAtomically(file, ResultJson.write(document) + "\n");
        } catch (IOException e) {
            throw new ToksException("--out " + file + ": " + e.getMessage());
        }
    }

    /**
     * Writes {@code content} to a temporary file beside {@code file} and moves it over {@code file}:
     * a reader sees the old file or the whole new one, never a part.
     */
    public static void writeAtomically(Path file, String content) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path temp = null;
        try {
            temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".tmp");
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The move succeeded or the write failed: a stray temporary file is all that is left.
                }
            }
        }
    }
}
