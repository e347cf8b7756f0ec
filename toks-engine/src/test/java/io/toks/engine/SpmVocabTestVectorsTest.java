package io.toks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.engine.gguf.GgufReader;
import io.toks.tokenizer.Tokenizer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * llama.cpp's tokenizer test vectors for SentencePiece vocabularies (../shared/tokenizers/llamacpp),
 * from the GGUF files and from a tokenizer.json written from llama-spm's vocabulary: each case of
 * the .inp file must encode (without BOS) to the ids of the same line of .out, and decode back to
 * the input.
 */
class SpmVocabTestVectorsTest {

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> all = new ArrayList<>(LlamaCppVocabVectors.cases("llama-spm", "llama-spm"));
        all.addAll(LlamaCppVocabVectors.cases("phi-3", "phi-3"));
        all.addAll(LlamaCppVocabVectors.cases("llama-spm-tokenizer.json", "llama-spm"));
        return all.stream();
    }

    private static final java.util.Map<String, Tokenizer> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    static Tokenizer tokenizer(String vocab) {
        return CACHE.computeIfAbsent(vocab, v -> {
            try {
                if (v.equals("llama-spm-tokenizer.json")) {
                    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("toks-hf");
                    java.nio.file.Path file = HuggingFaceTokenizerFixtures.llamaSpm(dir);
                    try {
                        return io.toks.tokenizer.HuggingFaceTokenizerFile.read(file);
                    } finally {
                        java.nio.file.Files.delete(file);
                        java.nio.file.Files.delete(dir);
                    }
                }
                return GgufModelLoader.tokenizer(GgufReader.read(SharedData.path("tokenizers/llamacpp/ggml-vocab-" + v + ".gguf")));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @ParameterizedTest(name = "{0} case {1}")
    @MethodSource("cases")
    void encodesLikeLlamaCpp(String vocab, int index, String input, String expectedIds) {
        Tokenizer t = tokenizer(vocab);
        int[] expected = LlamaCppVocabVectors.ids(expectedIds);
        int[] ids = t.encode(input, false, false);
        assertThat(ids).as("encode %s", input).containsExactly(expected);
        // decode() treats the sequence as following BOS, so the dummy-prefix space is dropped.
        assertThat(t.decode(ids)).isEqualTo(input);
    }
}
