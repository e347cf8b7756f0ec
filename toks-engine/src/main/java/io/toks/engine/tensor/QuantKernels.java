package io.toks.engine.tensor;

import io.toks.engine.kernel.VectorKernels;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/** Vector species shared by the block-type kernels. */
final class QuantKernels {

    static final VectorSpecies<Float> F = VectorKernels.F;
    static final int L = F.length();
    /** Bytes that widen to one float vector: 16 bytes for 512-bit floats, 8 for 256-bit. */
    static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, VectorShape.forBitSize(Math.max(64, L * 8)));
    /**
     * The block kernels step through 16- and 32-element groups L lanes at a time, so they need
     * L to divide 16; other widths use the reference path.
     */
    static final boolean VECTOR_OK = (L == 8 || L == 16) && B.length() == L;

    /** Int lanes as wide as the float vector. */
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());

    private QuantKernels() {}

    /** Sums of x over consecutive blocks of {@code block} values. */
    static float[] blockSums(float[] x, int n, int block) {
        float[] sums = new float[n / block];
        for (int b = 0; b < sums.length; b++) {
            float s = 0;
            for (int j = 0; j < block; j++) s += x[b * block + j];
            sums[b] = s;
        }
        return sums;
    }

    /** The L signed bytes at {@code bytes} widened to floats. */
    static FloatVector widen(ByteVector bytes) {
        return (FloatVector) bytes.convertShape(jdk.incubator.vector.VectorOperators.B2F, F, 0);
    }
}
