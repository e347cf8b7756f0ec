package io.toks.engine.kernel;

/**
 * Activation vectors (one, or a batch of tokens, one after another) as the native kernels take
 * them, prepared once per matrix product and shared by every row range (thread) of it; reused
 * across products, growing to the largest batch seen. For quantized weights: rounded to int8
 * per 32 values (q, each block's scale d, and d * sum(q) per block). For float weights: the
 * floats in one array, or for BF16 weights on a CPU with BF16 products the values rounded to BF16 (halves).
 */
public final class NativeInputs {

    byte[] q = new byte[0];
    float[] d = new float[0];
    float[] dsum = new float[0];
    float[] floats = new float[0];
    /** The activations as BF16, for products with BF16 weights. */
    short[] halves = new short[0];
    int length;
    int count;
    /** What the buffers hold: ROUNDED (q, d, dsum), FLOATS (floats) or BF16 (halves). */
    Form form;

    enum Form { ROUNDED, FLOATS, BF16 }

    void ensureRounded(int cols, int tokens) {
        int values = values(cols, tokens);
        if (q.length < values) {
            q = new byte[values];
            d = new float[values / 32];
            dsum = new float[values / 32];
        }
        set(cols, tokens, Form.ROUNDED);
    }

    /**
     * Room for floats, and halves if asked; the form is FLOATS until the caller fills the halves.
     * The floats grow only when first needed (BF16 products with halves do not use them).
     */
    void ensureFloats(int cols, int tokens, boolean withHalves) {
        int values = values(cols, tokens);
        if (withHalves) {
            if (halves.length < values) halves = new short[values];
        } else if (floats.length < values) {
            floats = new float[values];
        }
        set(cols, tokens, Form.FLOATS);
    }

    private void set(int cols, int tokens, Form form) {
        this.length = cols;
        this.count = tokens;
        this.form = form;
    }

    private static int values(int cols, int tokens) {
        long values = (long) cols * tokens;
        if (values > Integer.MAX_VALUE) throw new IllegalArgumentException(tokens + " x " + cols + " activations are too many");
        return (int) values;
    }

    /** Values per vector (0 before the first preparation). */
    public int length() {
        return length;
    }

    /** Vectors held. */
    public int count() {
        return count;
    }
}
