package io.toks.engine.math;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.toks.engine.tensor.F32Matrix;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each Vector API kernel equals its scalar reference within float rounding, for odd sizes too. */
class VectorKernelsTest {

    private static final ValueLayout.OfFloat LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Relative tolerance: reassociating a sum of n products costs about n * 2^-24 relative error per term magnitude. */
    private static double tolerance(float[] a, float[] b, int n) {
        double absSum = 0;
        for (int i = 0; i < n; i++) absSum += Math.abs(a[i] * b[i]);
        return 1e-6 * absSum * Math.max(1, Math.log(n + 1)) + 1e-30;
    }

    private static float[] random(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 172, 255, 256, 257, 1000, 4097})
    void dotF32MatchesScalar(int n) {
        Random r = new Random(n);
        float[] w = random(r, n + 3);
        float[] x = random(r, n);
        MemorySegment seg = Arena.ofAuto().allocate(4L * w.length, 64);
        MemorySegment.copy(w, 0, seg, LE, 0, w.length);
        for (int shift = 0; shift < 3; shift++) { // unaligned starts too
            float[] ws = java.util.Arrays.copyOfRange(w, shift, shift + n);
            float expected = ScalarKernels.dotF32(seg, 4L * shift, x, n);
            assertThat(VectorKernels.dotF32(seg, 4L * shift, x, n)).isCloseTo(expected, within((float) tolerance(ws, x, n)));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 5, 8, 16, 17, 64, 127})
    void dotAndAxpyOnArraysMatchScalar(int n) {
        Random r = new Random(31 * n);
        float[] a = random(r, n + 5), b = random(r, n + 9);
        float expected = ScalarKernels.dot(a, 2, b, 7, n);
        float[] as = java.util.Arrays.copyOfRange(a, 2, 2 + n), bs = java.util.Arrays.copyOfRange(b, 7, 7 + n);
        assertThat(VectorKernels.dot(a, 2, b, 7, n)).isCloseTo(expected, within((float) tolerance(as, bs, n)));

        float[] y1 = random(r, n + 4), y2 = y1.clone();
        ScalarKernels.axpy(0.37f, a, 1, y1, 3, Math.min(n, y1.length - 3));
        VectorKernels.axpy(0.37f, a, 1, y2, 3, Math.min(n, y2.length - 3));
        for (int i = 0; i < y1.length; i++) assertThat(y2[i]).isCloseTo(y1[i], within(1e-5f * (1 + Math.abs(y1[i]))));
    }

    /** Dots against vectors stored transposed (a key cache) equal the scalar dot of each gathered vector. */
    @ParameterizedTest
    @ValueSource(ints = {1, 15, 16, 17, 63, 64, 65, 130, 257})
    void transposedDotsMatchScalarDots(int n) {
        Random r = new Random(7 * n);
        int dims = 24, stride = n + 11, offset = 3 * stride, scoresAt = 5;
        float[] keys = random(r, offset + dims * stride), q = random(r, dims + 2);
        float[] out = new float[scoresAt + n + 1];
        out[scoresAt + n] = 42f; // past the end: untouched
        VectorKernels.transposedDots(q, 2, keys, offset, stride, dims, n, 0.5f, out, scoresAt);
        float[] key = new float[dims], qs = java.util.Arrays.copyOfRange(q, 2, 2 + dims);
        for (int p = 0; p < n; p++) {
            for (int d = 0; d < dims; d++) key[d] = keys[offset + d * stride + p];
            float expected = 0.5f * ScalarKernels.dot(qs, 0, key, 0, dims);
            assertThat(out[scoresAt + p]).as("position %d", p).isCloseTo(expected, within((float) tolerance(qs, key, dims)));
        }
        assertThat(out[scoresAt + n]).isEqualTo(42f);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 17, 64, 172})
    void f32MatVecMatchesReference(int cols) {
        Random r = new Random(cols);
        int rows = 37;
        float[] w = random(r, rows * cols);
        MemorySegment seg = Arena.ofAuto().allocate(4L * w.length, 64);
        MemorySegment.copy(w, 0, seg, LE, 0, w.length);
        var m = new F32Matrix(seg, rows, cols);
        float[] x = random(r, cols);
        float[] fast = new float[rows], ref = new float[rows];
        m.matVec(x, fast, 0, rows);
        m.matVecReference(x, ref, 0, rows);
        for (int i = 0; i < rows; i++) {
            float[] row = java.util.Arrays.copyOfRange(w, i * cols, (i + 1) * cols);
            assertThat(fast[i]).isCloseTo(ref[i], within((float) tolerance(row, x, cols)));
        }
        float[] row5 = new float[cols];
        m.copyRow(5, row5);
        assertThat(row5).containsExactly(java.util.Arrays.copyOfRange(w, 5 * cols, 6 * cols));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 10, 513})
    void softmaxSumsToOneAndKeepsOrder(int n) {
        float[] x = random(new Random(n), n);
        float[] p = x.clone();
        ScalarKernels.softmax(p, 0, n);
        double sum = 0;
        for (float v : p) sum += v;
        assertThat(sum).isCloseTo(1.0, within(1e-5));
        for (int i = 1; i < n; i++) assertThat(Float.compare(p[i], p[0])).isEqualTo(Float.compare(x[i], x[0]));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 16, 33, 172, 513})
    void vectorSoftmaxAndSiluMatchScalar(int n) {
        Random r = new Random(n * 7L);
        float[] x = random(r, n + 4);
        for (int i = 0; i < x.length; i++) x[i] *= 8; // wide range: exercises the max subtraction
        float[] ref = x.clone(), fast = x.clone();
        ScalarKernels.softmax(ref, 2, n);
        VectorKernels.softmax(fast, 2, n);
        for (int i = 0; i < x.length; i++) assertThat(fast[i]).isCloseTo(ref[i], within(1e-6f + 1e-5f * Math.abs(ref[i])));

        float[] gate = random(r, n), up = random(r, n);
        float[] g1 = gate.clone(), g2 = gate.clone();
        ScalarKernels.siluMul(g1, up, n);
        VectorKernels.siluMul(g2, up, n);
        for (int i = 0; i < n; i++) assertThat(g2[i]).isCloseTo(g1[i], within(1e-6f + 1e-5f * Math.abs(g1[i])));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 15, 16, 37, 64, 100})
    void batchTilesMatchScalarDots(int cols) {
        Random r = new Random(cols * 13L);
        int n = 7; // two groups of three activations and one left over
        float[] w = random(r, 4 * cols);
        float[][] xs = new float[n][];
        for (int t = 0; t < n; t++) xs[t] = random(r, cols);
        float[][] out = new float[n][6];
        VectorKernels.dotBatch4x3(w, cols, xs, n, out, 1);
        VectorKernels.dotBatch(java.util.Arrays.copyOfRange(w, 0, cols), cols, xs, n, out, 5);
        for (int t = 0; t < n; t++) {
            for (int row = 0; row < 4; row++) {
                float[] wr = java.util.Arrays.copyOfRange(w, row * cols, (row + 1) * cols);
                float expected = ScalarKernels.dot(wr, 0, xs[t], 0, cols);
                assertThat(out[t][1 + row]).as("t=%d row=%d", t, row).isCloseTo(expected, within((float) tolerance(wr, xs[t], cols)));
            }
            float[] w0 = java.util.Arrays.copyOfRange(w, 0, cols);
            assertThat(out[t][5]).isCloseTo(ScalarKernels.dot(w0, 0, xs[t], 0, cols), within((float) tolerance(w0, xs[t], cols)));
        }
    }
}
