package io.toks.engine.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.toks.core.ToksException;
import io.toks.engine.gguf.GgufFile;
import io.toks.engine.gguf.GgufReader;
import io.toks.tokenizer.ByteLevelBpeFiles;
import io.toks.tokenizer.TokenizerFileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real tokenizer vocabulary for a synthetic GGUF file, as {@code tokenizer.ggml.*} metadata,
 * so llama.cpp loads the file like a downloaded one. Taken from a tokenizers directory
 * (the project's {@code ../shared/tokenizers}): the Llama 3 vocabulary for 128256 tokens, the
 * Llama 2 SentencePiece vocabulary for 32000, otherwise GPT-2's, truncated (with the merges
 * that still apply) or padded with unused control tokens to the preset's size.
 */
public final class SyntheticVocab {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Metadata plus a note saying which vocabulary was used. */
    public record Vocab(Map<String, Object> metadata, String description) {}

    private SyntheticVocab() {}

    /**
     * The smallest vocabulary a synthetic model may have: GPT-2's 256 byte tokens and the token
     * of its first merge. With fewer, no merge survives the truncation and the file's byte-level
     * BPE tokenizer is unusable (toks and llama.cpp both refuse a gpt2 vocabulary without merges).
     */
    public static final int MIN_VOCAB = 257;

    /** @throws TokenizerFileNotFoundException where the directory holds none of the vocabularies */
    public static Vocab forSize(Path tokenizersDir, int vocabSize) {
        if (vocabSize < MIN_VOCAB) {
            throw new ToksException("a vocabulary of " + vocabSize + " tokens is too small: at least " + MIN_VOCAB
                    + " (GPT-2's 256 byte tokens and one merge)");
        }
        try {
            Path llama3 = tokenizersDir.resolve("llama3/llama3-llama3-tokenizer-js.vocab.txt");
            if (vocabSize == 128256 && Files.isRegularFile(llama3)) return llama3(tokenizersDir);
            Path spm = tokenizersDir.resolve("llamacpp/ggml-vocab-llama-spm.gguf");
            if (vocabSize == 32000 && Files.isRegularFile(spm)) return sentencePiece(spm);
            Path gpt2 = tokenizersDir.resolve("gpt2/encoder.json");
            if (Files.isRegularFile(gpt2)) return gpt2(tokenizersDir, vocabSize);
        } catch (IOException e) {
            throw new ToksException("cannot read vocabulary from " + tokenizersDir + ": " + e.getMessage(), e);
        }
        throw new TokenizerFileNotFoundException("no vocabulary files under " + tokenizersDir + " (expected llama3/, llamacpp/ or gpt2/)");
    }

    private static Vocab llama3(Path dir) throws IOException {
        List<Object> tokens = new ArrayList<>(ByteLevelBpeFiles.jsonLines(dir.resolve("llama3/llama3-llama3-tokenizer-js.vocab.txt")));
        List<Object> merges = new ArrayList<>(ByteLevelBpeFiles.jsonLines(dir.resolve("llama3/llama3-llama3-tokenizer-js.merges.txt")));
        List<Object> types = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) types.add(i >= 128000 ? 3 : 1);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", "gpt2");
        m.put("tokenizer.ggml.pre", "llama-bpe");
        m.put("tokenizer.ggml.tokens", tokens);
        m.put("tokenizer.ggml.token_type", types);
        m.put("tokenizer.ggml.merges", merges);
        m.put("tokenizer.ggml.bos_token_id", 128000L);
        m.put("tokenizer.ggml.eos_token_id", 128001L);
        m.put("tokenizer.ggml.add_bos_token", true);
        return new Vocab(m, "Llama 3 (128256 tokens)");
    }

    private static Vocab sentencePiece(Path gguf) throws IOException {
        GgufFile f = GgufReader.read(gguf);
        Map<String, Object> m = new LinkedHashMap<>();
        f.metadata().forEach((k, v) -> { if (k.startsWith("tokenizer.")) m.put(k, v); });
        return new Vocab(m, "Llama 2 SentencePiece (32000 tokens)");
    }

    private static Vocab gpt2(Path dir, int vocabSize) throws IOException {
        JsonNode encoder = JSON.readTree(dir.resolve("gpt2/encoder.json").toFile());
        int n = encoder.size();
        String[] byId = new String[n];
        Map<String, Integer> ids = new HashMap<>();
        encoder.properties().forEach(e -> {
            byId[e.getValue().asInt()] = e.getKey();
            ids.put(e.getKey(), e.getValue().asInt());
        });
        List<Object> tokens = new ArrayList<>();
        List<Object> types = new ArrayList<>();
        for (int i = 0; i < vocabSize; i++) {
            tokens.add(i < n ? byId[i] : "<|extra_" + (i - n) + "|>");
            types.add(i < n && i != 50256 ? 1 : 3);
        }
        List<Object> merges = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("gpt2/vocab.bpe"), StandardCharsets.UTF_8)) {
            if (line.startsWith("#version") || line.isBlank()) continue;
            String[] parts = line.split(" ");
            Integer a = ids.get(parts[0]), b = ids.get(parts[1]), ab = ids.get(parts[0] + parts[1]);
            if (a != null && b != null && ab != null && a < vocabSize && b < vocabSize && ab < vocabSize) merges.add(line);
        }
        int special = Math.min(50256, vocabSize - 1);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", "gpt2");
        m.put("tokenizer.ggml.pre", "gpt-2"); // llama.cpp's name; it refuses "gpt2"
        m.put("tokenizer.ggml.tokens", tokens);
        m.put("tokenizer.ggml.token_type", types);
        m.put("tokenizer.ggml.merges", merges);
        m.put("tokenizer.ggml.bos_token_id", (long) special);
        m.put("tokenizer.ggml.eos_token_id", (long) special);
        String how = vocabSize == n ? "" : vocabSize < n ? ", truncated to " + vocabSize : ", padded to " + vocabSize;
        return new Vocab(m, "GPT-2 (" + n + " tokens" + how + "; the real model's vocabulary is not available offline)");
    }
}
