package io.toks.engine.math;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Plain, obviously correct reference implementations of every kernel. The fast kernels are
 * tested against these; they are never on a hot path.
 */
public final class ScalarKernels {

    static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ScalarKernels() {}

    /** Sum over i of w[i] * x[i], where w is n little-endian floats at byteOffset. */
    public static float dotF32(MemorySegment w, long byteOffset, float[] x, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) {
            sum += w.get(F32_LE, byteOffset + 4L * i) * x[i];
        }
        return sum;
    }

    /** out = weight * x / sqrt(mean(x^2) + eps), as Llama's RMSNorm. */
    public static void rmsNorm(float[] out, float[] x, float[] weight, int n, float eps) {
        float ss = 0;
        for (int i = 0; i < n; i++) ss += x[i] * x[i];
        float scale = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (int i = 0; i < n; i++) out[i] = weight[i] * (scale * x[i]);
    }

    /** In-place softmax over x[offset, offset + n), subtracting the max for stability. */
    public static void softmax(float[] x, int offset, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, x[offset + i]);
        float sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[offset + i] - max);
            x[offset + i] = e;
            sum += e;
        }
        for (int i = 0; i < n; i++) x[offset + i] /= sum;
    }

    /** Sum over i of a[aOffset + i] * b[bOffset + i]. */
    public static float dot(float[] a, int aOffset, float[] b, int bOffset, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) sum += a[aOffset + i] * b[bOffset + i];
        return sum;
    }

    /** y[yOffset + i] += alpha * x[xOffset + i]. */
    public static void axpy(float alpha, float[] x, int xOffset, float[] y, int yOffset, int n) {
        for (int i = 0; i < n; i++) y[yOffset + i] += alpha * x[xOffset + i];
    }

    /** SiLU (swish): x * sigmoid(x). */
    public static float silu(float x) {
        return x / (1.0f + (float) Math.exp(-x));
    }

    /** gate[i] = silu(gate[i]) * up[i]. */
    public static void siluMul(float[] gate, float[] up, int n) {
        for (int i = 0; i < n; i++) gate[i] = silu(gate[i]) * up[i];
    }
}
