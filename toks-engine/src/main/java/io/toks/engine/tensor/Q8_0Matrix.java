package io.toks.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Q8_0: blocks of 32 values = f16 scale d, then 32 int8 q; value = d * q. 34 bytes per block. */
public final class Q8_0Matrix extends BlockMatrix {

    static final int BLOCK = 32, BLOCK_BYTES = 34;

    public Q8_0Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override public GgmlType type() { return GgmlType.Q8_0; }

    @Override
    protected boolean vectorMatVec() {
        return QuantKernels.VECTOR_OK;
    }

    @Override
    protected boolean vectorCopyRow() {
        return QuantKernels.VECTOR_OK;
    }

    @Override
    public void dequantizeRow(int row, float[] dst) {
        long base = row * rowBytes;
        for (int b = 0; b < cols / BLOCK; b++) {
            long at = base + (long) b * BLOCK_BYTES;
            float d = half(at);
            for (int j = 0; j < BLOCK; j++) dst[b * BLOCK + j] = d * s8(at + 2 + j);
        }
    }

    @Override
    protected void matVecVector(float[] x, float[] out, int fromRow, int toRow) {
        int L = QuantKernels.L;
        int blocks = cols / BLOCK;
        for (int r = fromRow; r < toRow; r++) {
            long base = r * rowBytes;
            FloatVector acc = FloatVector.zero(QuantKernels.F);
            for (int b = 0; b < blocks; b++) {
                long at = base + (long) b * BLOCK_BYTES;
                FloatVector sum = FloatVector.zero(QuantKernels.F);
                for (int j = 0; j < BLOCK; j += L) {
                    FloatVector q = QuantKernels.widen(ByteVector.fromMemorySegment(QuantKernels.B, data, at + 2 + j, ByteOrder.LITTLE_ENDIAN));
                    sum = q.fma(FloatVector.fromArray(QuantKernels.F, x, b * BLOCK + j), sum);
                }
                acc = sum.fma(FloatVector.broadcast(QuantKernels.F, half(at)), acc);
            }
            out[r] = acc.reduceLanes(VectorOperators.ADD);
        }
    }

    @Override
    protected void copyRowVector(int row, float[] dst) {
        long base = row * rowBytes;
        for (int b = 0; b < cols / BLOCK; b++) {
            long at = base + (long) b * BLOCK_BYTES;
            float d = half(at);
            for (int j = 0; j < BLOCK; j += QuantKernels.L) {
                QuantKernels.widen(ByteVector.fromMemorySegment(QuantKernels.B, data, at + 2 + j, ByteOrder.LITTLE_ENDIAN))
                        .mul(d).intoArray(dst, b * BLOCK + j);
            }
        }
    }
}
