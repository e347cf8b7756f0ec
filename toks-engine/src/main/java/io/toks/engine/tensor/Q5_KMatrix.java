package io.toks.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q5_K: as {@link Q4_KMatrix} plus a fifth bit per value: f16 d, f16 dmin, 12 bytes of scales,
 * 32 bytes qh, 128 bytes of nibbles. For group g, value 64g + l takes bit 2g of qh[l], value
 * 64g + 32 + l bit 2g + 1; q = nibble + 16 * bit. 176 bytes per super-block.
 */
public final class Q5_KMatrix extends BlockMatrix {

    static final int BLOCK_BYTES = 176;

    public Q5_KMatrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override public GgmlType type() { return GgmlType.Q5_K; }

    @Override
    protected boolean vectorMatVec() {
        return QuantKernels.VECTOR_OK;
    }

    @Override
    public void dequantizeRow(int row, float[] dst) {
        long base = row * rowBytes;
        for (int b = 0; b < cols / KQuants.QK; b++) {
            long at = base + (long) b * BLOCK_BYTES;
            float d = half(at), dmin = half(at + 2);
            long scales = at + 4, qh = at + 16, qs = at + 48;
            int y = b * KQuants.QK;
            for (int g = 0; g < 4; g++) {
                float d1 = d * KQuants.scale(data, scales, 2 * g), m1 = dmin * KQuants.min(data, scales, 2 * g);
                float d2 = d * KQuants.scale(data, scales, 2 * g + 1), m2 = dmin * KQuants.min(data, scales, 2 * g + 1);
                for (int l = 0; l < 32; l++) {
                    int h = u8(qh + l);
                    dst[y + l] = d1 * ((u8(qs + 32 * g + l) & 0xF) + (((h >> (2 * g)) & 1) << 4)) - m1;
                    dst[y + 32 + l] = d2 * ((u8(qs + 32 * g + l) >> 4) + (((h >> (2 * g + 1)) & 1) << 4)) - m2;
                }
                y += 64;
            }
        }
    }

    @Override
    protected void matVecVector(float[] x, float[] out, int fromRow, int toRow) {
        int L = QuantKernels.L;
        var F = QuantKernels.F;
        var B = QuantKernels.B;
        for (int r = fromRow; r < toRow; r++) {
            long base = r * rowBytes;
            FloatVector acc = FloatVector.zero(F);
            for (int b = 0; b < cols / KQuants.QK; b++) {
                long at = base + (long) b * BLOCK_BYTES;
                float d = half(at), dmin = half(at + 2);
                long scales = at + 4, qh = at + 16, qs = at + 48;
                int y = b * KQuants.QK;
                for (int g = 0; g < 4; g++) {
                    FloatVector qxLo = FloatVector.zero(F), qxHi = FloatVector.zero(F);
                    FloatVector xLo = FloatVector.zero(F), xHi = FloatVector.zero(F);
                    for (int l = 0; l < 32; l += L) {
                        ByteVector q = ByteVector.fromMemorySegment(B, data, qs + 32 * g + l, ByteOrder.LITTLE_ENDIAN);
                        ByteVector h = ByteVector.fromMemorySegment(B, data, qh + l, ByteOrder.LITTLE_ENDIAN);
                        ByteVector hLo = h.lanewise(VectorOperators.LSHR, 2 * g).and((byte) 1).lanewise(VectorOperators.LSHL, 4);
                        ByteVector hHi = h.lanewise(VectorOperators.LSHR, 2 * g + 1).and((byte) 1).lanewise(VectorOperators.LSHL, 4);
                        FloatVector x0 = FloatVector.fromArray(F, x, y + l);
                        FloatVector x1 = FloatVector.fromArray(F, x, y + 32 + l);
                        qxLo = QuantKernels.widen(q.and((byte) 0xF).or(hLo)).fma(x0, qxLo);
                        qxHi = QuantKernels.widen(q.lanewise(VectorOperators.LSHR, 4).or(hHi)).fma(x1, qxHi);
                        xLo = xLo.add(x0);
                        xHi = xHi.add(x1);
                    }
                    acc = qxLo.fma(FloatVector.broadcast(QuantKernels.F, d * KQuants.scale(data, scales, 2 * g)), acc);
                    acc = xLo.fma(FloatVector.broadcast(QuantKernels.F, -dmin * KQuants.min(data, scales, 2 * g)), acc);
                    acc = qxHi.fma(FloatVector.broadcast(QuantKernels.F, d * KQuants.scale(data, scales, 2 * g + 1)), acc);
                    acc = xHi.fma(FloatVector.broadcast(QuantKernels.F, -dmin * KQuants.min(data, scales, 2 * g + 1)), acc);
                    y += 64;
                }
            }
            out[r] = acc.reduceLanes(VectorOperators.ADD);
        }
    }
}
