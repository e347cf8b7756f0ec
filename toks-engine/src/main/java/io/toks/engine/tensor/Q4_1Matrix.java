package io.toks.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_1: blocks of 32 values = f16 scale d, f16 minimum m, 16 bytes of nibbles (value j low,
 * value j + 16 high); value = d * q + m. 20 bytes per block.
 */
public final class Q4_1Matrix extends BlockMatrix {

    static final int BLOCK = 32, BLOCK_BYTES = 20;

    public Q4_1Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override public GgmlType type() { return GgmlType.Q4_1; }

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
            float d = half(at), m = half(at + 2);
            for (int j = 0; j < 16; j++) {
                int q = u8(at + 4 + j);
                dst[b * BLOCK + j] = d * (q & 0xF) + m;
                dst[b * BLOCK + j + 16] = d * (q >> 4) + m;
            }
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
                FloatVector qx = FloatVector.zero(QuantKernels.F);
                FloatVector xs = FloatVector.zero(QuantKernels.F);
                for (int j = 0; j < 16; j += L) {
                    ByteVector q = ByteVector.fromMemorySegment(QuantKernels.B, data, at + 4 + j, ByteOrder.LITTLE_ENDIAN);
                    FloatVector x0 = FloatVector.fromArray(QuantKernels.F, x, b * BLOCK + j);
                    FloatVector x1 = FloatVector.fromArray(QuantKernels.F, x, b * BLOCK + 16 + j);
                    qx = QuantKernels.widen(q.and((byte) 0xF)).fma(x0, qx);
                    qx = QuantKernels.widen(q.lanewise(VectorOperators.LSHR, 4)).fma(x1, qx);
                    xs = xs.add(x0).add(x1);
                }
                // sum (d q + m) x = d sum(q x) + m sum(x)
                acc = qx.fma(FloatVector.broadcast(QuantKernels.F, half(at)), acc);
                acc = xs.fma(FloatVector.broadcast(QuantKernels.F, half(at + 2)), acc);
            }
            out[r] = acc.reduceLanes(VectorOperators.ADD);
        }
    }

    @Override
    protected void copyRowVector(int row, float[] dst) {
        long base = row * rowBytes;
        for (int b = 0; b < cols / BLOCK; b++) {
            long at = base + (long) b * BLOCK_BYTES;
            float d = half(at), m = half(at + 2);
            for (int j = 0; j < 16; j += QuantKernels.L) {
                ByteVector q = ByteVector.fromMemorySegment(QuantKernels.B, data, at + 4 + j, ByteOrder.LITTLE_ENDIAN);
                QuantKernels.widen(q.and((byte) 0xF)).mul(d).add(m).intoArray(dst, b * BLOCK + j);
                QuantKernels.widen(q.lanewise(VectorOperators.LSHR, 4)).mul(d).add(m).intoArray(dst, b * BLOCK + 16 + j);
            }
        }
    }
}
