package io.toks.tokenizer;

import io.toks.core.ToksException;
import io.toks.core.UserCache;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The vocabularies toks offers by name (gpt2, llama3, llama-spm, phi-3, deepseek-coder, bert),
 * shipped inside toks with their licences (NOTICE.md beside them), so a named tokenizer works
 * from any clone or jar. The readers take files (GGUF vocabularies are memory-mapped), so the
 * first use copies them out of the jar into a cache directory, once; later runs find them there.
 */
public final class BundledVocabularies {

    private static final String RESOURCES = "/io/toks/tokenizer/vocabularies/";
    /** Every file shipped; the layout is {@link TokenizerRegistry}'s vocabulary directory's. */
    static final List<String> FILES = List.of("NOTICE.md", "gpt2/encoder.json", "gpt2/vocab.bpe", "gpt2/LICENSE",
            "llama3/llama3-llama3-tokenizer-js.vocab.txt", "llama3/llama3-llama3-tokenizer-js.merges.txt",
            "llamacpp/ggml-vocab-llama-spm.gguf", "llamacpp/ggml-vocab-phi-3.gguf", "llamacpp/ggml-vocab-deepseek-coder.gguf",
            "llamacpp/ggml-vocab-bert-bge.gguf", "llamacpp/LICENSE.llama.cpp");
    /** Raise when a shipped file changes, so caches of the old one are not used. */
    private static final String VERSION = "1";

    private BundledVocabularies() {}

    /**
     * The directory holding the shipped vocabularies: {@code $XDG_CACHE_HOME/toks} or
     * {@code ~/.cache/toks} (the system's temporary directory where neither is writable),
     * filled from the jar on first use.
     */
    public static synchronized Path directory() {
        Path dir = UserCache.root().resolve("vocabularies-" + VERSION);
        Path complete = dir.resolve(".complete");
        if (Files.isRegularFile(complete)) return dir;
        try {
            for (String name : FILES) extract(name, dir.resolve(name));
            Files.writeString(complete, VERSION); // written last: its presence says every file is whole
        } catch (IOException e) {
            throw new ToksException("cannot unpack the bundled vocabularies into " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    /** Copies one file out of the jar, atomically: a crash or a second process never sees half a file. */
    private static void extract(String name, Path target) throws IOException {
        try (InputStream in = BundledVocabularies.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) throw new IOException("the jar lacks " + name);
            UserCache.store(target, in.readAllBytes());
        }
    }
}
