package io.toks.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** bfloat16: the upper 16 bits of an IEEE binary32 (1 sign, 8 exponent, 7 mantissa bits). */
public final class BF16Matrix extends BlockMatrix {

    private static final VectorSpecies<Float> F = QuantKernels.F;
    private static final int L = QuantKernels.L;
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16));
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    public BF16Matrix(MemorySegment data, int rows, int cols) {
        super(data, rows, cols);
    }

    @Override public GgmlType type() { return GgmlType.BF16; }

    static float toFloat(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    @Override
    public void dequantizeRow(int row, float[] dst) {
        long base = row * rowBytes;
        for (int i = 0; i < cols; i++) dst[i] = toFloat(data.get(LE_SHORT, base + 2L * i));
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
            for (; i < cols; i++) sum += toFloat(data.get(LE_SHORT, base + 2L * i)) * x[i];
            out[r] = sum;
        }
    }

    private FloatVector widen(long at) {
        return ((IntVector) ShortVector.fromMemorySegment(S, data, at, ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    @Override
    protected void copyRowVector(int row, float[] dst) {
        long base = row * rowBytes;
        int i = 0;
        for (; i + L <= cols; i += L) widen(base + 2L * i).intoArray(dst, i);
        for (; i < cols; i++) dst[i] = toFloat(data.get(LE_SHORT, base + 2L * i));
    }
}
