package io.toks.engine;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.core.ToksException;
import io.toks.engine.gguf.GgufFile;
import io.toks.engine.gguf.GgufReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Vocabulary GGUF files with broken tokenizer metadata: each is refused with a message that names
 * what is wrong, never an index or cast exception.
 */
class BadTokenizerMetadataTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "gpt-2|tokens-not-strings|tokenizer.ggml.tokens",
            "gpt-2|no-merges|merges",
            "gpt-2|types-short|token_type",
            "gpt-2|unknown-model|tokenizer.ggml.model",
            "llama-spm|scores-short|scores",
            "llama-spm|bos-out-of-range|bos",
            "bert-bge|unknown-model|tokenizer.ggml.model"})
    void brokenTokenizerMetadataIsAClearError(String vocab, String breakage, String named) throws IOException {
        GgufFile original = GgufReader.read(SharedData.path("tokenizers/llamacpp/ggml-vocab-" + vocab + ".gguf"));
        int n = original.array("tokenizer.ggml.tokens").size();
        Object[] edit = switch (breakage) {
            case "tokens-not-strings" -> new Object[] {"tokenizer.ggml.tokens", List.of(1, 2, 3)};
            case "no-merges" -> new Object[] {"tokenizer.ggml.merges", List.of()};
            case "types-short" -> new Object[] {"tokenizer.ggml.token_type", List.of(1, 1, 1)};
            case "unknown-model" -> new Object[] {"tokenizer.ggml.model", "mystery"};
            case "scores-short" -> new Object[] {"tokenizer.ggml.scores", List.of(0.5f)};
            case "bos-out-of-range" -> new Object[] {"tokenizer.ggml.bos_token_id", n + 10};
            default -> throw new IllegalArgumentException(breakage);
        };
        Path broken = dir.resolve(breakage + ".gguf");
        GgufReaderTest.writeCopy(original, broken, java.util.Collections.singletonList(edit));
        assertThatThrownBy(() -> {
            var t = GgufModelLoader.tokenizer(GgufReader.read(broken));
            t.encode("Hello world", true, false); // an ids-only fallback reports its reason here
        }).isInstanceOf(ToksException.class).hasMessageContaining(named);
    }
}
