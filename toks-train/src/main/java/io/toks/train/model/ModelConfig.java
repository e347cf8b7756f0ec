package io.toks.train.model;

import io.toks.engine.model.LlamaConfig;
import io.toks.engine.model.RopeStyle;
import java.util.List;
import java.util.Locale;

/**
 * The shapes of a Llama-architecture transformer to train: the architecture toks-engine runs
 * (RMSNorm, RoPE on adjacent pairs, grouped-query attention, SwiGLU), so a trained model is
 * exported as a GGUF {@code llama} file with no conversion.
 *
 * @param dim            embedding width
 * @param hiddenDim      SwiGLU feed-forward width
 * @param layers         transformer blocks
 * @param heads          query heads
 * @param kvHeads        key/value heads (grouped-query attention when fewer than heads)
 * @param vocabSize      vocabulary size (the tokenizer's)
 * @param contextLength  positions the model is trained for (the training sequence length)
 * @param ropeTheta      RoPE frequency base
 * @param rmsEps         RMSNorm epsilon
 * @param tiedEmbeddings whether the output head reuses the token embedding
 */
public record ModelConfig(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize, int contextLength,
                          float ropeTheta, float rmsEps, boolean tiedEmbeddings) {

    /** The presets of {@code toks train --preset}; {@code custom} takes every shape from its options. */
    public static final List<String> PRESETS = List.of("tiny", "small");

    public ModelConfig {
        positive("dim", dim);
        positive("ffn (hidden dim)", hiddenDim);
        positive("layers", layers);
        positive("heads", heads);
        positive("kv heads", kvHeads);
        positive("vocabulary size", vocabSize);
        positive("context length", contextLength);
        if (dim % heads != 0) throw new IllegalArgumentException("dim " + dim + " is not divisible by heads " + heads);
        if (heads % kvHeads != 0) throw new IllegalArgumentException("heads " + heads + " is not divisible by kv heads " + kvHeads);
        if ((dim / heads) % 2 != 0) throw new IllegalArgumentException("head size " + dim / heads + " must be even (RoPE rotates pairs)");
        if (!(ropeTheta > 0) || !(rmsEps > 0 && rmsEps < 1)) throw new IllegalArgumentException("rope theta and rms eps must be positive");
    }

    private static void positive(String name, int value) {
        if (value < 1) throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }

    /**
     * A preset's shapes for a vocabulary and sequence length: {@code tiny} (dim 64, 2 layers,
     * 4 heads sharing 2 key/value heads; about 0.1M weights besides the embeddings, trains in
     * seconds) and {@code small} (dim 384, 6 layers, 6 heads, ffn 1024: 10.6M weights besides
     * the embeddings, the size the speed goal names).
     */
    public static ModelConfig preset(String name, int vocabSize, int contextLength, boolean tiedEmbeddings) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "tiny" -> new ModelConfig(64, 176, 2, 4, 2, vocabSize, contextLength, 10000f, 1e-5f, tiedEmbeddings);
            case "small" -> new ModelConfig(384, 1024, 6, 6, 6, vocabSize, contextLength, 10000f, 1e-5f, tiedEmbeddings);
            default -> throw new IllegalArgumentException("unknown preset '" + name + "' (known: " + String.join(", ", PRESETS) + ", custom)");
        };
    }

    public int headSize() {
        return dim / heads;
    }

    public int kvDim() {
        return kvHeads * headSize();
    }

    /** Every weight: embeddings, layer matrices and norms, the output head once (none when tied). */
    public long parameterCount() {
        long perLayer = 2L * dim + (long) dim * dim * 2 + 2L * dim * kvDim() + 3L * dim * hiddenDim;
        return (long) vocabSize * dim * (tiedEmbeddings ? 1 : 2) + layers * perLayer + dim;
    }

    /**
     * Weights multiplied per token (training's 6·N): the layer matrices and the output head; the
     * input embedding is a lookup. As {@link io.toks.core.estimate.ModelShape#matmulParameters()}.
     */
    public long matmulParameterCount() {
        return layers * ((long) dim * dim * 2 + 2L * dim * kvDim() + 3L * dim * hiddenDim) + (long) vocabSize * dim;
    }

    /** The engine's view of these shapes. */
    public LlamaConfig llamaConfig() {
        return new LlamaConfig(dim, hiddenDim, layers, heads, kvHeads, vocabSize, contextLength, rmsEps, ropeTheta, headSize(),
                RopeStyle.ADJACENT_PAIRS);
    }

    /** {@code dim 64, 2 layers, 4 heads (2 kv), ffn 176, vocab 512}. */
    public String describe() {
        return String.format(Locale.ROOT, "dim %d, %d layers, %d heads (%d kv), ffn %d, vocab %d, ctx %d%s", dim, layers, heads, kvHeads,
                hiddenDim, vocabSize, contextLength, tiedEmbeddings ? ", tied embeddings" : "");
    }
}
