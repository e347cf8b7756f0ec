package io.toks.cli;

import io.toks.core.ToksException;
import io.toks.train.model.ModelConfig;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The shapes of a model to train: a preset's, or with {@code --preset custom} these options' (train, bench-train). */
final class ModelShapeOptions {

    @Option(names = "--dim", paramLabel = "N", description = "With --preset custom: embedding width.")
    Integer dim;

    @Option(names = "--layers", paramLabel = "N", description = "With --preset custom: transformer blocks.")
    Integer layers;

    @Option(names = "--heads", paramLabel = "N", description = "With --preset custom: attention heads.")
    Integer heads;

    @Option(names = "--kv-heads", paramLabel = "N", description = "With --preset custom: key/value heads (fewer: grouped-query attention). Default: --heads.")
    Integer kvHeads;

    @Option(names = "--ffn", paramLabel = "N", description = "With --preset custom: SwiGLU width. Default: 8/3 x dim, rounded up to a multiple of 32 (Llama's rule).")
    Integer ffn;

    @Option(names = "--tie-embeddings", description = "Share the token embedding with the output head (fewer weights; stories260K does).")
    boolean tieEmbeddings;

    /** The shapes for {@code preset} (tiny, small, custom) at a vocabulary and context length. */
    ModelConfig config(String preset, int vocabSize, int context) {
        try {
            if (!preset.toLowerCase(Locale.ROOT).equals("custom")) {
                if (dim != null || layers != null || heads != null || kvHeads != null || ffn != null) {
                    throw new ToksException("--dim, --layers, --heads, --kv-heads and --ffn shape a --preset custom model (the preset is " + preset + ")");
                }
                return ModelConfig.preset(preset, vocabSize, context, tieEmbeddings);
            }
            if (dim == null || layers == null || heads == null) throw new ToksException("--preset custom needs --dim, --layers and --heads");
            int hidden = ffn != null ? ffn : (8 * dim / 3 + 31) / 32 * 32;
            return new ModelConfig(dim, hidden, layers, heads, kvHeads != null ? kvHeads : heads, vocabSize, context, 10000f, 1e-5f, tieEmbeddings);
        } catch (IllegalArgumentException e) {
            throw new ToksException(e.getMessage());
        }
    }
}
