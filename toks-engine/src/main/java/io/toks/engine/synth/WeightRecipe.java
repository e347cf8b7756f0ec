package io.toks.engine.synth;

import io.toks.core.ToksException;
import io.toks.engine.tensor.GgmlType;
import java.util.Locale;

/**
 * Which type each tensor gets: one type for every matrix ("pure", as {@code llama-quantize
 * --pure}), or a mixture named like llama.cpp's files. Norms and biases stay F32 always.
 * A matrix whose rows are not a multiple of the type's block size falls back to Q8_0 (llama.cpp
 * falls back too, to types toks does not run).
 */
public record WeightRecipe(String name, GgmlType base, GgmlType more) {

    public static WeightRecipe parse(String s) {
        String n = s.trim().toUpperCase(Locale.ROOT);
        return switch (n) {
            case "Q4_K_M" -> new WeightRecipe(n, GgmlType.Q4_K, GgmlType.Q6_K);
            case "Q5_K_M" -> new WeightRecipe(n, GgmlType.Q5_K, GgmlType.Q6_K);
            default -> {
                GgmlType t;
                try {
                    t = GgmlType.valueOf(n);
                } catch (IllegalArgumentException e) {
                    throw new ToksException("unknown weight type '" + s + "' (f32, f16, bf16, q8_0, q4_0, q4_1, q4_k, q5_k, q6_k, q4_k_m, q5_k_m)");
                }
                if (!io.toks.engine.tensor.Matrices.SUPPORTED.contains(t)) {
                    throw new ToksException("weight type " + t + " is not supported (supported: " + io.toks.engine.tensor.Matrices.SUPPORTED + ")");
                }
                yield new WeightRecipe(t.name(), t, t);
            }
        };
    }

    /**
     * The type of a matrix. In the _M mixtures, as in llama.cpp, the output projection and the
     * attn_v and ffn_down matrices of the first and last eighth of the layers and of every third
     * layer in between get the larger type.
     */
    public GgmlType typeOf(String tensor, int layer, int layers, int cols) {
        GgmlType t = base;
        if (more != base) {
            boolean moreBits = layer >= 0 && (layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2);
            if (tensor.equals("output") || ((tensor.equals("attn_v") || tensor.equals("ffn_down")) && moreBits)) t = more;
        }
        return cols % t.blockSize() == 0 ? t : GgmlType.Q8_0;
    }
}
