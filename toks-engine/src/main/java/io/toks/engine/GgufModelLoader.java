package io.toks.engine;

import io.toks.engine.format.ModelFormatException;
import io.toks.engine.format.UnsupportedModelException;
import io.toks.engine.gguf.GgufFile;
import io.toks.engine.gguf.GgufTensorInfo;
import io.toks.engine.model.LlamaConfig;
import io.toks.engine.model.LlamaWeights;
import io.toks.engine.model.RopeStyle;
import io.toks.engine.tensor.GgmlType;
import io.toks.engine.tensor.Matrices;
import io.toks.engine.tensor.FloatMatrix;
import io.toks.tokenizer.ByteLevelBpeTokenizer;
import io.toks.tokenizer.IdOnlyTokenizer;
import io.toks.tokenizer.PreTokenizer;
import io.toks.tokenizer.SentencePieceBpeTokenizer;
import io.toks.tokenizer.TokenType;
import io.toks.tokenizer.Tokenizer;
import io.toks.tokenizer.Vocabulary;
import io.toks.tokenizer.WordPieceTokenizer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Builds a Llama model from a parsed GGUF file, with llama.cpp's tensor names
 * ({@code token_embd}, {@code blk.N.attn_q}, ..., {@code output}) and metadata keys
 * ({@code llama.embedding_length}, ...). Checks every tensor's shape against the metadata.
 * The gguf package reads and writes the format; the model is assembled here, for
 * {@link ModelLoader}.
 */
final class GgufModelLoader {

    /** Llama-family architectures and how each rotates positions. */
    private static final java.util.Map<String, RopeStyle> ARCHITECTURES = java.util.Map.of(
            "llama", RopeStyle.ADJACENT_PAIRS, "qwen2", RopeStyle.SPLIT_HALVES);

    private final GgufFile gguf;

    private GgufModelLoader(GgufFile gguf) {
        this.gguf = gguf;
    }

    /**
     * Whether texts start with BOS: the file's {@code tokenizer.ggml.add_bos_token}, else
     * llama.cpp's default for the tokenizer kind (SentencePiece and WordPiece yes, BPE no).
     */
    static boolean addsBos(GgufFile gguf) {
        String kind = gguf.string("tokenizer.ggml.model", "llama");
        return gguf.bool("tokenizer.ggml.add_bos_token", !kind.equals("gpt2"));
    }

    static LlamaConfig config(GgufFile gguf) {
        String arch = gguf.string("general.architecture");
        if (!ARCHITECTURES.containsKey(arch)) {
            throw new UnsupportedModelException(gguf.source() + ": architecture '" + arch + "' is not supported (supported: "
                    + String.join(", ", new java.util.TreeSet<>(ARCHITECTURES.keySet())) + ")");
        }
        int dim = intKey(gguf, arch + ".embedding_length");
        int heads = intKey(gguf, arch + ".attention.head_count");
        GgufTensorInfo embd = gguf.tensor("token_embd.weight");
        int vocab = embd.shape().length > 1 ? (int) embd.shape()[1] : -1;
        return new LlamaConfig(dim, intKey(gguf, arch + ".feed_forward_length"), intKey(gguf, arch + ".block_count"),
                heads, (int) gguf.integer(arch + ".attention.head_count_kv", heads), vocab,
                intKey(gguf, arch + ".context_length"),
                (float) gguf.real(arch + ".attention.layer_norm_rms_epsilon", 1e-5),
                (float) gguf.real(arch + ".rope.freq_base", 10000.0),
                (int) gguf.integer(arch + ".rope.dimension_count", dim / heads),
                ARCHITECTURES.get(arch));
    }

    static LlamaWeights weights(GgufFile gguf, LlamaConfig c) {
        return new GgufModelLoader(gguf).loadWeights(c);
    }

    private LlamaWeights loadWeights(LlamaConfig c) {
        int nl = c.layers(), dim = c.dim(), kv = c.kvDim(), hid = c.hiddenDim();
        FloatMatrix embedding = matrix("token_embd.weight", c.vocabSize(), dim);
        float[][] attNorm = new float[nl][];
        float[][] ffnNorm = new float[nl][];
        FloatMatrix[] wq = new FloatMatrix[nl], wk = new FloatMatrix[nl], wv = new FloatMatrix[nl], wo = new FloatMatrix[nl];
        FloatMatrix[] gate = new FloatMatrix[nl], down = new FloatMatrix[nl], up = new FloatMatrix[nl];
        for (int l = 0; l < nl; l++) {
            String b = "blk." + l + ".";
            attNorm[l] = vector(b + "attn_norm.weight", dim);
            wq[l] = matrix(b + "attn_q.weight", dim, dim);
            wk[l] = matrix(b + "attn_k.weight", kv, dim);
            wv[l] = matrix(b + "attn_v.weight", kv, dim);
            wo[l] = matrix(b + "attn_output.weight", dim, dim);
            ffnNorm[l] = vector(b + "ffn_norm.weight", dim);
            gate[l] = matrix(b + "ffn_gate.weight", hid, dim);
            down[l] = matrix(b + "ffn_down.weight", dim, hid);
            up[l] = matrix(b + "ffn_up.weight", hid, dim);
        }
        float[] finalNorm = vector("output_norm.weight", dim);
        FloatMatrix classifier = gguf.tensors().containsKey("output.weight")
                ? matrix("output.weight", c.vocabSize(), dim) : embedding;
        float[][][] bias = null;
        if (gguf.tensors().containsKey("blk.0.attn_q.bias")) {
            bias = new float[nl][][];
            for (int l = 0; l < nl; l++) {
                String b = "blk." + l + ".";
                bias[l] = new float[][] {vector(b + "attn_q.bias", dim), vector(b + "attn_k.bias", kv), vector(b + "attn_v.bias", kv)};
            }
        }
        float[] ropeFactors = gguf.tensors().containsKey("rope_freqs.weight") ? vector("rope_freqs.weight", c.ropeDims() / 2) : null;
        return new LlamaWeights(embedding, attNorm, wq, wk, wv, wo, ffnNorm, gate, down, up, finalNorm, classifier, bias, ropeFactors);
    }

    private FloatMatrix matrix(String name, int rows, int cols) {
        GgufTensorInfo t = gguf.tensor(name);
        checkShape(t, cols, rows);
        if (!Matrices.SUPPORTED.contains(t.type())) {
            throw new UnsupportedModelException(gguf.source() + ": tensor '" + name + "' has type " + t.type()
                    + ", which this engine cannot run yet (supported: " + Matrices.SUPPORTED + ")");
        }
        return Matrices.of(t.type(), gguf.tensorData(t), rows, cols);
    }

    private float[] vector(String name, int n) {
        GgufTensorInfo t = gguf.tensor(name);
        checkShape(t, n, 1);
        if (t.type() != GgmlType.F32) {
            throw new UnsupportedModelException(gguf.source() + ": norm tensor '" + name + "' has type " + t.type() + "; F32 expected");
        }
        float[] out = new float[n];
        MemorySegment.copy(gguf.tensorData(t), ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, out, 0, n);
        return out;
    }

    private void checkShape(GgufTensorInfo t, long inner, long outer) {
        long[] s = t.shape();
        long actualOuter = 1;
        for (int i = 1; i < s.length; i++) actualOuter *= s[i];
        if (s[0] != inner || actualOuter != outer) {
            throw new ModelFormatException(gguf.source() + ": tensor '" + t.name() + "' has shape "
                    + java.util.Arrays.toString(s) + " but the metadata implies [" + inner + (outer > 1 ? ", " + outer : "") + "]");
        }
    }

    private static int intKey(GgufFile gguf, String key) {
        long v = gguf.integer(key);
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw new ModelFormatException(gguf.source() + ": metadata '" + key + "' = " + v + " is out of range");
        }
        return (int) v;
    }

    /**
     * WordPiece; lower-casing and accent stripping follow tokenizer.ggml.normalizer.*, defaulting
     * to on (BERT uncased), which is what vocabularies converted without those keys expect.
     */
    private static Tokenizer wordPiece(GgufFile gguf) {
        List<?> tokenList = gguf.array("tokenizer.ggml.tokens");
        String[] tokens = tokenList.stream().map(String::valueOf).toArray(String[]::new);
        boolean lowercase = gguf.bool("tokenizer.ggml.normalizer.lowercase", true);
        return new WordPieceTokenizer(tokens, (int) gguf.integer("tokenizer.ggml.unknown_token_id", 100),
                (int) gguf.integer("tokenizer.ggml.cls_token_id", gguf.integer("tokenizer.ggml.bos_token_id", 101)),
                (int) gguf.integer("tokenizer.ggml.seperator_token_id", gguf.integer("tokenizer.ggml.eos_token_id", 102)),
                lowercase, gguf.bool("tokenizer.ggml.normalizer.strip_accents", lowercase), WordPieceTokenizer.Normalization.LLAMA_CPP);
    }

    /** Byte-level BPE from tokens, token types and merges; the pre-tokenizer from tokenizer.ggml.pre. */
    private static Tokenizer byteLevelBpe(GgufFile gguf) {
        List<?> tokenList = gguf.array("tokenizer.ggml.tokens");
        List<?> merges = gguf.array("tokenizer.ggml.merges");
        int n = tokenList.size();
        String[] tokens = new String[n];
        for (int i = 0; i < n; i++) {
            if (!(tokenList.get(i) instanceof String t)) throw new ModelFormatException(gguf.source() + ": tokenizer.ggml.tokens[" + i + "] is not a string");
            tokens[i] = t;
        }
        TokenType[] types = tokenTypes(gguf, n);
        if (merges.isEmpty()) throw new ModelFormatException(gguf.source() + ": tokenizer.ggml.merges is empty; a gpt2 (byte-level BPE) tokenizer needs its merges");
        List<String> mergeStrings = new java.util.ArrayList<>(merges.size());
        for (int i = 0; i < merges.size(); i++) {
            if (!(merges.get(i) instanceof String m) || m.indexOf(' ', 1) < 0) {
                throw new ModelFormatException(gguf.source() + ": tokenizer.ggml.merges[" + i + "] is not a \"left right\" string");
            }
            mergeStrings.add(m);
        }
        String pre = gguf.string("tokenizer.ggml.pre", "default");
        PreTokenizer preTokenizer = PreTokenizer.named(pre);
        List<String> warnings = List.of();
        if (preTokenizer == null) {
            preTokenizer = PreTokenizer.named("gpt2");
            warnings = List.of("unknown pre-tokenizer '" + pre + "' in " + gguf.source()
                    + "; using GPT-2's, so token counts may differ slightly from the model's own tokenizer");
        }
        int bos = specialId(gguf, "tokenizer.ggml.bos_token_id", n - 1, n);
        int eos = specialId(gguf, "tokenizer.ggml.eos_token_id", n - 1, n);
        return new ByteLevelBpeTokenizer(tokens, types, mergeStrings, preTokenizer, bos, eos, warnings);
    }

    /** tokenizer.ggml.token_type as token types (all NORMAL when absent), checked against the vocabulary size. */
    private static TokenType[] tokenTypes(GgufFile gguf, int n) {
        TokenType[] types = new TokenType[n];
        java.util.Arrays.fill(types, TokenType.NORMAL);
        if (!gguf.metadata().containsKey("tokenizer.ggml.token_type")) return types;
        List<?> codes = gguf.array("tokenizer.ggml.token_type");
        if (codes.size() != n) {
            throw new ModelFormatException(gguf.source() + ": tokenizer.ggml.token_type has " + codes.size() + " entries for " + n + " tokens");
        }
        for (int i = 0; i < n; i++) {
            if (!(codes.get(i) instanceof Number code)) throw new ModelFormatException(gguf.source() + ": tokenizer.ggml.token_type[" + i + "] is not a number");
            types[i] = TokenType.ofCode(code.intValue());
        }
        return types;
    }

    private static int specialId(GgufFile gguf, String key, long fallback, int vocabSize) {
        long id = gguf.integer(key, fallback);
        if (id < 0 || id >= vocabSize) {
            throw new ModelFormatException(gguf.source() + ": " + key + " = " + id + " is outside the vocabulary of " + vocabSize + " tokens");
        }
        return (int) id;
    }

    /**
     * The tokenizer described by {@code tokenizer.ggml.*} metadata. Models whose tokenizer toks
     * cannot build yet get an {@link IdOnlyTokenizer}: benchmarks on token ids still run, text
     * in or out is refused with the reason.
     */
    static Tokenizer tokenizer(GgufFile gguf) {
        String model = gguf.string("tokenizer.ggml.model", "none");
        if (model.equals("gpt2")) return byteLevelBpe(gguf);
        if (model.equals("bert")) return wordPiece(gguf);
        if (!model.equals("llama")) {
            int vocab = gguf.metadata().containsKey("tokenizer.ggml.tokens") ? gguf.array("tokenizer.ggml.tokens").size()
                    : (int) gguf.tensor("token_embd.weight").shape()[1];
            return new IdOnlyTokenizer(vocab, (int) gguf.integer("tokenizer.ggml.bos_token_id", 1),
                    (int) gguf.integer("tokenizer.ggml.eos_token_id", 2),
                    "tokenizer model '" + model + "' (tokenizer.ggml.model) of " + gguf.source() + " is not supported yet (supported: llama, gpt2, bert)");
        }
        List<?> tokens = gguf.array("tokenizer.ggml.tokens");
        int n = tokens.size();
        String[] pieces = new String[n];
        float[] scores = new float[n];
        TokenType[] types = new TokenType[n];
        List<?> scoreList = gguf.metadata().containsKey("tokenizer.ggml.scores") ? gguf.array("tokenizer.ggml.scores") : null;
        List<?> typeList = gguf.metadata().containsKey("tokenizer.ggml.token_type") ? gguf.array("tokenizer.ggml.token_type") : null;
        if (scoreList != null && scoreList.size() != n) {
            throw new ModelFormatException(gguf.source() + ": tokenizer.ggml.scores has " + scoreList.size() + " entries for " + n + " tokens");
        }
        if (typeList != null && typeList.size() != n) {
            throw new ModelFormatException(gguf.source() + ": tokenizer.ggml.token_type has " + typeList.size() + " entries for " + n + " tokens");
        }
        for (int i = 0; i < n; i++) {
            if (!(tokens.get(i) instanceof String s)) {
                throw new ModelFormatException(gguf.source() + ": tokenizer.ggml.tokens[" + i + "] is not a string");
            }
            pieces[i] = s;
            scores[i] = scoreList == null ? 0f : ((Number) scoreList.get(i)).floatValue();
            types[i] = typeList == null ? TokenType.NORMAL : TokenType.ofCode(((Number) typeList.get(i)).intValue());
        }
        long unk = gguf.integer("tokenizer.ggml.unknown_token_id", -1);
        var vocab = new Vocabulary(pieces, scores, types,
                (int) gguf.integer("tokenizer.ggml.bos_token_id", 1),
                (int) gguf.integer("tokenizer.ggml.eos_token_id", 2),
                unk >= 0 && unk < n ? (int) unk : -1,
                gguf.bool("tokenizer.ggml.add_space_prefix", true));
        return new SentencePieceBpeTokenizer(vocab);
    }
}
