package io.toks.engine.model;

/**
 * Rotary position embedding: rotates each head's first {@code ropeDims} dimensions in pairs by
 * angles that grow with the position, as in the RoPE paper and llama2.c. Holds the cos/sin of one
 * position at a time ({@link #at}); not thread-safe.
 */
final class Rope {

    private final LlamaConfig c;
    private final float[] frequencies, cos, sin;

    Rope(LlamaConfig c, float[] ropeFactors) {
        this.c = c;
        int pairs = c.ropeDims() / 2;
        frequencies = new float[pairs];
        for (int i = 0; i < pairs; i++) {
            // theta^(-2i/d): the frequency of the i-th rotated pair.
            frequencies[i] = (float) (1.0 / Math.pow(c.ropeTheta(), (2.0 * i) / c.ropeDims()));
            // Llama 3.1+ stretches low frequencies for long context: divide by the stored factor.
            if (ropeFactors != null) frequencies[i] /= ropeFactors[i];
        }
        cos = new float[pairs];
        sin = new float[pairs];
    }

    /** Makes {@link #rotate} use position {@code pos}. */
    void at(int pos) {
        for (int i = 0; i < frequencies.length; i++) {
            float angle = pos * frequencies[i];
            cos[i] = (float) Math.cos(angle);
            sin[i] = (float) Math.sin(angle);
        }
    }

    /** Rotates each of {@code heads} heads of {@code vec} by the current position's angles. */
    void rotate(float[] vec, int heads) {
        int hs = c.headSize();
        int pairs = frequencies.length;
        boolean adjacent = c.ropeStyle() == RopeStyle.ADJACENT_PAIRS;
        for (int h = 0; h < heads; h++) {
            int base = h * hs;
            for (int i = 0; i < pairs; i++) {
                // Llama (GGUF "llama") rotates adjacent pairs; NeoX-style models (Qwen2) the two halves.
                int a = adjacent ? base + 2 * i : base + i;
                int b = adjacent ? a + 1 : a + pairs;
                float v0 = vec[a], v1 = vec[b];
                vec[a] = v0 * cos[i] - v1 * sin[i];
                vec[b] = v0 * sin[i] + v1 * cos[i];
            }
        }
    }
}
