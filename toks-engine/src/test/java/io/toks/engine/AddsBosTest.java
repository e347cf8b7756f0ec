package io.toks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.engine.gguf.GgufFile;
import io.toks.engine.gguf.GgufReader;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Whether a model's texts start with BOS, as llama.cpp decides it from the file (perplexity follows it). */
class AddsBosTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "llama-spm, true",   // says add_bos_token = true
            "gpt-2, false",      // silent: byte-level BPE starts without BOS
            "bert-bge, true"})   // silent: WordPiece starts with its CLS
    void theFileSaysOrTheTokenizerKindDecides(String vocab, boolean expected) throws IOException {
        GgufFile gguf = GgufReader.read(SharedData.path("tokenizers/llamacpp/ggml-vocab-" + vocab + ".gguf"));
        assertThat(GgufModelLoader.addsBos(gguf)).isEqualTo(expected);
    }

    @Test
    void aFileThatSaysNoIsBelieved() throws IOException {
        GgufFile original = GgufReader.read(SharedData.path("tokenizers/llamacpp/ggml-vocab-llama-spm.gguf"));
        Path edited = dir.resolve("no-bos.gguf");
        GgufReaderTest.writeCopy(original, edited, java.util.Collections.singletonList(new Object[] {"tokenizer.ggml.add_bos_token", false}));
        assertThat(GgufModelLoader.addsBos(GgufReader.read(edited))).isFalse();
        assertThat(ModelLoader.loadEmbedded().info().addsBos()).isTrue(); // llama2.c checkpoints always do
    }
}
