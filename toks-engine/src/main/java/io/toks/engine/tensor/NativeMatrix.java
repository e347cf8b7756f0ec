package io.toks.engine.tensor;

import io.toks.engine.gguf.GgmlType;
import io.toks.engine.kernel.NativeKernels;

/**
 * A quantized matrix whose matrix x vector product (decode) runs in the native kernel library;
 * row decoding and the batched product (prefill) stay with the Java matrix it wraps.
 */
public final class NativeMatrix implements FloatMatrix {

    private final BlockMatrix matrix;

    private NativeMatrix(BlockMatrix matrix) {
        this.matrix = matrix;
    }

    /** m with native decode kernels where the library is loaded and has its type; else m itself. */
    public static FloatMatrix wrap(FloatMatrix m) {
        if (m instanceof NativeMatrix) return m;
        if (m instanceof BlockMatrix b && NativeKernels.available() && NativeKernels.TYPES.contains(b.type())) return new NativeMatrix(b);
        return m;
    }

    /** The Java matrix behind a native one; any other matrix itself. */
    public static FloatMatrix unwrap(FloatMatrix m) {
        return m instanceof NativeMatrix n ? n.matrix : m;
    }

    @Override public int rows() { return matrix.rows(); }
    @Override public int cols() { return matrix.cols(); }
    @Override public GgmlType type() { return matrix.type(); }
    @Override public long byteSize() { return matrix.byteSize(); }

    @Override
    public void matVec(float[] x, float[] out, int fromRow, int toRow) {
        NativeKernels.matVec(matrix.type(), matrix.data(), matrix.rowBytes(), x, out, fromRow, toRow, matrix.cols());
    }

    @Override
    public void copyRow(int row, float[] dst) {
        matrix.copyRow(row, dst);
    }

    @Override
    public void matMul(float[][] xs, float[][] out, int n, int fromRow, int toRow, float[] scratch) {
        matrix.matMul(xs, out, n, fromRow, toRow, scratch);
    }
}
