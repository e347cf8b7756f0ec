package io.toks.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.toks.engine.gguf.GgufReader;
import io.toks.tokenizer.ByteLevelBpeFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Hugging Face {@code tokenizer.json} files, written in the published format from the original
 * vocabularies in ../shared/tokenizers (no tokenizer.json is stored there): GPT-2 from OpenAI's
 * encoder.json and vocab.bpe, Llama 3 from its vocab and merges (with the Split regex and
 * ignore_merges its tokenizer.json carries), BERT from the bge vocabulary, and Llama 2's
 * SentencePiece-style file from llama.cpp's llama-spm vocabulary (pieces, scores and types).
 */
final class HuggingFaceTokenizerFixtures {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The pre-tokenizer regex Llama 3's tokenizer.json states. */
    static final String LLAMA3_SPLIT = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private HuggingFaceTokenizerFixtures() {}

    static Path gpt2(Path dir) throws IOException {
        ObjectNode root = JSON.createObjectNode().put("version", "1.0");
        JsonNode encoder = JSON.readTree(SharedData.path("tokenizers/gpt2/encoder.json").toFile());
        ArrayNode added = root.putArray("added_tokens");
        added.addObject().put("id", 50256).put("content", "<|endoftext|>").put("special", true);
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true).put("use_regex", true);
        root.putObject("post_processor").put("type", "ByteLevel");
        ObjectNode model = root.putObject("model").put("type", "BPE");
        ObjectNode vocab = model.putObject("vocab");
        encoder.properties().forEach(e -> { if (!e.getKey().equals("<|endoftext|>")) vocab.set(e.getKey(), e.getValue()); });
        ArrayNode merges = model.putArray("merges");
        for (String line : Files.readAllLines(SharedData.path("tokenizers/gpt2/vocab.bpe"), StandardCharsets.UTF_8)) {
            if (!line.startsWith("#version") && !line.isBlank()) merges.add(line); // the older "a b" string form
        }
        return write(dir.resolve("gpt2-tokenizer.json"), root);
    }

    static Path llama3(Path dir) throws IOException {
        List<String> tokens = ByteLevelBpeFiles.jsonLines(SharedData.path("tokenizers/llama3/llama3-llama3-tokenizer-js.vocab.txt"));
        List<String> mergeLines = ByteLevelBpeFiles.jsonLines(SharedData.path("tokenizers/llama3/llama3-llama3-tokenizer-js.merges.txt"));
        ObjectNode root = JSON.createObjectNode().put("version", "1.0");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 128000; id < tokens.size(); id++) added.addObject().put("id", id).put("content", tokens.get(id)).put("special", true);
        ArrayNode pres = root.putObject("pre_tokenizer").put("type", "Sequence").putArray("pretokenizers");
        pres.addObject().put("type", "Split").put("behavior", "Isolated").put("invert", false).putObject("pattern").put("Regex", LLAMA3_SPLIT);
        pres.addObject().put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true).put("use_regex", false);
        ObjectNode template = root.putObject("post_processor").put("type", "TemplateProcessing");
        ArrayNode single = template.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "<|begin_of_text|>").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ObjectNode model = root.putObject("model").put("type", "BPE").put("ignore_merges", true).put("byte_fallback", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < 128000; id++) vocab.put(tokens.get(id), id);
        ArrayNode merges = model.putArray("merges");
        for (String m : mergeLines) { // the newer [left, right] pair form
            int space = m.indexOf(' ', 1);
            merges.addArray().add(m.substring(0, space)).add(m.substring(space + 1));
        }
        return write(dir.resolve("llama3-tokenizer.json"), root);
    }

    static Path bert(Path dir) throws IOException {
        List<?> tokens = GgufReader.read(SharedData.path("tokenizers/llamacpp/ggml-vocab-bert-bge.gguf")).array("tokenizer.ggml.tokens");
        ObjectNode root = JSON.createObjectNode().put("version", "1.0");
        root.putObject("normalizer").put("type", "BertNormalizer").put("clean_text", true).put("handle_chinese_chars", true)
                .putNull("strip_accents").put("lowercase", true);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        ObjectNode post = root.putObject("post_processor").put("type", "BertProcessing");
        post.putArray("sep").add("[SEP]").add(102);
        post.putArray("cls").add("[CLS]").add(101);
        ObjectNode model = root.putObject("model").put("type", "WordPiece").put("unk_token", "[UNK]")
                .put("continuing_subword_prefix", "##").put("max_input_chars_per_word", 100);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < tokens.size(); id++) vocab.put((String) tokens.get(id), id);
        return write(dir.resolve("bert-tokenizer.json"), root);
    }

    /**
     * Llama 2's tokenizer.json as Hugging Face's converter writes it from a SentencePiece model:
     * the normalizer prepends U+2581 and writes spaces as U+2581, no pre-tokenizer, byte
     * fallback, and a merge for every way to split a piece into two pieces, ordered by the
     * merged piece's score (highest first).
     */
    static Path llamaSpm(Path dir) throws IOException {
        var gguf = GgufReader.read(SharedData.path("tokenizers/llamacpp/ggml-vocab-llama-spm.gguf"));
        List<?> tokens = gguf.array("tokenizer.ggml.tokens");
        List<?> scores = gguf.array("tokenizer.ggml.scores");
        List<?> types = gguf.array("tokenizer.ggml.token_type");
        java.util.Map<String, Integer> normal = new java.util.HashMap<>();
        for (int id = 0; id < tokens.size(); id++) if (((Number) types.get(id)).intValue() == 1) normal.put((String) tokens.get(id), id);
        record Merge(String left, String right, float score, int leftId, int rightId) {}
        List<Merge> merges = new java.util.ArrayList<>();
        for (var e : normal.entrySet()) {
            String piece = e.getKey();
            float score = ((Number) scores.get(e.getValue())).floatValue();
            for (int k = piece.offsetByCodePoints(0, 1); k < piece.length(); k = piece.offsetByCodePoints(k, 1)) {
                Integer l = normal.get(piece.substring(0, k)), r = normal.get(piece.substring(k));
                if (l != null && r != null) merges.add(new Merge(piece.substring(0, k), piece.substring(k), score, l, r));
            }
        }
        merges.sort(java.util.Comparator.comparing((Merge m) -> -m.score()).thenComparingInt(Merge::leftId).thenComparingInt(Merge::rightId));
        ObjectNode root = JSON.createObjectNode().put("version", "1.0");
        ArrayNode added = root.putArray("added_tokens");
        for (int id = 0; id < tokens.size(); id++) {
            int type = ((Number) types.get(id)).intValue();
            if (type == 2 || type == 3) added.addObject().put("id", id).put("content", (String) tokens.get(id)).put("special", true);
        }
        ArrayNode norms = root.putObject("normalizer").put("type", "Sequence").putArray("normalizers");
        norms.addObject().put("type", "Prepend").put("prepend", "\u2581");
        ObjectNode replace = norms.addObject().put("type", "Replace").put("content", "\u2581");
        replace.putObject("pattern").put("String", " ");
        root.putNull("pre_tokenizer");
        ObjectNode template = root.putObject("post_processor").put("type", "TemplateProcessing");
        ArrayNode single = template.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", "<s>").put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ObjectNode model = root.putObject("model").put("type", "BPE").put("unk_token", "<unk>").put("fuse_unk", true)
                .put("byte_fallback", true);
        ObjectNode vocab = model.putObject("vocab");
        for (int id = 0; id < tokens.size(); id++) vocab.put((String) tokens.get(id), id);
        ArrayNode mergeArray = model.putArray("merges");
        for (Merge m : merges) mergeArray.add(m.left() + " " + m.right());
        return write(dir.resolve("llama-spm-tokenizer.json"), root);
    }

    private static Path write(Path file, ObjectNode root) throws IOException {
        Files.writeString(file, root.toString(), StandardCharsets.UTF_8);
        return file;
    }
}
