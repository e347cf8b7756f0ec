package io.toks.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q6_K: super-blocks of 256 values = 128 bytes ql (low 4 bits), 64 bytes qh (high 2 bits),
 * 16 int8 scales (one per 16 values), f16 d; value = d * scale * (q - 32). In each half of 128
 * values (ql += 64, qh += 32, scales += 8), for l < 32: value l = ql[l] low nibble with qh[l]
 * bits 0-1, value 32 + l = ql[32 + l] low with bits 2-3, value 64 + l = ql[l] high with bits
 * 4-5, value 96 + l = ql[32 + l] high with bits 6-7; scale index l / 16 + {0, 2, 4, 6}.
 * 210 bytes per super-block.
 */
public final class Q6_KMatrix extends BlockMatrix {

    static final int BLOCK_BYTES = 210;

    public Q6_KMatrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override public GgmlType type() { return GgmlType.Q6_K; }

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
        for (int b = 0; b < cols / KQuants.QK; b++) {
            long at = base + (long) b * BLOCK_BYTES;
            float d = half(at + 208);
            for (int n = 0; n < 2; n++) {
                long ql = at + 64L * n, qh = at + 128 + 32L * n, sc = at + 192 + 8L * n;
                int y = b * KQuants.QK + 128 * n;
                for (int l = 0; l < 32; l++) {
                    int is = l / 16;
                    int h = u8(qh + l);
                    int q1 = ((u8(ql + l) & 0xF) | ((h & 3) << 4)) - 32;
                    int q2 = ((u8(ql + 32 + l) & 0xF) | (((h >> 2) & 3) << 4)) - 32;
                    int q3 = ((u8(ql + l) >> 4) | (((h >> 4) & 3) << 4)) - 32;
                    int q4 = ((u8(ql + 32 + l) >> 4) | (((h >> 6) & 3) << 4)) - 32;
                    dst[y + l] = d * s8(sc + is) * q1;
                    dst[y + 32 + l] = d * s8(sc + is + 2) * q2;
                    dst[y + 64 + l] = d * s8(sc + is + 4) * q3;
                    dst[y + 96 + l] = d * s8(sc + is + 6) * q4;
                }
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
                float d = half(at + 208);
                for (int n = 0; n < 2; n++) {
                    long ql = at + 64L * n, qh = at + 128 + 32L * n, sc = at + 192 + 8L * n;
                    int y = b * KQuants.QK + 128 * n;
                    for (int l = 0; l < 32; l += L) {
                        int is = l / 16;
                        ByteVector lo = ByteVector.fromMemorySegment(B, data, ql + l, ByteOrder.LITTLE_ENDIAN);
                        ByteVector hi = ByteVector.fromMemorySegment(B, data, ql + 32 + l, ByteOrder.LITTLE_ENDIAN);
                        ByteVector h = ByteVector.fromMemorySegment(B, data, qh + l, ByteOrder.LITTLE_ENDIAN);
                        FloatVector q1 = QuantKernels.widen(lo.and((byte) 0xF).or(h.and((byte) 3).lanewise(VectorOperators.LSHL, 4)).sub((byte) 32));
                        FloatVector q2 = QuantKernels.widen(hi.and((byte) 0xF).or(h.lanewise(VectorOperators.LSHR, 2).and((byte) 3).lanewise(VectorOperators.LSHL, 4)).sub((byte) 32));
                        FloatVector q3 = QuantKernels.widen(lo.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 4).and((byte) 3).lanewise(VectorOperators.LSHL, 4)).sub((byte) 32));
                        FloatVector q4 = QuantKernels.widen(hi.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 6).lanewise(VectorOperators.LSHL, 4)).sub((byte) 32));
                        acc = q1.mul(FloatVector.fromArray(F, x, y + l)).fma(FloatVector.broadcast(QuantKernels.F, d * s8(sc + is)), acc);
                        acc = q2.mul(FloatVector.fromArray(F, x, y + 32 + l)).fma(FloatVector.broadcast(QuantKernels.F, d * s8(sc + is + 2)), acc);
                        acc = q3.mul(FloatVector.fromArray(F, x, y + 64 + l)).fma(FloatVector.broadcast(QuantKernels.F, d * s8(sc + is + 4)), acc);
                        acc = q4.mul(FloatVector.fromArray(F, x, y + 96 + l)).fma(FloatVector.broadcast(QuantKernels.F, d * s8(sc + is + 6)), acc);
                    }
                }
            }
            out[r] = acc.reduceLanes(VectorOperators.ADD);
        }
    }

    @Override
    protected void copyRowVector(int row, float[] dst) {
        var B = QuantKernels.B;
        long base = row * rowBytes;
        for (int b = 0; b < cols / KQuants.QK; b++) {
            long at = base + (long) b * BLOCK_BYTES;
            float d = half(at + 208);
            for (int n = 0; n < 2; n++) {
                long ql = at + 64L * n, qh = at + 128 + 32L * n, sc = at + 192 + 8L * n;
                int y = b * KQuants.QK + 128 * n;
                for (int l = 0; l < 32; l += QuantKernels.L) {
                    int is = l / 16;
                    ByteVector lo = ByteVector.fromMemorySegment(B, data, ql + l, ByteOrder.LITTLE_ENDIAN);
                    ByteVector hi = ByteVector.fromMemorySegment(B, data, ql + 32 + l, ByteOrder.LITTLE_ENDIAN);
                    ByteVector h = ByteVector.fromMemorySegment(B, data, qh + l, ByteOrder.LITTLE_ENDIAN);
                    QuantKernels.widen(lo.and((byte) 0xF).or(h.and((byte) 3).lanewise(VectorOperators.LSHL, 4)).sub((byte) 32))
                            .mul(d * s8(sc + is)).intoArray(dst, y + l);
                    QuantKernels.widen(hi.and((byte) 0xF).or(h.lanewise(VectorOperators.LSHR, 2).and((byte) 3).lanewise(VectorOperators.LSHL, 4)).sub((byte) 32))
                            .mul(d * s8(sc + is + 2)).intoArray(dst, y + 32 + l);
                    QuantKernels.widen(lo.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 4).and((byte) 3).lanewise(VectorOperators.LSHL, 4)).sub((byte) 32))
                            .mul(d * s8(sc + is + 4)).intoArray(dst, y + 64 + l);
                    QuantKernels.widen(hi.lanewise(VectorOperators.LSHR, 4).or(h.lanewise(VectorOperators.LSHR, 6).lanewise(VectorOperators.LSHL, 4)).sub((byte) 32))
                            .mul(d * s8(sc + is + 6)).intoArray(dst, y + 96 + l);
                }
            }
        }
    }
}
