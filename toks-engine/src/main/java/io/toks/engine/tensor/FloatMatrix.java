package io.toks.engine.tensor;

/**
 * A weight matrix of {@code rows x cols}, row-major, in some storage type, that can multiply a
 * float vector. One implementation per GGML type.
 */
public interface FloatMatrix {

    int rows();

    int cols();

    GgmlType type();

    /** Bytes of storage: what a matrix-vector product must read from memory. */
    long byteSize();

    /** out[r] = row(r) . x for r in [fromRow, toRow). */
    void matVec(float[] x, float[] out, int fromRow, int toRow);

    /** Writes row {@code row} as floats into dst[0, cols): an embedding lookup. */
    void copyRow(int row, float[] dst);

    /**
     * Matrix times a batch of vectors (prefill): out[t][r] = row(r) . xs[t] for t < n and r in
     * [fromRow, toRow). Each weight row is decoded once (via {@code scratch}, at least cols
     * floats) and reused for all n vectors, four rows at a time against three vectors at a time,
     * so reading and dequantizing the weights is shared by the whole batch.
     */
    default void matMul(float[][] xs, float[][] out, int n, int fromRow, int toRow, float[] scratch) {
        int cols = cols();
        float[] tile = new float[4 * cols];
        int r = fromRow;
        for (; r + 4 <= toRow; r += 4) {
            for (int k = 0; k < 4; k++) {
                copyRow(r + k, scratch);
                System.arraycopy(scratch, 0, tile, k * cols, cols);
            }
            io.toks.engine.math.VectorKernels.dotBatch4x3(tile, cols, xs, n, out, r);
        }
        for (; r < toRow; r++) {
            copyRow(r, scratch);
            io.toks.engine.math.VectorKernels.dotBatch(scratch, cols, xs, n, out, r);
        }
    }
}
