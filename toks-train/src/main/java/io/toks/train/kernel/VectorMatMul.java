package io.toks.train.kernel;

import io.toks.engine.math.VectorKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MatrixProduct} with the Vector API, blocked for the caches as BLAS libraries do (Goto's
 * scheme): rows in blocks of {@link #M_BLOCK} (their part of C stays in L2 while k runs over
 * them), k in blocks of {@link #K_BLOCK}. Per pair of blocks A is copied into groups of 4 rows
 * stored k-major, and B, one panel of 3 vectors' width (48 columns with AVX-512) at a time, into
 * its rows back to back. The micro-kernel multiplies a group by a panel: a tile of 4 rows x 3
 * vectors held in 12 accumulators while k runs, per k 3 vector loads of the panel and 4
 * broadcasts of consecutive floats of the group into 12 FMAs, every load sequential (a 4 x 4 or
 * 8 x 3 tile needs more registers than C2 gives the loop, and it falls off the fast path).
 *
 * <p>Packing is what makes it fast (measured: docs/performance.md, "Training matrix products"):
 * rows of B a power of two floats apart fall into the same few L1 sets, and a strided A costs a
 * bounds check per scalar load; a packed panel (24 KiB) stays in L1 while the row block's groups
 * pass over it, so copying it costs a few percent. Edges are padded with zeros in the packs and
 * left out when C is written, so one kernel serves every shape.
 *
 * <p>Every element of C is one sum over k in the same order whatever the tile, the row range or
 * the thread that computes it: results are identical bit for bit however rows are split across
 * threads, which is what makes training reproducible.
 */
public final class VectorMatMul {

    private static final VectorSpecies<Float> F = VectorKernels.F;
    private static final int L = F.length();
    /** Columns of a panel: the micro-kernel's width. */
    private static final int PANEL = 3 * L;
    static final int K_BLOCK = 128;
    static final int M_BLOCK = 128;

    /** Each thread's packing buffers, grown to the largest product it has run. */
    private static final ThreadLocal<float[][]> PACKS = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[0]});

    private VectorMatMul() {}

    /** Columns of C one micro-kernel tile covers: where a split of the columns must fall. */
    public static int panelWidth() {
        return PANEL;
    }

    /** The whole product on the calling thread. */
    public static void compute(MatrixProduct p) {
        compute(p, 0, p.m());
    }

    /** Rows [rowFrom, rowTo) of C. */
    public static void compute(MatrixProduct p, int rowFrom, int rowTo) {
        compute(p, rowFrom, rowTo, 0, p.n());
    }

    /** Rows [rowFrom, rowTo), columns [colFrom, colTo) of C; colFrom a multiple of {@link #panelWidth()} or 0. */
    public static void compute(MatrixProduct p, int rowFrom, int rowTo, int colFrom, int colTo) {
        int k = p.k();
        if (rowFrom >= rowTo || colFrom >= colTo) return;
        if (!p.accumulate()) {
            for (int i = rowFrom; i < rowTo; i++) {
                int at = p.cOffset() + i * p.cRowStride();
                java.util.Arrays.fill(p.c(), at + colFrom, at + colTo, 0f);
            }
        }
        if (k == 0) return;
        float[][] packs = PACKS.get();
        if (packs[0].length < M_BLOCK * K_BLOCK) packs[0] = new float[M_BLOCK * K_BLOCK];
        if (packs[1].length < PANEL * K_BLOCK) packs[1] = new float[PANEL * K_BLOCK];
        float[] aPack = packs[0], bPack = packs[1];
        // Row blocks outermost: the block's rows of C (M_BLOCK x the columns) stay in L2 while k runs over them.
        for (int m0 = rowFrom; m0 < rowTo; m0 += M_BLOCK) {
            int mb = Math.min(M_BLOCK, rowTo - m0);
            for (int k0 = 0; k0 < k; k0 += K_BLOCK) {
                int kc = Math.min(K_BLOCK, k - k0);
                packA(p, m0, mb, k0, kc, aPack);
                for (int j = colFrom; j < colTo; j += PANEL) {
                    int width = Math.min(PANEL, colTo - j);
                    int vectors = (width + L - 1) / L;
                    packB(p, k0, kc, j, width, bPack);
                    for (int g = 0; g < mb; g += 4) {
                        int rows = Math.min(4, mb - g), c = p.cOffset() + (m0 + g) * p.cRowStride() + j;
                        switch (vectors) {
                            case 3 -> tile3(aPack, g * kc, kc, bPack, 0, p.c(), c, p.cRowStride(), rows, width, p.alpha());
                            case 2 -> tile2(aPack, g * kc, kc, bPack, 0, p.c(), c, p.cRowStride(), rows, width, p.alpha());
                            default -> tile1(aPack, g * kc, kc, bPack, 0, p.c(), c, p.cRowStride(), rows, width, p.alpha());
                        }
                    }
                }
            }
        }
    }

    /**
     * Rows [k0, k0 + kc), columns [j, j + width) of B as one panel, row after row, each row its
     * vectors x L floats (the last vector zero-padded past the width).
     */
    private static void packB(MatrixProduct p, int k0, int kc, int j, int width, float[] pack) {
        float[] b = p.b();
        int vectors = (width + L - 1) / L, stride = vectors * L;
        int whole = width / L; // vectors that need no mask
        VectorMask<Float> tail = F.indexInRange(whole * L, width);
        for (int kk = 0, to = 0; kk < kc; kk++, to += stride) {
            int from = p.bOffset() + (k0 + kk) * p.bRowStride() + j;
            for (int v = 0; v < whole; v++) FloatVector.fromArray(F, b, from + v * L).intoArray(pack, to + v * L);
            if (whole < vectors) FloatVector.fromArray(F, b, from + whole * L, tail).intoArray(pack, to + whole * L);
        }
    }

    /** Rows [m0, m0 + mb) of A, columns [k0, k0 + kc), as groups of 4 rows stored k-major (missing rows zero). */
    private static void packA(MatrixProduct p, int m0, int mb, int k0, int kc, float[] pack) {
        float[] a = p.a();
        int rs = p.aRowStride(), cs = p.aColStride();
        for (int g = 0; g < mb; g += 4) {
            int base = g * kc, rows = Math.min(4, mb - g);
            int from = p.aOffset() + (m0 + g) * rs + k0 * cs;
            if (rows == 4 && rs == 1) {
                // A transposed (dYᵀ, Pᵀ): the group's 4 rows lie side by side at each k
                for (int kk = 0; kk < kc; kk++) {
                    int at = from + kk * cs, to = base + 4 * kk;
                    pack[to] = a[at];
                    pack[to + 1] = a[at + 1];
                    pack[to + 2] = a[at + 2];
                    pack[to + 3] = a[at + 3];
                }
                continue;
            }
            for (int r = 0; r < 4; r++) {
                if (r >= rows) {
                    for (int kk = 0; kk < kc; kk++) pack[base + 4 * kk + r] = 0f;
                    continue;
                }
                int row = from + r * rs;
                for (int kk = 0; kk < kc; kk++) pack[base + 4 * kk + r] = a[row + kk * cs];
            }
        }
    }

    private static void tile3(float[] a, int at, int kc, float[] b, int bt, float[] c, int ct, int crs, int rows, int width, float alpha) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00, c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c30 = c00, c31 = c00, c32 = c00;
        for (int kk = 0; kk < kc; kk++) {
            int bk = bt + kk * PANEL, ak = at + 4 * kk;
            FloatVector b0 = FloatVector.fromArray(F, b, bk), b1 = FloatVector.fromArray(F, b, bk + L), b2 = FloatVector.fromArray(F, b, bk + 2 * L);
            FloatVector x = FloatVector.broadcast(F, a[ak]);
            c00 = b0.fma(x, c00); c01 = b1.fma(x, c01); c02 = b2.fma(x, c02);
            x = FloatVector.broadcast(F, a[ak + 1]);
            c10 = b0.fma(x, c10); c11 = b1.fma(x, c11); c12 = b2.fma(x, c12);
            x = FloatVector.broadcast(F, a[ak + 2]);
            c20 = b0.fma(x, c20); c21 = b1.fma(x, c21); c22 = b2.fma(x, c22);
            x = FloatVector.broadcast(F, a[ak + 3]);
            c30 = b0.fma(x, c30); c31 = b1.fma(x, c31); c32 = b2.fma(x, c32);
        }
        store(c, ct, width, alpha, c00, c01, c02);
        if (rows > 1) store(c, ct + crs, width, alpha, c10, c11, c12);
        if (rows > 2) store(c, ct + 2 * crs, width, alpha, c20, c21, c22);
        if (rows > 3) store(c, ct + 3 * crs, width, alpha, c30, c31, c32);
    }

    private static void tile2(float[] a, int at, int kc, float[] b, int bt, float[] c, int ct, int crs, int rows, int width, float alpha) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int kk = 0; kk < kc; kk++) {
            int bk = bt + kk * 2 * L, ak = at + 4 * kk;
            FloatVector b0 = FloatVector.fromArray(F, b, bk), b1 = FloatVector.fromArray(F, b, bk + L);
            FloatVector x = FloatVector.broadcast(F, a[ak]);
            c00 = b0.fma(x, c00); c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(F, a[ak + 1]);
            c10 = b0.fma(x, c10); c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(F, a[ak + 2]);
            c20 = b0.fma(x, c20); c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(F, a[ak + 3]);
            c30 = b0.fma(x, c30); c31 = b1.fma(x, c31);
        }
        FloatVector none = FloatVector.zero(F);
        store(c, ct, width, alpha, c00, c01, none);
        if (rows > 1) store(c, ct + crs, width, alpha, c10, c11, none);
        if (rows > 2) store(c, ct + 2 * crs, width, alpha, c20, c21, none);
        if (rows > 3) store(c, ct + 3 * crs, width, alpha, c30, c31, none);
    }

    private static void tile1(float[] a, int at, int kc, float[] b, int bt, float[] c, int ct, int crs, int rows, int width, float alpha) {
        FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
        for (int kk = 0; kk < kc; kk++) {
            int ak = at + 4 * kk;
            FloatVector b0 = FloatVector.fromArray(F, b, bt + kk * L);
            c0 = b0.fma(FloatVector.broadcast(F, a[ak]), c0);
            c1 = b0.fma(FloatVector.broadcast(F, a[ak + 1]), c1);
            c2 = b0.fma(FloatVector.broadcast(F, a[ak + 2]), c2);
            c3 = b0.fma(FloatVector.broadcast(F, a[ak + 3]), c3);
        }
        FloatVector none = FloatVector.zero(F);
        store(c, ct, width, alpha, c0, none, none);
        if (rows > 1) store(c, ct + crs, width, alpha, c1, none, none);
        if (rows > 2) store(c, ct + 2 * crs, width, alpha, c2, none, none);
        if (rows > 3) store(c, ct + 3 * crs, width, alpha, c3, none, none);
    }

    /** C[at, at + width) += alpha · (v0 | v1 | v2), the last vector masked to the width. */
    private static void store(float[] c, int at, int width, float alpha, FloatVector v0, FloatVector v1, FloatVector v2) {
        FloatVector a = FloatVector.broadcast(F, alpha);
        add(c, at, width, a, v0);
        if (width > L) add(c, at + L, width - L, a, v1);
        if (width > 2 * L) add(c, at + 2 * L, width - 2 * L, a, v2);
    }

    private static void add(float[] c, int at, int left, FloatVector alpha, FloatVector v) {
        if (left >= L) {
            v.fma(alpha, FloatVector.fromArray(F, c, at)).intoArray(c, at);
        } else {
            VectorMask<Float> m = F.indexInRange(0, left);
            v.fma(alpha, FloatVector.fromArray(F, c, at, m)).intoArray(c, at, m);
        }
    }
}
