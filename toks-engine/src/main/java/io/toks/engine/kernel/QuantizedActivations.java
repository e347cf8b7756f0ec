package io.toks.engine.kernel;

/**
 * Activation vectors (one, or a batch of tokens) rounded to int8 per 32 values for the native
 * kernels: q, each block's scale d, and d * sum(q) per block, token after token. Quantized once
 * per matrix product and shared by every row range (thread) of it; reused across products,
 * growing to the largest batch seen.
 */
public final class QuantizedActivations {

    byte[] q = new byte[0];
    float[] d = new float[0];
    float[] dsum = new float[0];
    int length;
    int count;

    void ensure(int cols, int tokens) {
        long values = (long) cols * tokens;
        if (values > Integer.MAX_VALUE) throw new IllegalArgumentException(tokens + " x " + cols + " activations are too many");
        if (q.length < values) {
            q = new byte[(int) values];
            d = new float[(int) (values / 32)];
            dsum = new float[(int) (values / 32)];
        }
        length = cols;
        count = tokens;
    }

    /** Values per vector (0 before the first quantization). */
    public int length() {
        return length;
    }

    /** Vectors held. */
    public int count() {
        return count;
    }
}
