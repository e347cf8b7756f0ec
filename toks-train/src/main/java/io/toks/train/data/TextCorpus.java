package io.toks.train.data;

import io.toks.core.ToksException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The documents of a training corpus: every UTF-8 text file under a directory (or one file), in
 * path order, each cut into documents at lines reading {@code <|endoftext|>} (how the TinyStories
 * files separate stories). Files that are not UTF-8 text (a NUL byte, an invalid sequence) are
 * skipped and named, not read as noise.
 *
 * @param documents the documents, blank ones dropped
 * @param files     the files read
 * @param skipped   files passed over, each with why
 * @param bytes     UTF-8 bytes of the files read
 */
public record TextCorpus(List<String> documents, List<Path> files, List<String> skipped, long bytes) {

    /** The separator TinyStories (and GPT-2's training data) put between documents. */
    public static final String END_OF_TEXT = "<|endoftext|>";

    public static TextCorpus read(Path root) {
        if (!Files.exists(root)) throw new ToksException("--data: no such file or directory: " + root);
        List<Path> candidates;
        try (Stream<Path> walk = Files.walk(root)) {
            candidates = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new ToksException("--data: cannot list " + root + ": " + e.getMessage(), e);
        }
        List<String> documents = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        long bytes = 0;
        for (Path file : candidates) {
            byte[] content;
            try {
                content = Files.readAllBytes(file);
            } catch (IOException e) {
                skipped.add(file + " (" + e.getMessage() + ")");
                continue;
            }
            String text = decode(content);
            if (text == null) {
                skipped.add(file + " (not UTF-8 text)");
                continue;
            }
            files.add(file);
            bytes += content.length;
            for (String document : text.split("(?m)^" + java.util.regex.Pattern.quote(END_OF_TEXT) + "\\s*$")) {
                String trimmed = document.strip();
                if (!trimmed.isEmpty()) documents.add(trimmed);
            }
        }
        if (documents.isEmpty()) {
            throw new ToksException("--data: no text under " + root + (skipped.isEmpty() ? "" : " (skipped: " + String.join(", ", skipped) + ")"));
        }
        return new TextCorpus(List.copyOf(documents), List.copyOf(files), List.copyOf(skipped), bytes);
    }

    private static String decode(byte[] content) {
        for (byte b : content) if (b == 0) return null;
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
