package io.toks.engine.math;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the hot kernels; {@link ScalarKernels} holds the reference for each.
 * The species is the platform's preferred one (512-bit on AVX-512, 256-bit on AVX2). Summation
 * order differs from the scalar reference, so results agree within float rounding, not bitwise.
 */
public final class VectorKernels {

    /**
     * The platform's preferred width, or the width set with {@code -Dtoks.vector.bits=256|512}
     * (e.g. {@code TOKS_JVM_OPTS=-Dtoks.vector.bits=256 ./toks bench ...}) to compare widths.
     */
    public static final VectorSpecies<Float> F = chooseSpecies(Integer.getInteger("toks.vector.bits", 0));
    private static final int L = F.length();
    /** Half-width species for tails and short vectors (attention heads of 8 in tiny models). */
    private static final VectorSpecies<Float> H = FloatVector.SPECIES_256.length() < L ? FloatVector.SPECIES_256 : FloatVector.SPECIES_128;
    private static final int HL = H.length();
    /** Halves and bytes of L lanes, widened to floats of F: the KV cache's F16 and Q8_0 elements. */
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, jdk.incubator.vector.VectorShape.forBitSize(Math.max(64, L * 16)));
    private static final VectorSpecies<Byte> B = VectorSpecies.of(byte.class, jdk.incubator.vector.VectorShape.forBitSize(Math.max(64, L * 8)));
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Whether halves and bytes widen lane for lane (L of 4 has no 32-bit byte vector): else scalar. */
    private static final boolean WIDEN_OK = S.length() == L && B.length() == L;
    private static final float TWO_POW_112 = Float.intBitsToFloat(0x77800000);

    private VectorKernels() {}

    private static VectorSpecies<Float> chooseSpecies(int bits) {
        if (bits == 0) return FloatVector.SPECIES_PREFERRED;
        if (bits > FloatVector.SPECIES_PREFERRED.vectorBitSize() || (bits != 128 && bits != 256 && bits != 512)) {
            throw new IllegalArgumentException("toks.vector.bits=" + bits + " is not available here (128, 256 or up to "
                    + FloatVector.SPECIES_PREFERRED.vectorBitSize() + ")");
        }
        return VectorSpecies.of(float.class, jdk.incubator.vector.VectorShape.forBitSize(bits));
    }

    /** Bits per vector register the kernels use. */
    public static int vectorBits() {
        return F.vectorBitSize();
    }

    /** Dot product of n little-endian F32 values at byteOffset in w with x[0, n). */
    public static float dotF32(MemorySegment w, long byteOffset, float[] x, int n) {
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        // Two independent accumulators hide the FMA latency.
        for (int upper = n - 2 * L; i <= upper; i += 2 * L) {
            acc0 = FloatVector.fromMemorySegment(F, w, byteOffset + 4L * i, ByteOrder.LITTLE_ENDIAN)
                    .fma(FloatVector.fromArray(F, x, i), acc0);
            acc1 = FloatVector.fromMemorySegment(F, w, byteOffset + 4L * (i + L), ByteOrder.LITTLE_ENDIAN)
                    .fma(FloatVector.fromArray(F, x, i + L), acc1);
        }
        for (int upper = n - L; i <= upper; i += L) {
            acc0 = FloatVector.fromMemorySegment(F, w, byteOffset + 4L * i, ByteOrder.LITTLE_ENDIAN)
                    .fma(FloatVector.fromArray(F, x, i), acc0);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            sum += w.get(ScalarKernels.F32_LE, byteOffset + 4L * i) * x[i];
        }
        return sum;
    }

    /** Dot product of a[aOffset, aOffset + n) and b[bOffset, bOffset + n). */
    public static float dot(float[] a, int aOffset, float[] b, int bOffset, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (int upper = n - L; i <= upper; i += L) {
            acc = FloatVector.fromArray(F, a, aOffset + i).fma(FloatVector.fromArray(F, b, bOffset + i), acc);
        }
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (int upper = n - HL; i <= upper; i += HL) {
            sum += FloatVector.fromArray(H, a, aOffset + i).mul(FloatVector.fromArray(H, b, bOffset + i))
                    .reduceLanes(VectorOperators.ADD);
        }
        for (; i < n; i++) sum += a[aOffset + i] * b[bOffset + i];
        return sum;
    }

    /**
     * out[outOffset + p] = scale * sum over d < dims of q[qOffset + d] * keys[keysOffset + d * stride + p]
     * for p < n: dot products of q with n vectors stored transposed (one row of {@code stride}
     * per dimension). Positions fill the vector lanes, so no horizontal sum is needed: one
     * broadcast FMA per dimension and vector of positions, 4 vectors at a time, two dimensions
     * per step (8 independent FMA chains, faster than one: docs/performance.md, "Attention: two
     * dimensions per step in the scores"); the last up to 4 vectors masked, so short rows and
     * tails run at vector speed too (a scalar tail cost more than the vector part at a few
     * hundred positions).
     */
    public static void transposedDots(float[] q, int qOffset, float[] keys, int keysOffset, int stride, int dims, int n,
                                      float scale, float[] out, int outOffset) {
        for (int p = 0; p < n; p += 4 * L) {
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
            if (p + 4 * L <= n) {
                FloatVector b0 = FloatVector.zero(F), b1 = FloatVector.zero(F), b2 = FloatVector.zero(F), b3 = FloatVector.zero(F);
                int d = 0;
                for (; d + 2 <= dims; d += 2) { // two dimensions per step: 8 FMA chains
                    FloatVector qd = FloatVector.broadcast(F, q[qOffset + d]);
                    FloatVector qe = FloatVector.broadcast(F, q[qOffset + d + 1]);
                    int at = keysOffset + d * stride + p, next = at + stride;
                    a0 = FloatVector.fromArray(F, keys, at).fma(qd, a0);
                    a1 = FloatVector.fromArray(F, keys, at + L).fma(qd, a1);
                    a2 = FloatVector.fromArray(F, keys, at + 2 * L).fma(qd, a2);
                    a3 = FloatVector.fromArray(F, keys, at + 3 * L).fma(qd, a3);
                    b0 = FloatVector.fromArray(F, keys, next).fma(qe, b0);
                    b1 = FloatVector.fromArray(F, keys, next + L).fma(qe, b1);
                    b2 = FloatVector.fromArray(F, keys, next + 2 * L).fma(qe, b2);
                    b3 = FloatVector.fromArray(F, keys, next + 3 * L).fma(qe, b3);
                }
                if (d < dims) {
                    FloatVector qd = FloatVector.broadcast(F, q[qOffset + d]);
                    int at = keysOffset + d * stride + p;
                    a0 = FloatVector.fromArray(F, keys, at).fma(qd, a0);
                    a1 = FloatVector.fromArray(F, keys, at + L).fma(qd, a1);
                    a2 = FloatVector.fromArray(F, keys, at + 2 * L).fma(qd, a2);
                    a3 = FloatVector.fromArray(F, keys, at + 3 * L).fma(qd, a3);
                }
                a0.add(b0).mul(scale).intoArray(out, outOffset + p);
                a1.add(b1).mul(scale).intoArray(out, outOffset + p + L);
                a2.add(b2).mul(scale).intoArray(out, outOffset + p + 2 * L);
                a3.add(b3).mul(scale).intoArray(out, outOffset + p + 3 * L);
            } else {
                VectorMask<Float> m0 = F.indexInRange(p, n), m1 = F.indexInRange(p + L, n);
                VectorMask<Float> m2 = F.indexInRange(p + 2 * L, n), m3 = F.indexInRange(p + 3 * L, n);
                for (int d = 0; d < dims; d++) {
                    FloatVector qd = FloatVector.broadcast(F, q[qOffset + d]);
                    int at = keysOffset + d * stride + p;
                    a0 = FloatVector.fromArray(F, keys, at, m0).fma(qd, a0);
                    a1 = FloatVector.fromArray(F, keys, at + L, m1).fma(qd, a1);
                    a2 = FloatVector.fromArray(F, keys, at + 2 * L, m2).fma(qd, a2);
                    a3 = FloatVector.fromArray(F, keys, at + 3 * L, m3).fma(qd, a3);
                }
                a0.mul(scale).intoArray(out, outOffset + p, m0);
                a1.mul(scale).intoArray(out, outOffset + p + L, m1);
                a2.mul(scale).intoArray(out, outOffset + p + 2 * L, m2);
                a3.mul(scale).intoArray(out, outOffset + p + 3 * L, m3);
            }
        }
    }

    /**
     * {@link #transposedDots} for {@code count} (2 to 4) queries at once (attention heads sharing
     * a key head), query j at qOffset + j * qStride, its dots at outOffset + j * outStride: each
     * key vector loaded serves 4 queries (4 queries x 4 vectors of positions = 16 FMA chains),
     * where one query at a time was bound by loading the keys from L2. Fewer than 4 repeat the
     * last query and drop its extra results (3 heads per group: llama-3.2-3b, SmolLM2).
     */
    public static void transposedDots4(int count, float[] q, int qOffset, int qStride, float[] keys, int keysOffset, int stride,
                                       int dims, int n, float scale, float[] out, int outOffset, int outStride) {
        int q1 = qOffset + Math.min(1, count - 1) * qStride, q2 = qOffset + Math.min(2, count - 1) * qStride;
        int q3 = qOffset + Math.min(3, count - 1) * qStride;
        int p = 0;
        for (; p + 4 * L <= n; p += 4 * L) {
            FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
            FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
            for (int d = 0; d < dims; d++) {
                int at = keysOffset + d * stride + p;
                FloatVector k0 = FloatVector.fromArray(F, keys, at), k1 = FloatVector.fromArray(F, keys, at + L);
                FloatVector k2 = FloatVector.fromArray(F, keys, at + 2 * L), k3 = FloatVector.fromArray(F, keys, at + 3 * L);
                FloatVector b = FloatVector.broadcast(F, q[qOffset + d]);
                a00 = k0.fma(b, a00); a01 = k1.fma(b, a01); a02 = k2.fma(b, a02); a03 = k3.fma(b, a03);
                b = FloatVector.broadcast(F, q[q1 + d]);
                a10 = k0.fma(b, a10); a11 = k1.fma(b, a11); a12 = k2.fma(b, a12); a13 = k3.fma(b, a13);
                b = FloatVector.broadcast(F, q[q2 + d]);
                a20 = k0.fma(b, a20); a21 = k1.fma(b, a21); a22 = k2.fma(b, a22); a23 = k3.fma(b, a23);
                b = FloatVector.broadcast(F, q[q3 + d]);
                a30 = k0.fma(b, a30); a31 = k1.fma(b, a31); a32 = k2.fma(b, a32); a33 = k3.fma(b, a33);
            }
            int o = outOffset + p;
            store(a00.mul(scale), a01.mul(scale), a02.mul(scale), a03.mul(scale), out, o);
            store(a10.mul(scale), a11.mul(scale), a12.mul(scale), a13.mul(scale), out, o + outStride);
            if (count > 2) store(a20.mul(scale), a21.mul(scale), a22.mul(scale), a23.mul(scale), out, o + 2 * outStride);
            if (count > 3) store(a30.mul(scale), a31.mul(scale), a32.mul(scale), a33.mul(scale), out, o + 3 * outStride);
        }
        if (p == n) return;
        // The last positions (fewer than 4 vectors) one query at a time: masks in the 4-query
        // loop do not stay in registers, which measured far slower (docs/performance.md,
        // "Attention: the last positions one query at a time").
        for (int j = 0; j < count; j++) {
            transposedDots(q, qOffset + j * qStride, keys, keysOffset + p, stride, dims, n - p, scale, out, outOffset + j * outStride + p);
        }
    }

    /**
     * {@link #weightedSum} for {@code count} (2 to 4) weight rows at once (attention heads
     * sharing a value head), row j at weightsOffset + j * weightsStride, its sum at outOffset + j
     * * outStride: each value vector loaded serves 4 sums. As {@link #weightedSum} is
     * {@link #transposedDots} with the roles swapped, this is {@link #transposedDots4} with them
     * swapped (fewer than 4 rows repeat the last; dims past the last 4 vector lengths one row at a time).
     */
    public static void weightedSum4(int count, float[] weights, int weightsOffset, int weightsStride, int n, float[] values,
                                    int valuesOffset, int stride, int dims, float[] out, int outOffset, int outStride) {
        transposedDots4(count, weights, weightsOffset, weightsStride, values, valuesOffset, stride, n, dims, 1f, out, outOffset, outStride);
    }

    private static void store(FloatVector a0, FloatVector a1, FloatVector a2, FloatVector a3, float[] out, int at) {
        a0.intoArray(out, at);
        a1.intoArray(out, at + L);
        a2.intoArray(out, at + 2 * L);
        a3.intoArray(out, at + 3 * L);
    }

    /**
     * out[outOffset + d] = sum over p < n of weights[weightsOffset + p] * values[valuesOffset + p * stride + d]
     * for d < dims: the weighted sum of n vectors stored one after another, {@code stride}
     * apart. It is {@link #transposedDots}'s product with the roles swapped (the weights are its
     * query, the n vectors its rows of {@code stride}, the dims its positions), so it runs that
     * kernel: the sum stays in registers across the vectors (an axpy per vector instead loads and
     * stores it every time, a chain through memory that measured slower: docs/performance.md,
     * "Attention: weighted sums with the sum held in registers").
     */
    public static void weightedSum(float[] weights, int weightsOffset, int n, float[] values, int valuesOffset, int stride,
                                   int dims, float[] out, int outOffset) {
        transposedDots(weights, weightsOffset, values, valuesOffset, stride, n, dims, 1f, out, outOffset);
    }

    /**
     * dst[dstOffset + i] = the IEEE binary16 value src[srcOffset + i], for i < n. Without a
     * table: the half's bits moved to a float's position (sign to bit 31, exponent and mantissa to
     * bits 27..13) give a float 2^112 times too small, normal and subnormal halves alike, so one
     * multiply finishes (as F16Matrix; infinities and NaNs become large finite values, which a KV
     * cache of finite activations never holds).
     */
    public static void f16ToFloat(short[] src, int srcOffset, float[] dst, int dstOffset, int n) {
        int i = 0;
        if (WIDEN_OK) {
            for (; i + L <= n; i += L) widenHalves(src, srcOffset + i).intoArray(dst, dstOffset + i);
        }
        for (; i < n; i++) dst[dstOffset + i] = Float.float16ToFloat(src[srcOffset + i]);
    }

    private static FloatVector widenHalves(short[] src, int at) {
        IntVector h = (IntVector) ShortVector.fromArray(S, src, at).convertShape(VectorOperators.S2I, I, 0);
        return h.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 3).and(0x8FFFE000).reinterpretAsFloats()
                .mul(TWO_POW_112);
    }

    /**
     * dst[dstOffset + i] = q[qOffset + i] * scales[scalesOffset + i] (an F16 scale per element),
     * for i < n: a Q8_0 key cache stored transposed keeps one scale per position in each row.
     */
    public static void q8ToFloat(byte[] q, int qOffset, short[] scales, int scalesOffset, float[] dst, int dstOffset, int n) {
        int i = 0;
        if (WIDEN_OK) {
            for (; i + L <= n; i += L) {
                ((FloatVector) ByteVector.fromArray(B, q, qOffset + i).convertShape(VectorOperators.B2F, F, 0))
                        .mul(widenHalves(scales, scalesOffset + i)).intoArray(dst, dstOffset + i);
            }
        }
        for (; i < n; i++) dst[dstOffset + i] = q[qOffset + i] * Float.float16ToFloat(scales[scalesOffset + i]);
    }

    /** dst[dstOffset + i] = q[qOffset + i] * scale for i < n: values of one Q8_0 block. */
    public static void q8ToFloat(byte[] q, int qOffset, float scale, float[] dst, int dstOffset, int n) {
        int i = 0;
        if (WIDEN_OK) {
            FloatVector s = FloatVector.broadcast(F, scale);
            for (; i + L <= n; i += L) {
                ((FloatVector) ByteVector.fromArray(B, q, qOffset + i).convertShape(VectorOperators.B2F, F, 0)).mul(s)
                        .intoArray(dst, dstOffset + i);
            }
        }
        for (; i < n; i++) dst[dstOffset + i] = q[qOffset + i] * scale;
    }

    /** y[yOffset + i] += alpha * x[xOffset + i] for i in [0, n). */
    public static void axpy(float alpha, float[] x, int xOffset, float[] y, int yOffset, int n) {
        FloatVector a = FloatVector.broadcast(F, alpha);
        int i = 0;
        for (int upper = n - L; i <= upper; i += L) {
            FloatVector.fromArray(F, x, xOffset + i).fma(a, FloatVector.fromArray(F, y, yOffset + i))
                    .intoArray(y, yOffset + i);
        }
        for (int upper = n - HL; i <= upper; i += HL) {
            FloatVector.fromArray(H, x, xOffset + i).fma(FloatVector.broadcast(H, alpha), FloatVector.fromArray(H, y, yOffset + i))
                    .intoArray(y, yOffset + i);
        }
        for (; i < n; i++) y[yOffset + i] += alpha * x[xOffset + i];
    }

    /**
     * In-place softmax over x[offset, offset + n). The exponential is the Vector API's lane-wise
     * EXP (an intrinsic on x86), which matters for attention: one exp per cached position per head
     * per layer per token.
     *
     * @return the log of the sum of exp(x) before normalizing (max + log(sum of exp(x - max))):
     *         what merging the softmaxes of parts of a row needs (flash-decoding)
     */
    public static float softmax(float[] x, int offset, int n) {
        int i = 0;
        FloatVector maxV = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        for (int upper = n - L; i <= upper; i += L) maxV = maxV.max(FloatVector.fromArray(F, x, offset + i));
        float max = maxV.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) max = Math.max(max, x[offset + i]);

        FloatVector sumV = FloatVector.zero(F);
        FloatVector maxB = FloatVector.broadcast(F, max);
        i = 0;
        for (int upper = n - L; i <= upper; i += L) {
            FloatVector e = FloatVector.fromArray(F, x, offset + i).sub(maxB).lanewise(VectorOperators.EXP);
            e.intoArray(x, offset + i);
            sumV = sumV.add(e);
        }
        float sum = sumV.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(x[offset + i] - max);
            x[offset + i] = e;
            sum += e;
        }
        FloatVector inv = FloatVector.broadcast(F, 1.0f / sum);
        i = 0;
        for (int upper = n - L; i <= upper; i += L) {
            FloatVector.fromArray(F, x, offset + i).mul(inv).intoArray(x, offset + i);
        }
        for (; i < n; i++) x[offset + i] /= sum;
        return max + (float) Math.log(sum);
    }

    /** gate[i] = silu(gate[i]) * up[i] for i in [0, n): SwiGLU's elementwise step. */
    public static void siluMul(float[] gate, float[] up, int n) {
        FloatVector one = FloatVector.broadcast(F, 1f);
        int i = 0;
        for (int upper = n - L; i <= upper; i += L) {
            FloatVector g = FloatVector.fromArray(F, gate, i);
            FloatVector sig = one.div(one.add(g.neg().lanewise(VectorOperators.EXP)));
            g.mul(sig).mul(FloatVector.fromArray(F, up, i)).intoArray(gate, i);
        }
        for (; i < n; i++) gate[i] = ScalarKernels.silu(gate[i]) * up[i];
    }

    /**
     * out[t][row] = w . xs[t] for t < n: one weight row against a batch of activations. Four
     * activations at a time share each weight load, which keeps the loop FMA-bound rather than
     * load-bound.
     */
    public static void dotBatch(float[] w, int cols, float[][] xs, int n, float[][] out, int row) {
        int t = 0;
        for (; t + 4 <= n; t += 4) {
            float[] x0 = xs[t], x1 = xs[t + 1], x2 = xs[t + 2], x3 = xs[t + 3];
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
            int i = 0;
            for (int upper = cols - L; i <= upper; i += L) {
                FloatVector wv = FloatVector.fromArray(F, w, i);
                a0 = wv.fma(FloatVector.fromArray(F, x0, i), a0);
                a1 = wv.fma(FloatVector.fromArray(F, x1, i), a1);
                a2 = wv.fma(FloatVector.fromArray(F, x2, i), a2);
                a3 = wv.fma(FloatVector.fromArray(F, x3, i), a3);
            }
            float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
            float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
            for (; i < cols; i++) {
                s0 += w[i] * x0[i];
                s1 += w[i] * x1[i];
                s2 += w[i] * x2[i];
                s3 += w[i] * x3[i];
            }
            out[t][row] = s0;
            out[t + 1][row] = s1;
            out[t + 2][row] = s2;
            out[t + 3][row] = s3;
        }
        for (; t < n; t++) out[t][row] = dot(w, 0, xs[t], 0, cols);
    }

    /**
     * Four weight rows (back to back in w) against a batch, three activations at a time: a 4 x 3
     * tile of twelve accumulators, seven loads feed twelve FMAs: faster than the 2 x 4 tile, while
     * a 4 x 4 tile spills (measured: docs/performance.md, "Java prefill tile").
     */
    public static void dotBatch4x3(float[] w, int cols, float[][] xs, int n, float[][] out, int row) {
        int t = 0;
        int vectorEnd = cols - cols % L;
        for (; t + 3 <= n; t += 3) {
            float[] x0 = xs[t], x1 = xs[t + 1], x2 = xs[t + 2];
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F);
            FloatVector b0 = FloatVector.zero(F), b1 = FloatVector.zero(F), b2 = FloatVector.zero(F);
            FloatVector c0 = FloatVector.zero(F), c1 = FloatVector.zero(F), c2 = FloatVector.zero(F);
            FloatVector d0 = FloatVector.zero(F), d1 = FloatVector.zero(F), d2 = FloatVector.zero(F);
            for (int i = 0; i < vectorEnd; i += L) {
                FloatVector y0 = FloatVector.fromArray(F, x0, i);
                FloatVector y1 = FloatVector.fromArray(F, x1, i);
                FloatVector y2 = FloatVector.fromArray(F, x2, i);
                FloatVector u = FloatVector.fromArray(F, w, i);
                a0 = u.fma(y0, a0); a1 = u.fma(y1, a1); a2 = u.fma(y2, a2);
                u = FloatVector.fromArray(F, w, cols + i);
                b0 = u.fma(y0, b0); b1 = u.fma(y1, b1); b2 = u.fma(y2, b2);
                u = FloatVector.fromArray(F, w, 2 * cols + i);
                c0 = u.fma(y0, c0); c1 = u.fma(y1, c1); c2 = u.fma(y2, c2);
                u = FloatVector.fromArray(F, w, 3 * cols + i);
                d0 = u.fma(y0, d0); d1 = u.fma(y1, d1); d2 = u.fma(y2, d2);
            }
            store3(out, t, row, a0, a1, a2);
            store3(out, t, row + 1, b0, b1, b2);
            store3(out, t, row + 2, c0, c1, c2);
            store3(out, t, row + 3, d0, d1, d2);
            for (int i = vectorEnd; i < cols; i++) { // scalar tail of the rows (cols not a multiple of L)
                for (int r = 0; r < 4; r++) {
                    float wv = w[r * cols + i];
                    out[t][row + r] += wv * x0[i];
                    out[t + 1][row + r] += wv * x1[i];
                    out[t + 2][row + r] += wv * x2[i];
                }
            }
        }
        for (; t < n; t++) {
            for (int r = 0; r < 4; r++) out[t][row + r] = dot(w, r * cols, xs[t], 0, cols);
        }
    }

    private static void store3(float[][] out, int t, int row, FloatVector s0, FloatVector s1, FloatVector s2) {
        out[t][row] = s0.reduceLanes(VectorOperators.ADD);
        out[t + 1][row] = s1.reduceLanes(VectorOperators.ADD);
        out[t + 2][row] = s2.reduceLanes(VectorOperators.ADD);
    }
}
