package io.toks.engine.synth;

import io.toks.core.ToksException;
import io.toks.engine.format.ModelFormatException;
import io.toks.engine.gguf.GgufWriter;
import io.toks.engine.model.LlamaConfig;
import io.toks.engine.model.RopeStyle;
import io.toks.engine.tensor.GgmlType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a synthetic model as a GGUF file with llama.cpp's tensor names and metadata keys, so
 * toks and llama.cpp can be measured on the very same file. Tensors are generated one at a
 * time while writing: files larger than memory work.
 */
public final class SyntheticGguf {

    private SyntheticGguf() {}

    /**
     * Refuses a shape the model loader would refuse (with its message), before anything is
     * written: a file toks cannot run is no use.
     */
    public static void check(Preset p) {
        try {
            new LlamaConfig(p.dim(), p.hiddenDim(), p.layers(), p.heads(), p.kvHeads(), p.vocabSize(), p.contextLength(), p.rmsEps(),
                    p.ropeTheta(), p.heads() > 0 ? p.headSize() : 0, RopeStyle.ADJACENT_PAIRS);
        } catch (ModelFormatException e) {
            throw new ToksException("cannot synthesize this shape: " + e.getMessage());
        }
        if (p.vocabSize() < SyntheticVocab.MIN_VOCAB) SyntheticVocab.forSize(Path.of("."), p.vocabSize()); // its message
    }

    /**
     * What the file's tensors take: {@code total} is about the file's size (its metadata, the
     * vocabulary among it, adds a few MB at most); {@code largest} is what one tensor needs in
     * memory, since each is generated whole before it is written.
     */
    public record TensorBytes(long total, long largest) {}

    /** The sizes of the tensors {@link #write} writes for this shape and recipe, each layer's own types counted. */
    public static TensorBytes tensorBytes(Preset p, WeightRecipe recipe) {
        int nl = p.layers(), dim = p.dim(), hid = p.hiddenDim(), kv = p.kvHeads() * p.headSize();
        long[] sizes = {0, 0}; // total, largest
        java.util.function.LongConsumer add = bytes -> {
            sizes[0] += bytes;
            sizes[1] = Math.max(sizes[1], bytes);
        };
        add.accept(recipe.typeOf("token_embd", -1, nl, dim).bytesFor((long) p.vocabSize() * dim));
        add.accept(4L * dim); // output_norm
        if (!p.tiedEmbeddings()) add.accept(recipe.typeOf("output", -1, nl, dim).bytesFor((long) p.vocabSize() * dim));
        for (int l = 0; l < nl; l++) {
            add.accept(2 * 4L * dim + (p.qkvBias() ? 4L * (dim + 2L * kv) : 0)); // norms and biases
            add.accept(recipe.typeOf("attn_q", l, nl, dim).bytesFor((long) dim * dim));
            add.accept(recipe.typeOf("attn_k", l, nl, dim).bytesFor((long) kv * dim));
            add.accept(recipe.typeOf("attn_v", l, nl, dim).bytesFor((long) kv * dim));
            add.accept(recipe.typeOf("attn_output", l, nl, dim).bytesFor((long) dim * dim));
            add.accept(recipe.typeOf("ffn_gate", l, nl, dim).bytesFor((long) hid * dim));
            add.accept(recipe.typeOf("ffn_up", l, nl, dim).bytesFor((long) hid * dim));
            add.accept(recipe.typeOf("ffn_down", l, nl, hid).bytesFor((long) dim * hid));
        }
        return new TensorBytes(sizes[0], sizes[1]);
    }

    /** Writes the file; returns a one-line description of what was written. */
    public static String write(Preset p, WeightRecipe recipe, Path out, Path tokenizersDir, long seed) throws IOException {
        check(p);
        String a = p.architecture();
        SyntheticVocab.Vocab vocab = SyntheticVocab.forSize(tokenizersDir, p.vocabSize());
        var w = new GgufWriter()
                .put("general.architecture", a)
                .put("general.name", p.name() + " synthetic " + recipe.name().toLowerCase(Locale.ROOT))
                .put("general.file_type", (long) fileType(recipe))
                .put("general.quantization_version", 2L)
                .put(a + ".context_length", (long) p.contextLength())
                .put(a + ".embedding_length", (long) p.dim())
                .put(a + ".block_count", (long) p.layers())
                .put(a + ".feed_forward_length", (long) p.hiddenDim())
                .put(a + ".attention.head_count", (long) p.heads())
                .put(a + ".attention.head_count_kv", (long) p.kvHeads())
                .put(a + ".rope.freq_base", p.ropeTheta())
                .put(a + ".rope.dimension_count", (long) p.headSize())
                .put(a + ".attention.layer_norm_rms_epsilon", p.rmsEps())
                .putAll(vocab.metadata());

        long[] seeds = {seed};
        int dim = p.dim(), kv = p.kvHeads() * p.headSize(), hid = p.hiddenDim(), nl = p.layers();
        matrix(w, "token_embd.weight", recipe.typeOf("token_embd", -1, nl, dim), p.vocabSize(), dim, seeds);
        for (int l = 0; l < nl; l++) {
            String b = "blk." + l + ".";
            vector(w, b + "attn_norm.weight", dim, 1f);
            matrix(w, b + "attn_q.weight", recipe.typeOf("attn_q", l, nl, dim), dim, dim, seeds);
            matrix(w, b + "attn_k.weight", recipe.typeOf("attn_k", l, nl, dim), kv, dim, seeds);
            matrix(w, b + "attn_v.weight", recipe.typeOf("attn_v", l, nl, dim), kv, dim, seeds);
            if (p.qkvBias()) {
                vector(w, b + "attn_q.bias", dim, 0f);
                vector(w, b + "attn_k.bias", kv, 0f);
                vector(w, b + "attn_v.bias", kv, 0f);
            }
            matrix(w, b + "attn_output.weight", recipe.typeOf("attn_output", l, nl, dim), dim, dim, seeds);
            vector(w, b + "ffn_norm.weight", dim, 1f);
            matrix(w, b + "ffn_gate.weight", recipe.typeOf("ffn_gate", l, nl, dim), hid, dim, seeds);
            matrix(w, b + "ffn_up.weight", recipe.typeOf("ffn_up", l, nl, dim), hid, dim, seeds);
            matrix(w, b + "ffn_down.weight", recipe.typeOf("ffn_down", l, nl, hid), dim, hid, seeds);
        }
        vector(w, "output_norm.weight", dim, 1f);
        if (!p.tiedEmbeddings()) matrix(w, "output.weight", recipe.typeOf("output", -1, nl, dim), p.vocabSize(), dim, seeds);
        w.write(out);
        return p.name() + " shapes, " + recipe.name() + " random weights, vocabulary: " + vocab.description();
    }

    private static void matrix(GgufWriter w, String name, GgmlType type, int rows, int cols, long[] seeds) {
        long seed = seeds[0]++;
        long elements = (long) rows * cols;
        w.tensor(name, new long[] {cols, rows}, type, () -> {
            MemorySegment data = Arena.ofAuto().allocate(type.bytesFor(elements), 64);
            RandomWeights.fill(type, data, elements, SyntheticModels.AMPLITUDE, seed);
            return data;
        });
    }

    private static void vector(GgufWriter w, String name, int n, float value) {
        MemorySegment data = Arena.ofAuto().allocate(4L * n, 64);
        for (int i = 0; i < n; i++) data.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), i, value);
        w.tensor(name, new long[] {n}, GgmlType.F32, data);
    }

    /** llama.cpp's LLAMA_FTYPE for the recipe. */
    static int fileType(WeightRecipe r) {
        return switch (r.name()) {
            case "F32" -> 0;
            case "F16" -> 1;
            case "Q4_0" -> 2;
            case "Q4_1" -> 3;
            case "Q8_0" -> 7;
            case "Q4_K", "Q4_K_M" -> 15;
            case "Q5_K", "Q5_K_M" -> 17;
            case "Q6_K" -> 18;
            case "BF16" -> 32;
            default -> 0;
        };
    }
}
