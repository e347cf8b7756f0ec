package io.toks.engine.synth;

import io.toks.engine.model.LlamaConfig;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.model.LlamaWeights;
import io.toks.engine.model.ModelInfo;
import io.toks.engine.model.RopeStyle;
import io.toks.engine.tensor.FloatMatrix;
import io.toks.engine.tensor.GgmlType;
import io.toks.engine.tensor.Matrices;
import io.toks.tokenizer.IdOnlyTokenizer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds a model with a preset's exact shapes and random weights in memory. Speed on it is
 * representative of the real model; its output is gibberish (and it has no text tokenizer).
 */
public final class SyntheticModels {

    /** Weights drawn in [-AMPLITUDE, AMPLITUDE]: bounded activations through any depth. */
    static final float AMPLITUDE = 0.05f;

    private SyntheticModels() {}

    public static LlamaModel build(Preset p, WeightRecipe recipe, long seed) {
        var config = new LlamaConfig(p.dim(), p.hiddenDim(), p.layers(), p.heads(), p.kvHeads(), p.vocabSize(),
                p.contextLength(), p.rmsEps(), p.ropeTheta(), p.headSize(),
                p.architecture().equals("qwen2") ? RopeStyle.SPLIT_HALVES : RopeStyle.ADJACENT_PAIRS);
        var jobs = new ArrayList<Runnable>();
        var seeds = new AtomicLong(seed);
        int nl = p.layers(), dim = p.dim(), kv = config.kvDim(), hid = p.hiddenDim();

        FloatMatrix embedding = matrix(recipe.typeOf("token_embd", -1, nl, dim), p.vocabSize(), dim, seeds, jobs);
        FloatMatrix[] wq = new FloatMatrix[nl], wk = new FloatMatrix[nl], wv = new FloatMatrix[nl], wo = new FloatMatrix[nl];
        FloatMatrix[] gate = new FloatMatrix[nl], down = new FloatMatrix[nl], up = new FloatMatrix[nl];
        float[][] attNorm = new float[nl][], ffnNorm = new float[nl][];
        float[][][] bias = p.qkvBias() ? new float[nl][][] : null;
        for (int l = 0; l < nl; l++) {
            wq[l] = matrix(recipe.typeOf("attn_q", l, nl, dim), dim, dim, seeds, jobs);
            wk[l] = matrix(recipe.typeOf("attn_k", l, nl, dim), kv, dim, seeds, jobs);
            wv[l] = matrix(recipe.typeOf("attn_v", l, nl, dim), kv, dim, seeds, jobs);
            wo[l] = matrix(recipe.typeOf("attn_output", l, nl, dim), dim, dim, seeds, jobs);
            gate[l] = matrix(recipe.typeOf("ffn_gate", l, nl, dim), hid, dim, seeds, jobs);
            up[l] = matrix(recipe.typeOf("ffn_up", l, nl, dim), hid, dim, seeds, jobs);
            down[l] = matrix(recipe.typeOf("ffn_down", l, nl, hid), dim, hid, seeds, jobs);
            attNorm[l] = ones(dim);
            ffnNorm[l] = ones(dim);
            if (bias != null) bias[l] = new float[][] {new float[dim], new float[kv], new float[kv]};
        }
        FloatMatrix classifier = p.tiedEmbeddings() ? embedding
                : matrix(recipe.typeOf("output", -1, nl, dim), p.vocabSize(), dim, seeds, jobs);
        jobs.parallelStream().forEach(Runnable::run);

        var weights = new LlamaWeights(embedding, attNorm, wq, wk, wv, wo, ffnNorm, gate, down, up, ones(dim), classifier,
                bias, null);
        var info = new ModelInfo(p.name() + " (synthetic)", "synthetic:" + p.name() + ":" + recipe.name().toLowerCase(java.util.Locale.ROOT),
                "synthetic", weights.byteSize(), "none (random weights, seed " + seed + ")", recipe.name());
        var tokenizer = new IdOnlyTokenizer(p.vocabSize(), 1, 2, "synthetic model " + p.name() + " has random weights and no text tokenizer");
        return new LlamaModel(config, weights, tokenizer, info);
    }

    private static FloatMatrix matrix(GgmlType type, int rows, int cols, AtomicLong seeds, List<Runnable> jobs) {
        long elements = (long) rows * cols;
        MemorySegment data = Arena.ofAuto().allocate(type.bytesFor(elements), 64);
        long seed = seeds.getAndIncrement();
        jobs.add(() -> RandomWeights.fill(type, data, elements, AMPLITUDE, seed));
        return Matrices.of(type, data, rows, cols);
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, 1f);
        return a;
    }
}
