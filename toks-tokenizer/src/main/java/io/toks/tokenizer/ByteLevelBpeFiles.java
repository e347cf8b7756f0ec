package io.toks.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Byte-level BPE tokenizers from their original files. */
public final class ByteLevelBpeFiles {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ByteLevelBpeFiles() {}

    /** OpenAI GPT-2: {@code encoder.json} (token to id) and {@code vocab.bpe} (merges, after a version line). */
    public static ByteLevelBpeTokenizer gpt2(Path encoderJson, Path vocabBpe) throws IOException {
        JsonNode encoder = JSON.readTree(encoderJson.toFile());
        if (!encoder.isObject()) throw new TokenizerFormatException(encoderJson + ": expected a JSON object of token to id");
        String[] tokens = new String[encoder.size()];
        for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) encoder.properties()::iterator) {
            int id = e.getValue().asInt(-1);
            if (id < 0 || id >= tokens.length) throw new TokenizerFormatException(encoderJson + ": id " + e.getValue() + " of '" + e.getKey() + "' is out of range");
            tokens[id] = e.getKey();
        }
        List<String> merges = new ArrayList<>();
        for (String line : Files.readAllLines(vocabBpe, StandardCharsets.UTF_8)) {
            if (!line.startsWith("#version") && !line.isBlank()) merges.add(line);
        }
        TokenType[] types = new TokenType[tokens.length];
        for (int i = 0; i < types.length; i++) {
            if (tokens[i] == null) throw new TokenizerFormatException(encoderJson + ": no token has id " + i);
            types[i] = tokens[i].equals("<|endoftext|>") ? TokenType.CONTROL : TokenType.NORMAL;
        }
        int eot = tokens.length - 1;
        return new ByteLevelBpeTokenizer(tokens, types, merges, PreTokenizer.named("gpt2"), eot, eot);
    }

    /**
     * Llama 3 as exported by llama3-tokenizer-js: one JSON string per line, token n on line n
     * (ids from 128000 are special), and merges in rank order as JSON strings "a b".
     */
    public static ByteLevelBpeTokenizer llama3(Path vocabTxt, Path mergesTxt) throws IOException {
        List<String> tokens = jsonLines(vocabTxt);
        List<String> merges = jsonLines(mergesTxt);
        TokenType[] types = new TokenType[tokens.size()];
        for (int i = 0; i < types.length; i++) types[i] = i >= 128000 ? TokenType.CONTROL : TokenType.NORMAL;
        return new ByteLevelBpeTokenizer(tokens.toArray(String[]::new), types, merges, PreTokenizer.named("llama-bpe"),
                128000, 128001);
    }

    /** A file of one JSON string per line (blank lines skipped), as llama3-tokenizer-js exports. */
    public static List<String> jsonLines(Path p) throws IOException {
        List<String> out = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            n++;
            if (line.isEmpty()) continue;
            try {
                out.add(JSON.readValue(line, String.class));
            } catch (IOException e) {
                throw new TokenizerFormatException(p + ": line " + n + " is not a JSON string");
            }
        }
        return out;
    }
}
