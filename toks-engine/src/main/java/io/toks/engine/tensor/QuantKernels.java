package io.toks.engine.tensor;

import io.toks.engine.math.VectorKernels;
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

    /**
     * Per-thread scratch of the decode kernels, so the per-token path allocates nothing:
     * block sums of the activations, and a super-block's unpacked scales and minimums.
     */
    static final class Scratch {
        float[] sums = new float[0];
        final int[] scales = new int[8];
        final int[] mins = new int[8];
    }

    static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * Sums of x over consecutive blocks of {@code block} values, in the thread's scratch (valid
     * until the thread's next call).
     */
    static float[] blockSums(float[] x, int n, int block) {
        Scratch scratch = SCRATCH.get();
        if (scratch.sums.length < n / block) scratch.sums = new float[n / block];
        float[] sums = scratch.sums;
        for (int b = 0; b < n / block; b++) {
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
