package io.toks.train.model;

import io.toks.engine.parallel.WorkerPool;

/**
 * The weight matrices transposed (in x out), refreshed from the parameters once per forward pass:
 * the forward products {@code X · Wᵀ} then read rows of both operands, like the backward ones,
 * at the cost of one copy of the weights per step (a step multiplies each weight by thousands of
 * activations). q/k/v are one matrix of dim x (dim + 2 · kvDim), gate/up one of dim x 2 · hidden,
 * as the parameter array holds their rows back to back.
 */
final class TransposedWeights {

    private final Parameters params;
    private final int dim, qkvRows, hidden, vocab;
    private final float[][] qkv, wo, gateUp, down;
    private final float[] output;

    TransposedWeights(Parameters params) {
        this.params = params;
        ModelConfig c = params.config();
        dim = c.dim();
        qkvRows = dim + 2 * c.kvDim();
        hidden = c.hiddenDim();
        vocab = c.vocabSize();
        int layers = c.layers();
        qkv = new float[layers][dim * qkvRows];
        wo = new float[layers][dim * dim];
        gateUp = new float[layers][dim * 2 * hidden];
        down = new float[layers][hidden * dim];
        output = new float[dim * vocab];
    }

    float[] qkv(int layer) { return qkv[layer]; }
    float[] wo(int layer) { return wo[layer]; }
    float[] gateUp(int layer) { return gateUp[layer]; }
    float[] down(int layer) { return down[layer]; }
    float[] output() { return output; }

    void refresh(WorkerPool pool) {
        float[] w = params.values();
        for (int l = 0; l < qkv.length; l++) {
            transpose(pool, w, params.wq[l].offset(), qkvRows, dim, qkv[l]);
            transpose(pool, w, params.wo[l].offset(), dim, dim, wo[l]);
            transpose(pool, w, params.gate[l].offset(), 2 * hidden, dim, gateUp[l]);
            transpose(pool, w, params.down[l].offset(), dim, hidden, down[l]);
        }
        transpose(pool, w, params.output.offset(), vocab, dim, output);
    }

    /** target (cols x rows) = the rows x cols matrix at offset, transposed; target rows split across the pool. */
    private static void transpose(WorkerPool pool, float[] w, int offset, int rows, int cols, float[] target) {
        pool.parallelFor(cols, Math.max(1, 65536 / rows), (from, to) -> {
            for (int j = from; j < to; j++) {
                int at = j * rows;
                for (int i = 0; i < rows; i++) target[at + i] = w[offset + i * cols + j];
            }
        });
    }
}
