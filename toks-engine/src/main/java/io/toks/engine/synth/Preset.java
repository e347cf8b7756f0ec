package io.toks.engine.synth;

import io.toks.core.ToksException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shapes of a real model (from its published config), for synthetic weights.
 *
 * @param tiedEmbeddings whether the output projection reuses the token embedding
 * @param qkvBias        whether attention projections have biases (Qwen2)
 */
public record Preset(String name, String architecture, int dim, int hiddenDim, int layers, int heads, int kvHeads,
                     int vocabSize, int contextLength, float ropeTheta, float rmsEps, boolean tiedEmbeddings,
                     boolean qkvBias) {

    private static final Map<String, Preset> PRESETS = new LinkedHashMap<>();

    static {
        add(new Preset("smollm2-135m", "llama", 576, 1536, 30, 9, 3, 49152, 8192, 100000f, 1e-5f, true, false));
        add(new Preset("qwen2.5-0.5b", "qwen2", 896, 4864, 24, 14, 2, 151936, 32768, 1000000f, 1e-6f, true, true));
        add(new Preset("llama-3.2-1b", "llama", 2048, 8192, 16, 32, 8, 128256, 131072, 500000f, 1e-5f, true, false));
        add(new Preset("llama-3.2-3b", "llama", 3072, 8192, 28, 24, 8, 128256, 131072, 500000f, 1e-5f, true, false));
        add(new Preset("llama-3.1-8b", "llama", 4096, 14336, 32, 32, 8, 128256, 131072, 500000f, 1e-5f, false, false));
        add(new Preset("mistral-7b", "llama", 4096, 14336, 32, 32, 8, 32000, 32768, 1000000f, 1e-5f, false, false));
    }

    private static void add(Preset p) {
        PRESETS.put(p.name, p);
    }

    public static Map<String, Preset> all() {
        return java.util.Collections.unmodifiableMap(PRESETS);
    }

    public static Preset named(String name) {
        Preset p = PRESETS.get(name);
        if (p == null) {
            throw new ToksException("unknown preset '" + name + "' (known: " + String.join(", ", PRESETS.keySet()) + ", custom)");
        }
        return p;
    }

    /** A preset from explicit shapes, for {@code --preset custom}. */
    public static Preset custom(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize, int contextLength) {
        return new Preset("custom", "llama", dim, hiddenDim, layers, heads, kvHeads, vocabSize, contextLength, 10000f, 1e-5f,
                false, false);
    }

    public int headSize() {
        return dim / heads;
    }
}
