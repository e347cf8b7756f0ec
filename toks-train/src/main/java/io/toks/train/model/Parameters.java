package io.toks.train.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Every weight of a model in one flat array, with its gradient in another of the same layout:
 * the optimizer, gradient clipping and checkpoints walk one array, the forward and backward
 * passes address each tensor by its offset. Matrices are row-major with one row per output
 * ({@code rows x cols} = out x in), as GGUF and the engine store them; tensors are in the order
 * a GGUF {@code llama} file lists them and named as llama.cpp names them.
 */
public final class Parameters {

    /**
     * One tensor: {@code rows x cols} floats from {@code offset}; a vector has one row.
     *
     * @param decays whether weight decay applies (matrices and embeddings; not norm gains)
     */
    public record Tensor(String name, int offset, int rows, int cols, boolean decays) {
        public int size() {
            return rows * cols;
        }

        /** The GGUF shape, innermost dimension first. */
        public long[] ggufShape() {
            return rows == 1 ? new long[] {cols} : new long[] {cols, rows};
        }
    }

    private final ModelConfig config;
    private final List<Tensor> tensors;
    private final float[] values;
    private final float[] grads;

    final Tensor embedding, finalNorm, output;
    final Tensor[] attnNorm, wq, wk, wv, wo, ffnNorm, gate, up, down;

    /** Zero-filled parameters of {@code config}'s shapes; {@link #initialize} fills them. */
    public Parameters(ModelConfig config) {
        this.config = config;
        long total = config.parameterCount();
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(total + " weights do not fit one Java array; train a smaller model");
        }
        List<Tensor> list = new ArrayList<>();
        int dim = config.dim(), kv = config.kvDim(), hid = config.hiddenDim(), nl = config.layers();
        int[] next = {0};
        embedding = add(list, next, "token_embd.weight", config.vocabSize(), dim, true);
        attnNorm = new Tensor[nl];
        wq = new Tensor[nl];
        wk = new Tensor[nl];
        wv = new Tensor[nl];
        wo = new Tensor[nl];
        ffnNorm = new Tensor[nl];
        gate = new Tensor[nl];
        up = new Tensor[nl];
        down = new Tensor[nl];
        for (int l = 0; l < nl; l++) {
            String b = "blk." + l + ".";
            attnNorm[l] = add(list, next, b + "attn_norm.weight", 1, dim, false);
            wq[l] = add(list, next, b + "attn_q.weight", dim, dim, true);
            wk[l] = add(list, next, b + "attn_k.weight", kv, dim, true);
            wv[l] = add(list, next, b + "attn_v.weight", kv, dim, true);
            wo[l] = add(list, next, b + "attn_output.weight", dim, dim, true);
            ffnNorm[l] = add(list, next, b + "ffn_norm.weight", 1, dim, false);
            gate[l] = add(list, next, b + "ffn_gate.weight", hid, dim, true);
            up[l] = add(list, next, b + "ffn_up.weight", hid, dim, true);
            down[l] = add(list, next, b + "ffn_down.weight", dim, hid, true);
        }
        finalNorm = add(list, next, "output_norm.weight", 1, dim, false);
        output = config.tiedEmbeddings() ? embedding : add(list, next, "output.weight", config.vocabSize(), dim, true);
        if (next[0] != total) throw new IllegalStateException("layout holds " + next[0] + " weights, config counts " + total);
        tensors = Collections.unmodifiableList(list);
        values = new float[next[0]];
        grads = new float[next[0]];
    }

    private static Tensor add(List<Tensor> list, int[] next, String name, int rows, int cols, boolean decays) {
        Tensor t = new Tensor(name, next[0], rows, cols, decays);
        next[0] += t.size();
        list.add(t);
        return t;
    }

    public ModelConfig config() {
        return config;
    }

    /** Every tensor, in GGUF order; a tied output head is not listed twice. */
    public List<Tensor> tensors() {
        return tensors;
    }

    public Tensor tensor(String name) {
        for (Tensor t : tensors) if (t.name().equals(name)) return t;
        throw new IllegalArgumentException("no tensor " + name);
    }

    /** The weights; written by the optimizer and by checkpoint loading. */
    public float[] values() {
        return values;
    }

    /** The gradient of the loss with respect to each weight, after {@link Transformer#step}. */
    public float[] grads() {
        return grads;
    }

    public int size() {
        return values.length;
    }

    /**
     * Seeded initialization, the same on every machine: embeddings and matrices from a normal
     * distribution of standard deviation 0.02, the two projections back into the residual stream
     * (attention output, feed-forward down) scaled by 1/sqrt(2 · layers) so the residual does not
     * grow with depth (GPT-2's scheme), norm gains 1.
     */
    public void initialize(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double residualStd = 0.02 / Math.sqrt(2.0 * config.layers());
        for (Tensor t : tensors) {
            if (!t.decays()) {
                java.util.Arrays.fill(values, t.offset(), t.offset() + t.size(), 1f);
                continue;
            }
            boolean residual = t.name().endsWith("attn_output.weight") || t.name().endsWith("ffn_down.weight");
            double std = residual ? residualStd : 0.02;
            for (int i = 0; i < t.size(); i++) values[t.offset() + i] = (float) (random.nextGaussian() * std);
        }
    }

    public void zeroGrads() {
        java.util.Arrays.fill(grads, 0f);
    }
}
