package io.toks.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_K: super-blocks of 256 values = f16 d, f16 dmin, 12 bytes of 6-bit scales and minimums
 * (see {@link KQuants}), 128 bytes of nibbles. Values 64g .. 64g+31 are the low nibbles of bytes
 * 32g .. 32g+31 with sub-block 2g, values 64g+32 .. 64g+63 their high nibbles with sub-block
 * 2g+1; value = d * scale * q - dmin * min. 144 bytes per super-block.
 */
public final class Q4_KMatrix extends BlockMatrix {

    static final int BLOCK_BYTES = 144;

    public Q4_KMatrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override public GgmlType type() { return GgmlType.Q4_K; }

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
        for (int b = 0; b < cols / KQuants.QK; b++) {
            long at = base + (long) b * BLOCK_BYTES;
            float d = half(at), dmin = half(at + 2);
            long scales = at + 4, qs = at + 16;
            int y = b * KQuants.QK;
            for (int g = 0; g < 4; g++) {
                float d1 = d * KQuants.scale(data, scales, 2 * g), m1 = dmin * KQuants.min(data, scales, 2 * g);
                float d2 = d * KQuants.scale(data, scales, 2 * g + 1), m2 = dmin * KQuants.min(data, scales, 2 * g + 1);
                for (int l = 0; l < 32; l++) dst[y + l] = d1 * (u8(qs + 32 * g + l) & 0xF) - m1;
                for (int l = 0; l < 32; l++) dst[y + 32 + l] = d2 * (u8(qs + 32 * g + l) >> 4) - m2;
                y += 64;
            }
        }
    }

    @Override
    protected void matVecVector(float[] x, float[] out, int fromRow, int toRow) {
        // sum (d s q - dmin m) x = d s sum(q x) - dmin m sum(x) per 32-value sub-block: the sums of
        // x are shared by all rows.
        float[] xSums = QuantKernels.blockSums(x, cols, 32);
        QuantKernels.Scratch scratch = QuantKernels.SCRATCH.get();
        int[] scales = scratch.scales, mins = scratch.mins;
        for (int r = fromRow; r < toRow; r++) out[r] = row(x, xSums, r, scales, mins);
    }

    private float row(float[] x, float[] xSums, int r, int[] scales, int[] mins) {
        var F = QuantKernels.F;
        long base = r * rowBytes;
        // Two accumulators (low- and high-nibble sub-blocks) and one min-term add per super-block:
        // a single accumulator chain is bound by FMA latency, not by memory.
        FloatVector accLo = FloatVector.zero(F), accHi = FloatVector.zero(F);
        float minTerm = 0;
        for (int b = 0; b < cols / KQuants.QK; b++) {
            long at = base + (long) b * BLOCK_BYTES;
            float d = half(at), dmin = half(at + 2);
            KQuants.unpackScales(data, at + 4, scales, mins);
            long qs = at + 16;
            int y = b * KQuants.QK;
            int s0 = b * 8;
            minTerm += dmin * ((mins[0] * xSums[s0] + mins[1] * xSums[s0 + 1]) + (mins[2] * xSums[s0 + 2] + mins[3] * xSums[s0 + 3])
                    + ((mins[4] * xSums[s0 + 4] + mins[5] * xSums[s0 + 5]) + (mins[6] * xSums[s0 + 6] + mins[7] * xSums[s0 + 7])));
            for (int g = 0; g < 4; g++) {
                IntVector q0 = (IntVector) ByteVector.fromMemorySegment(QuantKernels.B, data, qs + 32 * g, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.ZERO_EXTEND_B2I, QuantKernels.I, 0);
                IntVector q1 = (IntVector) ByteVector.fromMemorySegment(QuantKernels.B, data, qs + 32 * g + 16, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.ZERO_EXTEND_B2I, QuantKernels.I, 0);
                FloatVector qxLo = ((FloatVector) q1.and(0xF).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, y + 16),
                        ((FloatVector) q0.and(0xF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, x, y)));
                FloatVector qxHi = ((FloatVector) q1.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, x, y + 48),
                        ((FloatVector) q0.lanewise(VectorOperators.LSHR, 4).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(F, x, y + 32)));
                accLo = qxLo.fma(FloatVector.broadcast(F, d * scales[2 * g]), accLo);
                accHi = qxHi.fma(FloatVector.broadcast(F, d * scales[2 * g + 1]), accHi);
                y += 64;
            }
        }
        return accLo.add(accHi).reduceLanes(VectorOperators.ADD) - minTerm;
    }

    @Override
    protected void copyRowVector(int row, float[] dst) {
        long base = row * rowBytes;
        for (int b = 0; b < cols / KQuants.QK; b++) {
            long at = base + (long) b * BLOCK_BYTES;
            float d = half(at), dmin = half(at + 2);
            long scales = at + 4, qs = at + 16;
            int y = b * KQuants.QK;
            for (int g = 0; g < 4; g++) {
                float d1 = d * KQuants.scale(data, scales, 2 * g), m1 = dmin * KQuants.min(data, scales, 2 * g);
                float d2 = d * KQuants.scale(data, scales, 2 * g + 1), m2 = dmin * KQuants.min(data, scales, 2 * g + 1);
                for (int l = 0; l < 32; l += QuantKernels.L) {
                    ByteVector q = ByteVector.fromMemorySegment(QuantKernels.B, data, qs + 32 * g + l, ByteOrder.LITTLE_ENDIAN);
                    QuantKernels.widen(q.and((byte) 0xF)).mul(d1).sub(m1).intoArray(dst, y + l);
                    QuantKernels.widen(q.lanewise(VectorOperators.LSHR, 4)).mul(d2).sub(m2).intoArray(dst, y + 32 + l);
                }
                y += 64;
            }
        }
    }
}
