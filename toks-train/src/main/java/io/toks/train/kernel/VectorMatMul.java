package io.toks.train.kernel;

import io.toks.engine.math.VectorKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MatrixProduct} with the Vector API: C is computed in tiles of 4 rows x 3 vectors
 * (48 columns with AVX-512), each a dozen accumulators held in registers while k runs; per k a
 * tile loads 3 vectors of B and broadcasts 4 elements of A into 12 FMAs. k runs in blocks of
 * {@link #K_BLOCK}, so the block of B a column panel reads (K_BLOCK x 48 floats, 24 KiB) stays in
 * L1 while every row of the range passes over it. Narrower tails use 1-vector tiles, the last
 * columns a masked one; the last rows one at a time.
 *
 * <p>Every element of C is one sum over k in the same order whatever the tile, the row range or
 * the thread that computes it: results are identical bit for bit however rows are split across
 * threads, which is what makes training reproducible.
 */
public final class VectorMatMul {

    private static final VectorSpecies<Float> F = VectorKernels.F;
    private static final int L = F.length();
    static final int K_BLOCK = 128;

    private VectorMatMul() {}

    /** The whole product on the calling thread. */
    public static void compute(MatrixProduct p) {
        compute(p, 0, p.m());
    }

    /** Rows [rowFrom, rowTo) of C. */
    public static void compute(MatrixProduct p, int rowFrom, int rowTo) {
        int n = p.n(), k = p.k();
        if (!p.accumulate()) {
            for (int i = rowFrom; i < rowTo; i++) {
                int at = p.cOffset() + i * p.cRowStride();
                java.util.Arrays.fill(p.c(), at, at + n, 0f);
            }
        }
        for (int k0 = 0; k0 < k; k0 += K_BLOCK) {
            int k1 = Math.min(k, k0 + K_BLOCK);
            int j = 0;
            for (; j + 3 * L <= n; j += 3 * L) {
                int i = rowFrom;
                for (; i + 4 <= rowTo; i += 4) tile4x3(p, i, j, k0, k1);
                for (; i < rowTo; i++) tile1x3(p, i, j, k0, k1);
            }
            for (; j < n; j += L) {
                VectorMask<Float> mask = F.indexInRange(j, n);
                int i = rowFrom;
                for (; i + 4 <= rowTo; i += 4) tile4x1(p, i, j, k0, k1, mask);
                for (; i < rowTo; i++) tile1x1(p, i, j, k0, k1, mask);
            }
        }
    }

    private static void tile4x3(MatrixProduct p, int i, int j, int k0, int k1) {
        float[] a = p.a(), b = p.b();
        int rs = p.aRowStride(), cs = p.aColStride(), bs = p.bRowStride();
        int a0 = p.aOffset() + i * rs, a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs;
        int bAt = p.bOffset() + k0 * bs + j;
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00;
        for (int kk = k0; kk < k1; kk++, bAt += bs) {
            FloatVector b0 = FloatVector.fromArray(F, b, bAt);
            FloatVector b1 = FloatVector.fromArray(F, b, bAt + L);
            FloatVector b2 = FloatVector.fromArray(F, b, bAt + 2 * L);
            int off = kk * cs;
            FloatVector x = FloatVector.broadcast(F, a[a0 + off]);
            c00 = b0.fma(x, c00); c01 = b1.fma(x, c01); c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(F, a[a1 + off]);
            c10 = b0.fma(x, c10); c11 = b1.fma(x, c11); c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(F, a[a2 + off]);
            c20 = b0.fma(x, c20); c21 = b1.fma(x, c21); c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(F, a[a3 + off]);
            c30 = b0.fma(x, c30); c31 = b1.fma(x, c31); c32 = b2.fma(x, c32);
        }
        float alpha = p.alpha();
        int c = p.cOffset() + i * p.cRowStride() + j, crs = p.cRowStride();
        add3(p.c(), c, alpha, c00, c01, c02);
        add3(p.c(), c + crs, alpha, c10, c11, c12);
        add3(p.c(), c + 2 * crs, alpha, c20, c21, c22);
        add3(p.c(), c + 3 * crs, alpha, c30, c31, c32);
    }

    private static void tile1x3(MatrixProduct p, int i, int j, int k0, int k1) {
        float[] a = p.a(), b = p.b();
        int cs = p.aColStride(), bs = p.bRowStride();
        int a0 = p.aOffset() + i * p.aRowStride();
        int bAt = p.bOffset() + k0 * bs + j;
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00;
        for (int kk = k0; kk < k1; kk++, bAt += bs) {
            FloatVector x = FloatVector.broadcast(F, a[a0 + kk * cs]);
            c00 = FloatVector.fromArray(F, b, bAt).fma(x, c00);
            c01 = FloatVector.fromArray(F, b, bAt + L).fma(x, c01);
            c02 = FloatVector.fromArray(F, b, bAt + 2 * L).fma(x, c02);
        }
        add3(p.c(), p.cOffset() + i * p.cRowStride() + j, p.alpha(), c00, c01, c02);
    }

    private static void tile4x1(MatrixProduct p, int i, int j, int k0, int k1, VectorMask<Float> mask) {
        float[] a = p.a(), b = p.b();
        int rs = p.aRowStride(), cs = p.aColStride(), bs = p.bRowStride();
        int a0 = p.aOffset() + i * rs, a1 = a0 + rs, a2 = a1 + rs, a3 = a2 + rs;
        int bAt = p.bOffset() + k0 * bs + j;
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
        for (int kk = k0; kk < k1; kk++, bAt += bs) {
            FloatVector b0 = FloatVector.fromArray(F, b, bAt, mask);
            int off = kk * cs;
            c0 = b0.fma(FloatVector.broadcast(F, a[a0 + off]), c0);
            c1 = b0.fma(FloatVector.broadcast(F, a[a1 + off]), c1);
            c2 = b0.fma(FloatVector.broadcast(F, a[a2 + off]), c2);
            c3 = b0.fma(FloatVector.broadcast(F, a[a3 + off]), c3);
        }
        int c = p.cOffset() + i * p.cRowStride() + j, crs = p.cRowStride();
        add1(p.c(), c, p.alpha(), c0, mask);
        add1(p.c(), c + crs, p.alpha(), c1, mask);
        add1(p.c(), c + 2 * crs, p.alpha(), c2, mask);
        add1(p.c(), c + 3 * crs, p.alpha(), c3, mask);
    }

    private static void tile1x1(MatrixProduct p, int i, int j, int k0, int k1, VectorMask<Float> mask) {
        float[] a = p.a(), b = p.b();
        int cs = p.aColStride(), bs = p.bRowStride();
        int a0 = p.aOffset() + i * p.aRowStride();
        int bAt = p.bOffset() + k0 * bs + j;
        FloatVector c0 = FloatVector.zero(F);
        for (int kk = k0; kk < k1; kk++, bAt += bs) {
            c0 = FloatVector.fromArray(F, b, bAt, mask).fma(FloatVector.broadcast(F, a[a0 + kk * cs]), c0);
        }
        add1(p.c(), p.cOffset() + i * p.cRowStride() + j, p.alpha(), c0, mask);
    }

    private static void add3(float[] c, int at, float alpha, FloatVector v0, FloatVector v1, FloatVector v2) {
        FloatVector a = FloatVector.broadcast(F, alpha);
        v0.fma(a, FloatVector.fromArray(F, c, at)).intoArray(c, at);
        v1.fma(a, FloatVector.fromArray(F, c, at + L)).intoArray(c, at + L);
        v2.fma(a, FloatVector.fromArray(F, c, at + 2 * L)).intoArray(c, at + 2 * L);
    }

    private static void add1(float[] c, int at, float alpha, FloatVector v, VectorMask<Float> mask) {
        v.fma(FloatVector.broadcast(F, alpha), FloatVector.fromArray(F, c, at, mask)).intoArray(c, at, mask);
    }
}
