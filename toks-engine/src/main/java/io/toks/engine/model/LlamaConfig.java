package io.toks.engine.model;

import io.toks.engine.format.ModelFormatException;


/**
 * Hyper-parameters of a Llama-family transformer.
 *
 * @param dim           embedding width
 * @param hiddenDim     SwiGLU feed-forward width
 * @param layers        number of transformer blocks
 * @param heads         query heads
 * @param kvHeads       key/value heads (grouped-query attention when fewer than heads)
 * @param vocabSize     vocabulary size
 * @param contextLength longest sequence the model was trained for
 * @param rmsEps        RMSNorm epsilon
 * @param ropeTheta     RoPE frequency base
 * @param ropeDims      how many dimensions of each head RoPE rotates (= headSize for Llama)
 * @param ropeStyle     how RoPE pairs dimensions
 */
public record LlamaConfig(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize,
                          int contextLength, float rmsEps, float ropeTheta, int ropeDims, RopeStyle ropeStyle) {

    public LlamaConfig {
        positive("dim", dim);
        positive("hidden_dim", hiddenDim);
        positive("layers", layers);
        positive("heads", heads);
        positive("kv_heads", kvHeads);
        positive("vocab_size", vocabSize);
        positive("context_length", contextLength);
        if (dim % heads != 0) throw new ModelFormatException("dim " + dim + " is not divisible by heads " + heads);
        if (heads % kvHeads != 0) throw new ModelFormatException("heads " + heads + " is not divisible by kv_heads " + kvHeads);
        // Written so that NaN fails too.
        if (!(rmsEps > 0 && rmsEps < 1)) throw new ModelFormatException("rms_norm_eps = " + rmsEps + " is not a small positive number");
        if (!(ropeTheta > 0 && Float.isFinite(ropeTheta))) throw new ModelFormatException("rope_freq_base = " + ropeTheta + " is not a positive number");
        if (ropeDims <= 0 || ropeDims > dim / heads || ropeDims % 2 != 0) {
            throw new ModelFormatException("rope dimension count " + ropeDims + " must be even and at most the head size " + dim / heads);
        }
    }

    private static void positive(String name, long value) {
        if (value <= 0 || value > (1 << 24)) {
            throw new ModelFormatException(name + " = " + value + " is not a plausible model dimension");
        }
    }

    public int headSize() {
        return dim / heads;
    }

    public int kvDim() {
        return kvHeads * headSize();
    }
}
