package io.toks.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * IEEE-754 binary16: 1 sign bit, 5 exponent bits (bias 15), 10 mantissa bits.
 * The vector kernel converts without a lookup table: the half's bits moved to a float's
 * position (sign to bit 31, exponent and mantissa to bits 27..13) give a float 2^112 times too
 * small, for normal and subnormal halves alike, so one multiply by 2^112 finishes the
 * conversion. Infinities and NaNs become large finite values (weights never hold them).
 */
public final class F16Matrix extends BlockMatrix {

    private static final VectorSpecies<Float> F = QuantKernels.F;
    private static final int L = QuantKernels.L;
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    private static final float TWO_POW_112 = Float.intBitsToFloat(0x77800000);

    public F16Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override public GgmlType type() { return GgmlType.F16; }

    @Override
    public void dequantizeRow(int row, float[] dst) {
        long base = row * rowBytes;
        for (int i = 0; i < cols; i++) dst[i] = half(base + 2L * i);
    }

    @Override
    protected void matVecVector(float[] x, float[] out, int fromRow, int toRow) {
        for (int r = fromRow; r < toRow; r++) {
            long base = r * rowBytes;
            FloatVector acc0 = FloatVector.zero(F), acc1 = FloatVector.zero(F);
            int i = 0;
            for (; i + 2 * L <= cols; i += 2 * L) {
                acc0 = widen(base + 2L * i).fma(FloatVector.fromArray(F, x, i), acc0);
                acc1 = widen(base + 2L * (i + L)).fma(FloatVector.fromArray(F, x, i + L), acc1);
            }
            float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
            for (; i < cols; i++) sum += half(base + 2L * i) * x[i];
            out[r] = sum;
        }
    }

    private FloatVector widen(long at) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(S, data, at, ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.S2I, I, 0);
        IntVector bits = h.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(0x8FFFE000);
        return bits.reinterpretAsFloats().mul(TWO_POW_112);
    }

    @Override
    protected void copyRowVector(int row, float[] dst) {
        long base = row * rowBytes;
        int i = 0;
        for (; i + L <= cols; i += L) widen(base + 2L * i).intoArray(dst, i);
        for (; i < cols; i++) dst[i] = half(base + 2L * i);
    }
}
