package io.toks.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.provider.Arguments;

/**
 * llama.cpp's tokenizer test vectors in ../shared/tokenizers/llamacpp: {@code NAME.gguf.inp}
 * holds the cases, each followed by a separator line; line i of {@code NAME.gguf.out} holds the
 * ids of case i (no BOS).
 */
final class LlamaCppVocabVectors {

    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    private LlamaCppVocabVectors() {}

    /** Arguments (label, case index, input, expected ids line) for every case of the vocabulary's vectors. */
    static List<Arguments> cases(String label, String vocab) throws IOException {
        String base = "tokenizers/llamacpp/ggml-vocab-" + vocab + ".gguf";
        String inp = Files.readString(SharedData.path(base + ".inp"), StandardCharsets.UTF_8);
        List<String> inputs = new ArrayList<>(Arrays.asList(inp.split(SEPARATOR, -1)));
        if (inputs.getLast().isEmpty()) inputs.removeLast();
        List<String> outs = Files.readAllLines(SharedData.path(base + ".out"));
        List<Arguments> all = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) all.add(Arguments.of(label, i, inputs.get(i), outs.get(i)));
        return all;
    }

    /** The ids of one .out line. */
    static int[] ids(String line) {
        return line.isBlank() ? new int[0] : Arrays.stream(line.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }
}
