package io.toks.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.engine.gguf.GgufReader;
import io.toks.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every vocabulary in ../shared/tokenizers/llamacpp on texts in 30 scripts and edge cases
 * (Hangul, Devanagari, Bengali, Tamil, Thai, Arabic, Hebrew with points, CJK, kana, half- and
 * full-width forms, Cyrillic, Greek, Vietnamese, combining marks, ligatures, emoji sequences,
 * Georgian, Armenian, Ethiopic, Canadian syllabics, zalgo, Turkish dotted I, ...), beyond the
 * cases of llama.cpp's own test vectors. golden/multiscript/NAME.out holds the ids that
 * llama.cpp's {@code llama-tokenize} (d32676d77, built outside this repository) printed for each
 * case of multiscript.inp, one case per file: {@code llama-tokenize -m NAME.gguf -f CASE --ids
 * --no-bos --no-parse-special --override-kv tokenizer.ggml.add_eos_token=bool:false}.
 */
class MultiScriptTokenizationTest {

    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";
    private static final List<String> VOCABULARIES = List.of("bert-bge", "deepseek-coder", "deepseek-llm", "falcon", "gpt-2",
            "llama-spm", "mpt", "phi-3", "refact", "starcoder");
    private static final Map<String, Tokenizer> CACHE = new ConcurrentHashMap<>();

    static Stream<Arguments> cases() throws IOException {
        List<String> inputs = new ArrayList<>(Arrays.asList(resource("multiscript.inp").split(SEPARATOR, -1)));
        if (inputs.getLast().isEmpty()) inputs.removeLast();
        List<Arguments> all = new ArrayList<>();
        for (String vocab : VOCABULARIES) {
            String[] outs = resource("ggml-vocab-" + vocab + ".out").split("\n", -1);
            assertThat(outs.length).as("lines of %s.out", vocab).isGreaterThanOrEqualTo(inputs.size());
            for (int i = 0; i < inputs.size(); i++) all.add(Arguments.of(vocab, i, inputs.get(i), outs[i]));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} case {1}")
    @MethodSource("cases")
    void encodesLikeLlamaCpp(String vocab, int index, String input, String expectedIds) {
        Tokenizer t = CACHE.computeIfAbsent(vocab, v -> {
            try {
                return GgufModelLoader.tokenizer(GgufReader.read(SharedData.path("tokenizers/llamacpp/ggml-vocab-" + v + ".gguf")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        int[] ids = t.encode(input, false, false);
        assertThat(ids).as("encode %s", input).containsExactly(LlamaCppVocabVectors.ids(expectedIds));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = MultiScriptTokenizationTest.class.getResourceAsStream("/golden/multiscript/" + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
