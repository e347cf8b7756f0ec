package io.toks.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_0: blocks of 32 values = f16 scale d, then 16 bytes; byte j holds value j in its low
 * nibble and value j + 16 in its high nibble, each stored as q + 8; value = d * (q - 8).
 * 18 bytes per block.
 */
public final class Q4_0Matrix extends BlockMatrix {

    static final int BLOCK = 32, BLOCK_BYTES = 18;

    public Q4_0Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override public GgmlType type() { return GgmlType.Q4_0; }

    @Override
    protected boolean vectorMatVec() {
        return QuantKernels.VECTOR_OK && QuantKernels.L == 16;
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
            for (int j = 0; j < 16; j++) {
                int q = u8(at + 2 + j);
                dst[b * BLOCK + j] = d * ((q & 0xF) - 8);
                dst[b * BLOCK + j + 16] = d * ((q >> 4) - 8);
            }
        }
    }

    @Override
    protected void matVecVector(float[] x, float[] out, int fromRow, int toRow) {
        // sum_j d (q_j - 8) x_j = d (sum_j q_j x_j) - 8 d (sum_j x_j): the per-block sums of x are
        // shared by all rows, which saves subtracting 8 from every nibble.
        float[] xSums = QuantKernels.blockSums(x, cols, BLOCK);
        for (int r = fromRow; r < toRow; r++) out[r] = row(x, xSums, r);
    }

    /** One row, 512-bit: the 16 bytes of a block widen once to 16 ints, where low and high nibbles split. */
    private float row(float[] x, float[] xSums, int r) {
        var F = QuantKernels.F;
        long base = r * rowBytes;
        FloatVector acc = FloatVector.zero(F);
        float correction = 0;
        for (int b = 0; b < cols / BLOCK; b++) {
            long at = base + (long) b * BLOCK_BYTES;
            IntVector q = (IntVector) ByteVector.fromMemorySegment(QuantKernels.B, data, at + 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.ZERO_EXTEND_B2I, QuantKernels.I, 0);
            FloatVector lo = (FloatVector) q.and(0xF).convert(VectorOperators.I2F, 0);
            FloatVector hi = (FloatVector) q.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0);
            FloatVector sum = hi.fma(FloatVector.fromArray(F, x, b * BLOCK + 16), lo.mul(FloatVector.fromArray(F, x, b * BLOCK)));
            float d = half(at);
            acc = sum.fma(FloatVector.broadcast(F, d), acc);
            correction += d * xSums[b];
        }
        return acc.reduceLanes(VectorOperators.ADD) - 8 * correction;
    }

    @Override
    protected void copyRowVector(int row, float[] dst) {
        long base = row * rowBytes;
        for (int b = 0; b < cols / BLOCK; b++) {
            long at = base + (long) b * BLOCK_BYTES;
            float d = half(at);
            for (int j = 0; j < 16; j += QuantKernels.L) {
                ByteVector q = ByteVector.fromMemorySegment(QuantKernels.B, data, at + 2 + j, ByteOrder.LITTLE_ENDIAN);
                QuantKernels.widen(q.and((byte) 0xF).sub((byte) 8)).mul(d).intoArray(dst, b * BLOCK + j);
                QuantKernels.widen(q.lanewise(VectorOperators.LSHR, 4).sub((byte) 8)).mul(d).intoArray(dst, b * BLOCK + 16 + j);
            }
        }
    }
}
