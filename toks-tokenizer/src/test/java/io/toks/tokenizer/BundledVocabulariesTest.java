package io.toks.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The vocabularies toks ships are the reference files, byte for byte, and the names load from them alone. */
class BundledVocabulariesTest {

    static Path shared(String relative) {
        return SharedData.locate(Path.of(System.getProperty("toks.root", ".")).toAbsolutePath()).resolve("tokenizers").resolve(relative);
    }

    @Test
    void shippedFilesAreTheReferenceFilesUnchanged() throws IOException {
        Path dir = BundledVocabularies.directory();
        for (String name : BundledVocabularies.FILES) {
            assertThat(dir.resolve(name)).as(name).isRegularFile();
            Path reference = shared(name);
            if (Files.exists(reference)) assertThat(Files.mismatch(dir.resolve(name), reference)).as(name).isEqualTo(-1L);
        }
        assertThat(Files.readString(dir.resolve("NOTICE.md"))).contains("Meta Llama 3 Community License", "gpt2/LICENSE");
        assertThat(BundledVocabularies.directory()).isEqualTo(dir); // the second use finds the first one's copy
    }

    @Test
    void theByteLevelNamesLoadFromTheShippedFilesAlone() {
        var registry = new TokenizerRegistry(BundledVocabularies.directory(), file -> {
            throw new IOException("no GGUF reader in this module");
        });
        assertThat(registry.load("gpt2").encode("Hello world", false, false)).containsExactly(15496, 995);
        assertThat(registry.load("llama3").encode("Hello world", false, false)).containsExactly(9906, 1917);
    }
}
