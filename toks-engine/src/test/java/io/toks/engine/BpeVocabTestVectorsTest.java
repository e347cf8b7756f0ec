package io.toks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.engine.gguf.GgufReader;
import io.toks.tokenizer.ByteLevelBpeFiles;
import io.toks.tokenizer.HuggingFaceTokenizerFile;
import io.toks.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * llama.cpp's tokenizer test vectors for byte-level BPE and WordPiece vocabularies: the vocab-only
 * GGUF files (gpt-2, deepseek-coder, bert-bge) and Llama 3's ({@code llama-bpe}) through the vocab and merges files in
 * ../shared/tokenizers/llama3. Each case encodes (without BOS) to the ids of its line and decodes
 * back to the input.
 */
class BpeVocabTestVectorsTest {

    private static final Map<String, Tokenizer> CACHE = new ConcurrentHashMap<>();

    static Tokenizer tokenizer(String vocab) {
        return CACHE.computeIfAbsent(vocab, v -> {
            try {
                if (v.equals("llama-bpe")) {
                    return ByteLevelBpeFiles.llama3(SharedData.path("tokenizers/llama3/llama3-llama3-tokenizer-js.vocab.txt"),
                            SharedData.path("tokenizers/llama3/llama3-llama3-tokenizer-js.merges.txt"));
                }
                if (v.endsWith("-tokenizer.json")) {
                    Path dir = Files.createTempDirectory("toks-hf");
                    Path file = switch (v) {
                        case "gpt2-tokenizer.json" -> HuggingFaceTokenizerFixtures.gpt2(dir);
                        case "llama3-tokenizer.json" -> HuggingFaceTokenizerFixtures.llama3(dir);
                        default -> HuggingFaceTokenizerFixtures.bert(dir);
                    };
                    try {
                        return HuggingFaceTokenizerFile.read(file);
                    } finally {
                        Files.delete(file);
                        Files.delete(dir);
                    }
                }
                if (v.equals("gpt2-files")) {
                    return ByteLevelBpeFiles.gpt2(SharedData.path("tokenizers/gpt2/encoder.json"), SharedData.path("tokenizers/gpt2/vocab.bpe"));
                }
                return GgufModelLoader.tokenizer(GgufReader.read(SharedData.path("tokenizers/llamacpp/ggml-vocab-" + v + ".gguf")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> all = new ArrayList<>();
        for (String[] pair : new String[][] {{"gpt-2", "gpt-2"}, {"gpt2-files", "gpt-2"}, {"deepseek-coder", "deepseek-coder"},
                {"llama-bpe", "llama-bpe"}, {"bert-bge", "bert-bge"},
                {"falcon", "falcon"}, {"mpt", "mpt"}, {"refact", "refact"}, {"starcoder", "starcoder"}, {"deepseek-llm", "deepseek-llm"},
                {"gpt2-tokenizer.json", "gpt-2"}, {"llama3-tokenizer.json", "llama-bpe"}, {"bert-tokenizer.json", "bert-bge"}}) {
            all.addAll(LlamaCppVocabVectors.cases(pair[0], pair[1]));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} case {1}")
    @MethodSource("cases")
    void encodesLikeLlamaCpp(String vocab, int index, String input, String expectedIds) {
        Tokenizer t = tokenizer(vocab);
        int[] expected = LlamaCppVocabVectors.ids(expectedIds);
        int[] ids = t.encode(input, false, false);
        assertThat(ids).as("encode %s", input).containsExactly(expected);
        if (!vocab.startsWith("bert")) assertThat(t.decode(ids)).isEqualTo(input); // WordPiece is lossy (case, accents)
    }

    @Test
    void gpt2FromOpenAiFilesEqualsTheGgufVocabulary() {
        String text = "Hello world! It's 2026, and   tokens/s matter: 123456 naïve café 🦙\n\ttabs";
        assertThat(tokenizer("gpt2-files").encode(text, false, false)).containsExactly(tokenizer("gpt-2").encode(text, false, false));
    }

    @Test
    void llama3TestVectorsFromLlama3TokenizerJs() throws IOException {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var cases = mapper.readTree(SharedData.path("tokenizers/llama3/llama3-llama3-tokenizer-js.testvectors.json").toFile());
        var t = (io.toks.tokenizer.ByteLevelBpeTokenizer) tokenizer("llama-bpe");
        int checked = 0;
        for (var c : cases) {
            int[] ids = new int[c.get("ids").size()];
            for (int i = 0; i < ids.length; i++) ids[i] = c.get("ids").get(i).asInt();
            if (c.get("op").asText().equals("encode")) {
                // Absent options mean llama3-tokenizer-js's defaults: add BOS and EOS.
                var o = c.get("options").path(0);
                boolean bos = o.path("bos").asBoolean(true), eos = o.path("eos").asBoolean(true);
                // llama3-tokenizer-js parses special tokens written in the text.
                assertThat(t.encode(c.get("input").asText(), bos, eos, true)).as(c.get("input").asText()).containsExactly(ids);
            } else {
                // llama3-tokenizer-js decodes special tokens to their text; toks' decode drops them, piece() keeps them.
                var bytes = new java.io.ByteArrayOutputStream();
                for (int id : ids) bytes.writeBytes(id >= 128000 ? t.piece(id).getBytes(StandardCharsets.UTF_8) : t.decode(-1, id));
                assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(c.get("output").asText());
            }
            checked++;
        }
        assertThat(checked).isEqualTo(42);
    }
}
