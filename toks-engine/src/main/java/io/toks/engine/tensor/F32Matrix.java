package io.toks.engine.tensor;

import io.toks.engine.math.VectorKernels;
import java.lang.foreign.MemorySegment;

/** F32 weights: IEEE-754 binary32, little-endian, read in place from the (mapped) model file. */
public final class F32Matrix extends BlockMatrix {

    public F32Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override public GgmlType type() { return GgmlType.F32; }

    @Override
    protected void matVecVector(float[] x, float[] out, int fromRow, int toRow) {
        for (int r = fromRow; r < toRow; r++) {
            out[r] = VectorKernels.dotF32(data, r * rowBytes, x, cols);
        }
    }

    @Override
    public void dequantizeRow(int row, float[] dst) {
        MemorySegment.copy(data, LE_FLOAT, row * rowBytes, dst, 0, cols);
    }
}
