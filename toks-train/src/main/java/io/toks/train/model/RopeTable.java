package io.toks.train.model;

/**
 * Rotary position embedding on adjacent pairs (2i, 2i+1) of each head, the cos and sin of every
 * position computed once, in float exactly as the engine's {@code Rope} computes them (the
 * frequency theta^(-2i/d) rounded to float, the angle position x frequency in float), so the
 * trained weights meet the same rotations at inference. The backward pass rotates the gradient
 * by the opposite angle: a rotation's transpose is its inverse.
 */
final class RopeTable {

    private final int headSize, pairs;
    private final float[] cos, sin;

    RopeTable(int headSize, int positions, float theta) {
        this.headSize = headSize;
        this.pairs = headSize / 2;
        cos = new float[positions * pairs];
        sin = new float[positions * pairs];
        for (int i = 0; i < pairs; i++) {
            float frequency = (float) (1.0 / Math.pow(theta, (2.0 * i) / headSize));
            for (int p = 0; p < positions; p++) {
                float angle = p * frequency;
                cos[p * pairs + i] = (float) Math.cos(angle);
                sin[p * pairs + i] = (float) Math.sin(angle);
            }
        }
    }

    /** Rotates {@code heads} heads stored from {@code offset} at position {@code pos}; {@code inverse} rotates back. */
    void rotate(float[] vec, int offset, int heads, int pos, boolean inverse) {
        int at = pos * pairs;
        for (int h = 0; h < heads; h++) {
            int base = offset + h * headSize;
            for (int i = 0; i < pairs; i++) {
                float c = cos[at + i], s = inverse ? -sin[at + i] : sin[at + i];
                int a = base + 2 * i;
                float v0 = vec[a], v1 = vec[a + 1];
                vec[a] = v0 * c - v1 * s;
                vec[a + 1] = v0 * s + v1 * c;
            }
        }
    }
}
