package io.toks.engine.tensor;

import io.toks.engine.gguf.GgmlType;
import io.toks.engine.kernel.ScalarKernels;
import io.toks.engine.kernel.VectorKernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** F32 weights: IEEE-754 binary32, little-endian, read in place from the (mapped) model file. */
public final class F32Matrix implements FloatMatrix {

    private static final ValueLayout.OfFloat LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment data;
    private final int rows;
    private final int cols;

    public F32Matrix(MemorySegment data, int rows, int cols) {
        if ((long) rows * cols * 4 != data.byteSize()) {
            throw new IllegalArgumentException("F32 matrix " + rows + "x" + cols + " needs " + (long) rows * cols * 4
                    + " bytes, segment has " + data.byteSize());
        }
        this.data = data;
        this.rows = rows;
        this.cols = cols;
    }

    @Override public int rows() { return rows; }
    @Override public int cols() { return cols; }
    @Override public GgmlType type() { return GgmlType.F32; }
    @Override public long byteSize() { return data.byteSize(); }

    @Override
    public void matVec(float[] x, float[] out, int fromRow, int toRow) {
        long rowBytes = 4L * cols;
        for (int r = fromRow; r < toRow; r++) {
            out[r] = VectorKernels.dotF32(data, r * rowBytes, x, cols);
        }
    }

    /** The scalar reference of {@link #matVec}. */
    public void matVecReference(float[] x, float[] out, int fromRow, int toRow) {
        for (int r = fromRow; r < toRow; r++) {
            out[r] = ScalarKernels.dotF32(data, r * 4L * cols, x, cols);
        }
    }

    @Override
    public void copyRow(int row, float[] dst) {
        MemorySegment.copy(data, LE, 4L * row * cols, dst, 0, cols);
    }

    /** Reads the whole matrix (a vector when rows == 1) into a float array. */
    public float[] toArray() {
        float[] out = new float[rows * cols];
        MemorySegment.copy(data, LE, 0, out, 0, out.length);
        return out;
    }
}
