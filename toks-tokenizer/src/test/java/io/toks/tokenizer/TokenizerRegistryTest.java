package io.toks.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.core.ToksException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizerRegistryTest {

    private static final Path VOCABULARIES = Llama2cTokenizerTest.shared("tokenizers");
    private static final TokenizerRegistry.GgufTokenizerReader NO_GGUF = file -> {
        throw new AssertionError("no GGUF file expected, got " + file);
    };

    @Test
    void namesTiktokenEncodingsAndTheirJTokkitReferences() {
        var registry = new TokenizerRegistry(VOCABULARIES, NO_GGUF);
        assertThat(registry.load("cl100k")).isInstanceOf(TiktokenTokenizer.class);
        assertThat(registry.load("jtokkit:o200k")).isInstanceOf(JTokkitTokenizer.class);
        assertThatThrownBy(() -> registry.load("jtokkit:nope")).isInstanceOf(ToksException.class)
                .hasMessageContaining("unknown JTokkit encoding in 'jtokkit:nope'");
    }

    @Test
    void loadsNamedVocabulariesFromTheDirectory() {
        var registry = new TokenizerRegistry(VOCABULARIES, NO_GGUF);
        Tokenizer gpt2 = registry.load("gpt2");
        assertThat(gpt2.decode(gpt2.encode("Hello world", false, false))).isEqualTo("Hello world");
        List<TokenizerRegistry.Named> named = registry.load(List.of("cl100k", " gpt2"));
        assertThat(named).extracting(TokenizerRegistry.Named::name).containsExactly("cl100k", " gpt2");
    }

    @Test
    void readsGgufVocabulariesWithTheCallersReader() {
        List<Path> read = new ArrayList<>();
        Tokenizer stand = TiktokenTokenizer.named("cl100k");
        var registry = new TokenizerRegistry(VOCABULARIES, file -> {
            read.add(file);
            return stand;
        });
        assertThat(registry.load("llama2")).isSameAs(stand);
        assertThat(registry.load("bert")).isSameAs(stand);
        assertThat(read).containsExactly(VOCABULARIES.resolve("llamacpp/ggml-vocab-llama-spm.gguf"),
                VOCABULARIES.resolve("llamacpp/ggml-vocab-bert-bge.gguf"));
    }

    @Test
    void aMissingVocabularyNamesTheFileAndNoOption(@TempDir Path empty) {
        var registry = new TokenizerRegistry(empty, NO_GGUF);
        assertThatThrownBy(() -> registry.load("llama3")).isInstanceOf(TokenizerFileNotFoundException.class)
                .hasMessage("vocabulary file " + empty.resolve("llama3/llama3-llama3-tokenizer-js.vocab.txt") + " not found");
        assertThatThrownBy(() -> registry.load("nope")).isInstanceOf(ToksException.class)
                .hasMessageStartingWith("unknown tokenizer 'nope' (names: cl100k,").hasMessageContaining("bert");
    }

    /** Any file but .gguf and .json is read as a llama2.c tokenizer; one that is not says so, and what is accepted. */
    @Test
    void aFileThatIsNotALlama2cTokenizerSaysWhatItWasTakenFor(@TempDir Path dir) throws java.io.IOException {
        var registry = new TokenizerRegistry(VOCABULARIES, NO_GGUF);
        Path text = java.nio.file.Files.writeString(dir.resolve("notes.txt"), "just some text\n");
        assertThatThrownBy(() -> registry.load(text.toString())).isInstanceOf(TokenizerFormatException.class)
                .hasMessageStartingWith(text + ": read as a llama2.c tokenizer (tok*.bin), as any file not named .gguf or .json is, and not one: ")
                .hasMessageContaining("token entries in llama2.c's layout").hasMessageContaining("bert")
                .hasMessageEndingWith("or a .gguf / tokenizer.json / llama2.c tok*.bin file");
        assertThat(registry.load(Llama2cTokenizerTest.shared("models/stories260K/tok512.bin").toString()).vocabularySize()).isEqualTo(512);
    }
}
