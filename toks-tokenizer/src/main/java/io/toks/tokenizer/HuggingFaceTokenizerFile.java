package io.toks.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

/**
 * Tokenizers from a Hugging Face {@code tokenizer.json}: byte-level BPE (GPT-2, Llama 3, Qwen2 and
 * most recent models: a {@code ByteLevel} pre-tokenizer, alone or after {@code Split} regexes),
 * SentencePiece-style BPE (Llama 2, Mistral, TinyLlama: spaces written as U+2581, byte fallback)
 * and WordPiece (BERT). The vocabulary, merges, added tokens and pre-tokenizer regexes are taken
 * from the file as they are; regexes are compiled as Java regular expressions.
 * <p>
 * tokenizer.json does not say which token ends a sequence (that is in tokenizer_config.json): BOS
 * is the first special token of the post-processor's template when there is one, and BOS/EOS
 * otherwise the first added special token with a conventional name ({@code <s>}, {@code </s>},
 * {@code <|begin_of_text|>}, {@code <|end_of_text|>}, {@code <|endoftext|>}).
 */
public final class HuggingFaceTokenizerFile {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> BOS_NAMES = List.of("<|begin_of_text|>", "<s>", "<|endoftext|>", "[CLS]");
    private static final List<String> EOS_NAMES = List.of("<|end_of_text|>", "</s>", "<|endoftext|>", "<|im_end|>", "[SEP]");

    private HuggingFaceTokenizerFile() {}

    public static Tokenizer read(Path file) throws IOException {
        return read(Files.readAllBytes(file), file);
    }

    /** The tokenizer in {@code json}; {@code file} only names it in messages. */
    static Tokenizer read(byte[] json, Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new TokenizerFormatException(file + " is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !root.path("model").isObject()) {
            throw new TokenizerFormatException(file + ": not a tokenizer.json (no \"model\" object)");
        }
        String type = root.path("model").path("type").asText("");
        if (type.isEmpty() && root.path("model").has("merges")) type = "BPE"; // older files leave the type out
        return switch (type) {
            case "BPE" -> bpe(root, file);
            case "WordPiece" -> wordPiece(root, file);
            default -> throw new TokenizerFormatException(file + ": model type '" + type + "' is not supported (BPE or WordPiece)");
        };
    }

    private static Tokenizer bpe(JsonNode root, Path file) {
        JsonNode model = root.get("model");
        List<String> expressions = new ArrayList<>();
        if (!byteLevel(root.path("pre_tokenizer"), expressions, file)) {
            if (sentencePieceStyle(root)) return sentencePieceBpe(root, file);
            throw new TokenizerFormatException(file + ": BPE without a ByteLevel pre-tokenizer and without SentencePiece-style "
                    + "spaces (U+2581) and byte fallback is not supported");
        }
        String[] tokens = vocabulary(model.path("vocab"), root.path("added_tokens"), file);
        TokenType[] types = new TokenType[tokens.length];
        java.util.Arrays.fill(types, TokenType.NORMAL);
        for (JsonNode t : root.path("added_tokens")) {
            int id = t.path("id").asInt();
            types[id] = t.path("special").asBoolean(false) ? TokenType.CONTROL : TokenType.USER_DEFINED;
        }
        List<String> merges = new ArrayList<>();
        for (String[] m : merges(model, file)) merges.add(m[0] + " " + m[1]);
        PreTokenizer pre;
        try {
            pre = PreTokenizer.of("tokenizer.json", expressions, model.path("ignore_merges").asBoolean(false));
        } catch (PatternSyntaxException e) {
            throw new TokenizerFormatException(file + ": a pre-tokenizer regex is not supported: " + e.getDescription());
        }
        Map<String, Integer> ids = ids(tokens);
        int bos = specialId(root, ids, BOS_NAMES, true);
        int eos = specialId(root, ids, EOS_NAMES, false);
        return new ByteLevelBpeTokenizer(tokens, types, merges, pre, bos, eos);
    }

    /** The merges in rank order as [left, right], from either form: "a b" strings or [a, b] pairs. */
    private static List<String[]> merges(JsonNode model, Path file) {
        List<String[]> out = new ArrayList<>();
        for (JsonNode m : model.path("merges")) {
            int space = m.isTextual() ? m.asText().indexOf(' ', 1) : -1;
            if (space > 0) out.add(new String[] {m.asText().substring(0, space), m.asText().substring(space + 1)});
            else if (m.isArray() && m.size() == 2) out.add(new String[] {m.get(0).asText(), m.get(1).asText()});
            else throw new TokenizerFormatException(file + ": a merge is neither \"a b\" nor [\"a\", \"b\"]: " + m);
        }
        return out;
    }

    /** Whether a BPE file is SentencePiece-style: byte fallback, or spaces made U+2581 by the normalizer or a Metaspace pre-tokenizer. */
    private static boolean sentencePieceStyle(JsonNode root) {
        if (root.path("model").path("byte_fallback").asBoolean(false)) return true;
        if (root.path("pre_tokenizer").path("type").asText("").equals("Metaspace")) return true;
        return root.path("normalizer").toString().indexOf(SentencePieceBpeTokenizer.SPM_SPACE) >= 0;
    }

    /**
     * SentencePiece-style BPE: the merges' order becomes merge scores (a piece scores minus the
     * rank of the first merge that makes it), so the tokenizer that runs SentencePiece vocabularies
     * from GGUF files runs this one too. Files converted from SentencePiece list a merge for every
     * way to split a piece into two pieces, so taking the highest-scoring piece is taking the
     * lowest-ranked merge. A piece that no merge makes gets the lowest score. Spaces become U+2581;
     * a leading one is added when the normalizer prepends it or Metaspace's prepend_scheme asks.
     */
    private static Tokenizer sentencePieceBpe(JsonNode root, Path file) {
        JsonNode model = root.get("model");
        JsonNode pre = root.path("pre_tokenizer");
        if (pre.path("type").asText("").equals("Metaspace") && pre.path("split").asBoolean(false)) {
            throw new TokenizerFormatException(file + ": Metaspace with split=true is not supported");
        }
        String[] tokens = vocabulary(model.path("vocab"), root.path("added_tokens"), file);
        Map<String, Integer> ids = ids(tokens);
        float[] scores = new float[tokens.length];
        java.util.Arrays.fill(scores, Float.NaN);
        int rank = 0;
        for (String[] m : merges(model, file)) {
            Integer id = ids.get(m[0] + m[1]);
            if (id != null && Float.isNaN(scores[id])) scores[id] = -rank;
            rank++;
        }
        TokenType[] types = new TokenType[tokens.length];
        String unkToken = model.path("unk_token").asText(null);
        boolean byteFallback = model.path("byte_fallback").asBoolean(false);
        for (int i = 0; i < tokens.length; i++) {
            if (Float.isNaN(scores[i])) scores[i] = -Float.MAX_VALUE;
            types[i] = byteFallback && SentencePieceBpeTokenizer.parseByteToken(tokens[i]) >= 0 ? TokenType.BYTE
                    : tokens[i].equals(unkToken) ? TokenType.UNKNOWN : TokenType.NORMAL;
        }
        for (JsonNode t : root.path("added_tokens")) {
            int id = t.path("id").asInt();
            if (types[id] != TokenType.UNKNOWN) types[id] = t.path("special").asBoolean(false) ? TokenType.CONTROL : TokenType.USER_DEFINED;
        }
        int unk = unkToken == null ? -1 : idOf(ids, unkToken, file);
        int bos = specialId(root, ids, BOS_NAMES, true);
        int eos = specialId(root, ids, EOS_NAMES, false);
        if (bos < 0 || eos < 0) throw new TokenizerFormatException(file + ": no begin/end-of-sequence token (<s>, </s>) among the added tokens");
        String normalizer = root.path("normalizer").toString();
        boolean prefix = normalizer.contains("\"Prepend\"")
                || (pre.path("type").asText("").equals("Metaspace")
                    && !pre.path("prepend_scheme").asText(pre.path("add_prefix_space").asBoolean(true) ? "always" : "never").equals("never"));
        return new SentencePieceBpeTokenizer(new Vocabulary(tokens, scores, types, bos, eos, unk, prefix));
    }

    /**
     * Collects the regexes of a pre-tokenizer tree; true if it contains ByteLevel. A ByteLevel with
     * use_regex (the default) adds GPT-2's expression.
     */
    private static boolean byteLevel(JsonNode pre, List<String> expressions, Path file) {
        switch (pre.path("type").asText("")) {
            case "Sequence" -> {
                boolean found = false;
                for (JsonNode p : pre.path("pretokenizers")) found |= byteLevel(p, expressions, file);
                return found;
            }
            case "Split" -> {
                JsonNode pattern = pre.path("pattern");
                String behavior = pre.path("behavior").asText("Isolated");
                if (pre.path("invert").asBoolean(false) || !behavior.equals("Isolated")) {
                    throw new TokenizerFormatException(file + ": Split pre-tokenizer with behavior " + behavior
                            + (pre.path("invert").asBoolean(false) ? " inverted" : "") + " is not supported");
                }
                if (pattern.has("Regex")) expressions.add(pattern.get("Regex").asText());
                else if (pattern.has("String")) expressions.add(java.util.regex.Pattern.quote(pattern.get("String").asText()));
                return false;
            }
            case "Digits" -> {
                expressions.add(pre.path("individual_digits").asBoolean(false) ? "\\p{N}" : "\\p{N}+");
                return false;
            }
            case "ByteLevel" -> {
                if (pre.path("use_regex").asBoolean(true)) expressions.add(PreTokenizer.gpt2Expression());
                if (pre.path("add_prefix_space").asBoolean(false)) {
                    throw new TokenizerFormatException(file + ": ByteLevel add_prefix_space is not supported");
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private static Tokenizer wordPiece(JsonNode root, Path file) {
        JsonNode model = root.get("model");
        if (!model.path("continuing_subword_prefix").asText("##").equals("##")) {
            throw new TokenizerFormatException(file + ": WordPiece continuing_subword_prefix other than ## is not supported");
        }
        String[] tokens = vocabulary(model.path("vocab"), root.path("added_tokens"), file);
        Map<String, Integer> ids = ids(tokens);
        JsonNode norm = root.path("normalizer");
        boolean lowercase = norm.path("lowercase").asBoolean(true);
        // BertNormalizer: strip_accents null means "as lowercase".
        boolean stripAccents = norm.path("strip_accents").isBoolean() ? norm.get("strip_accents").asBoolean() : lowercase;
        int unk = idOf(ids, model.path("unk_token").asText("[UNK]"), file);
        int cls = ids.getOrDefault("[CLS]", unk);
        int sep = ids.getOrDefault("[SEP]", unk);
        JsonNode post = root.path("post_processor");
        if (post.path("cls").isArray()) cls = idOf(ids, post.get("cls").get(0).asText(), file);
        if (post.path("sep").isArray()) sep = idOf(ids, post.get("sep").get(0).asText(), file);
        return new WordPieceTokenizer(tokens, unk, cls, sep, lowercase, stripAccents, WordPieceTokenizer.Normalization.HUGGING_FACE);
    }

    /**
     * Tokens by id from the vocab object and the added tokens. The ids must be exactly 0..n-1 for
     * n distinct ids, checked before the table is made, so that a file naming id 50,000,000 is
     * refused instead of allocating that many entries. Two vocab entries may not share an id; an
     * added token may restate (or, as in Hugging Face's library, replace) a vocab entry's id.
     */
    private static String[] vocabulary(JsonNode vocab, JsonNode added, Path file) {
        if (!vocab.isObject() || vocab.isEmpty()) throw new TokenizerFormatException(file + ": model.vocab must be a non-empty object");
        Map<Integer, String> byId = new HashMap<>();
        int max = -1;
        String maxToken = null;
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) vocab.properties()::iterator) {
            int id = id(e.getValue(), e.getKey(), file);
            String earlier = byId.put(id, e.getKey());
            if (earlier != null) {
                throw new TokenizerFormatException(file + ": tokens '" + earlier + "' and '" + e.getKey() + "' both have id " + id);
            }
            if (id > max) {
                max = id;
                maxToken = e.getKey();
            }
        }
        if (!added.isMissingNode() && !added.isNull() && !added.isArray()) {
            throw new TokenizerFormatException(file + ": added_tokens must be an array");
        }
        for (JsonNode t : added) {
            String content = t.path("content").isTextual() ? t.get("content").asText() : null;
            if (content == null) throw new TokenizerFormatException(file + ": an added token has no content");
            int id = id(t.path("id"), content, file);
            byId.put(id, content);
            if (id > max) {
                max = id;
                maxToken = content;
            }
        }
        if (max >= byId.size()) {
            throw new TokenizerFormatException(file + ": token '" + maxToken + "' has id " + max + " but the file has " + byId.size()
                    + " tokens (ids must be 0.." + (byId.size() - 1) + ")");
        }
        String[] tokens = new String[max + 1];
        byId.forEach((id, token) -> tokens[id] = token);
        return tokens;
    }

    private static int id(JsonNode n, String token, Path file) {
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < 0) {
            throw new TokenizerFormatException(file + ": token '" + token + "' has an invalid id " + n);
        }
        return n.asInt();
    }

    private static Map<String, Integer> ids(String[] tokens) {
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < tokens.length; i++) ids.putIfAbsent(tokens[i], i);
        return ids;
    }

    private static int idOf(Map<String, Integer> ids, String token, Path file) {
        Integer id = ids.get(token);
        if (id == null) throw new TokenizerFormatException(file + ": special token '" + token + "' is not in the vocabulary");
        return id;
    }

    private static int specialId(JsonNode root, Map<String, Integer> ids, List<String> names, boolean bos) {
        if (bos) {
            for (JsonNode piece : root.path("post_processor").path("single")) {
                JsonNode special = piece.get("SpecialToken");
                if (special != null && ids.containsKey(special.path("id").asText())) return ids.get(special.path("id").asText());
            }
        }
        for (String n : names) {
            for (JsonNode t : root.path("added_tokens")) {
                if (t.path("content").asText().equals(n)) return t.path("id").asInt();
            }
        }
        return -1;
    }

}
