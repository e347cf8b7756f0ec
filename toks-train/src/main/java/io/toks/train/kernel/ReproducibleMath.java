package io.toks.train.kernel;

import io.toks.engine.math.VectorKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector kernels whose results do not depend on how the JVM runs them. Two Vector API operations
 * do: {@code lanewise(EXP)} (compiled code calls Intel's SVML, the interpreter {@code Math.exp})
 * and {@code reduceLanes(ADD)} (free to reorder the sum). A training step that starts in the
 * interpreter would then differ in its last bits from the same step compiled, and a run resumed
 * in a fresh JVM from one that went on. Here the exponential is built from additions,
 * multiplications, FMAs and exact conversions only (Cephes' {@code expf}: e^x = 2^n · e^r,
 * |r| ≤ ln 2 / 2, a degree-6 polynomial, about 1 ulp), and lanes are summed in index order.
 */
public final class ReproducibleMath {

    private static final VectorSpecies<Float> F = VectorKernels.F;
    private static final int L = F.length();
    /** Adding 1.5 · 2^23 rounds a float below 2^22 to an integer (round to nearest even). */
    private static final float ROUNDING = 12582912f;
    private static final float LOG2E = 1.44269504088896341f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** Past these, 2^n leaves the normal floats: e^88 is near the largest float, e^-87.3 near the smallest normal. */
    private static final float MAX = 88f, MIN = -87.33654f;

    private ReproducibleMath() {}

    /** e^x per lane; x is clamped to [-87.3, 88] (results below the smallest normal float round up to it). */
    public static FloatVector exp(FloatVector x) {
        x = x.max(MIN).min(MAX);
        FloatVector shifted = x.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, ROUNDING));
        FloatVector n = shifted.sub(ROUNDING);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), x);
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = FloatVector.broadcast(F, 1.9875691500e-4f);
        p = p.fma(r, FloatVector.broadcast(F, 1.3981999507e-3f));
        p = p.fma(r, FloatVector.broadcast(F, 8.3334519073e-3f));
        p = p.fma(r, FloatVector.broadcast(F, 4.1665795894e-2f));
        p = p.fma(r, FloatVector.broadcast(F, 1.6666665459e-1f));
        p = p.fma(r, FloatVector.broadcast(F, 5.0000001201e-1f));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        IntVector exponent = (IntVector) n.convert(VectorOperators.F2I, 0);
        FloatVector scale = exponent.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return y.mul(scale);
    }

    /** The lanes of v summed in index order. */
    public static float sum(FloatVector v) {
        float[] lanes = v.toArray();
        float s = 0;
        for (float x : lanes) s += x;
        return s;
    }

    /**
     * In-place softmax of x[offset, offset + n), the maximum subtracted first.
     *
     * @return the sum of the exponentials (after the subtraction), for a log-sum-exp
     */
    public static float softmax(float[] x, int offset, int n) {
        float max = Float.NEGATIVE_INFINITY;
        int i = 0;
        for (; i + L <= n; i += L) max = Math.max(max, FloatVector.fromArray(F, x, offset + i).reduceLanes(VectorOperators.MAX));
        for (; i < n; i++) max = Math.max(max, x[offset + i]);
        float sum = exponentiate(x, offset, n, max);
        float inv = 1f / sum;
        for (i = 0; i + L <= n; i += L) FloatVector.fromArray(F, x, offset + i).mul(inv).intoArray(x, offset + i);
        for (; i < n; i++) x[offset + i] *= inv;
        return sum;
    }

    /** x[i] = e^(x[i] - shift) over [offset, offset + n); returns their sum. */
    public static float exponentiate(float[] x, int offset, int n, float shift) {
        FloatVector s = FloatVector.broadcast(F, shift), sum = FloatVector.zero(F);
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> mask = F.indexInRange(i, n);
            FloatVector e = exp(FloatVector.fromArray(F, x, offset + i, mask).sub(s));
            e.intoArray(x, offset + i, mask);
            sum = sum.add(e, mask);
        }
        return sum(sum);
    }
}
