package io.toks.train.checkpoint;

import io.toks.core.ToksException;
import io.toks.tokenizer.ByteLevelBpeTokenizer;
import io.toks.tokenizer.SentencePieceBpeTokenizer;
import io.toks.tokenizer.TokenType;
import io.toks.tokenizer.Tokenizer;
import io.toks.tokenizer.Vocabulary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tokenizer as GGUF {@code tokenizer.ggml.*} metadata, so a trained model file carries the
 * vocabulary it was trained with and llama.cpp and toks both tokenize text for it: SentencePiece
 * BPE vocabularies (llama2.c's tok512, Llama 2's) as the {@code llama} model with scores and
 * U+2581 for a space (as llama.cpp's convert-llama2c-to-ggml writes them), byte-level
 * BPE ones (GPT-2, Llama 3) as {@code gpt2} with merges and the pre-tokenizer's llama.cpp name.
 * Begin-of-sequence is added to texts ({@code add_bos_token}): training opened every document with it.
 */
public final class VocabularyMetadata {

    /** SentencePiece's visible space, U+2581, as GGUF vocabularies write it. */
    static final char SPM_SPACE = '\u2581';

    private VocabularyMetadata() {}

    /** @throws ToksException for a tokenizer GGUF cannot describe (tiktoken encodings, WordPiece, ...) */
    public static Map<String, Object> of(Tokenizer tokenizer) {
        return switch (tokenizer) {
            case SentencePieceBpeTokenizer spm -> sentencePiece(spm.vocabulary());
            case ByteLevelBpeTokenizer bpe -> byteLevel(bpe);
            default -> throw new ToksException("a " + tokenizer.kind() + " tokenizer cannot be written into a GGUF model file; "
                    + "train with a SentencePiece or byte-level BPE vocabulary (tok512, llama-spm, gpt2, llama3, or a .gguf vocabulary)");
        };
    }

    private static Map<String, Object> sentencePiece(Vocabulary v) {
        List<Object> tokens = new ArrayList<>(v.size()), scores = new ArrayList<>(v.size()), types = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            // llama2.c's tokenizer files write a space as ' '; GGUF (and llama.cpp) as SentencePiece's U+2581
            tokens.add(v.types()[i] == TokenType.NORMAL ? v.pieces()[i].replace(' ', SPM_SPACE) : v.pieces()[i]);
            scores.add(v.scores()[i]);
            types.add(v.types()[i].code());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", "llama");
        m.put("tokenizer.ggml.tokens", tokens);
        m.put("tokenizer.ggml.scores", scores);
        m.put("tokenizer.ggml.token_type", types);
        m.put("tokenizer.ggml.bos_token_id", (long) v.bos());
        m.put("tokenizer.ggml.eos_token_id", (long) v.eos());
        if (v.unk() >= 0) m.put("tokenizer.ggml.unknown_token_id", (long) v.unk());
        m.put("tokenizer.ggml.add_bos_token", true);
        m.put("tokenizer.ggml.add_space_prefix", v.addSpacePrefix());
        return m;
    }

    private static Map<String, Object> byteLevel(ByteLevelBpeTokenizer t) {
        List<Object> types = new ArrayList<>();
        for (TokenType type : t.types()) types.add(type.code());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", "gpt2");
        m.put("tokenizer.ggml.pre", llamaCppPreName(t.preTokenizer().name()));
        m.put("tokenizer.ggml.tokens", new ArrayList<Object>(t.tokens()));
        m.put("tokenizer.ggml.token_type", types);
        m.put("tokenizer.ggml.merges", new ArrayList<Object>(t.merges()));
        m.put("tokenizer.ggml.bos_token_id", (long) t.bosId());
        m.put("tokenizer.ggml.eos_token_id", (long) t.eosId());
        m.put("tokenizer.ggml.add_bos_token", true);
        return m;
    }

    /** llama.cpp refuses toks' short names for two pre-tokenizers. */
    private static String llamaCppPreName(String name) {
        return switch (name) {
            case "gpt2" -> "gpt-2";
            case "llama3" -> "llama-bpe";
            default -> name;
        };
    }
}
