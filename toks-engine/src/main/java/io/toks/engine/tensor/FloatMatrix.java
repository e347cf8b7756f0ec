package io.toks.engine.tensor;

import io.toks.engine.gguf.GgmlType;

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
}
