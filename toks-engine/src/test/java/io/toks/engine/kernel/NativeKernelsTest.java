package io.toks.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.toks.engine.quant.RowQuantizer;
import io.toks.engine.tensor.BlockMatrix;
import io.toks.engine.tensor.GgmlType;
import io.toks.engine.tensor.Matrices;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The native products equal the reference (each type's plain dequantization, then a dot product
 * in double) once the activations are rounded as the kernels round them: int8 per 32 values.
 * Where the build made the library (gcc present) it must load; the test is skipped only where
 * the jar carries none.
 */
class NativeKernelsTest {

    @BeforeAll
    static void libraryLoadsWhereTheBuildMadeIt() {
        boolean built = NativeKernels.class.getResource(NativeKernels.RESOURCE) != null;
        // CI on a machine with gcc sets TOKS_REQUIRE_NATIVE: there a missing library is a failure, not a skip.
        if (System.getenv("TOKS_REQUIRE_NATIVE") != null) assertThat(built).as("native kernels were not built").isTrue();
        assumeTrue(built, "native kernels not built here (no gcc?)");
        assertThat(NativeKernels.available()).as(String.valueOf(NativeKernels.unavailableReason())).isTrue();
        assertThat(NativeKernels.isa()).isIn("avx512-vnni", "avx-vnni", "avx2");
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q4_K", "Q5_K", "Q6_K"})
    void productsEqualTheReferenceOnRoundedActivations(GgmlType type) {
        assumeTrue(NativeKernels.DECODE_TYPES.contains(type), type + ": no matrix x vector product in this build");
        boolean rounding = NativeKernels.ROUNDING_TYPES.contains(type);
        int unit = type.blockSize();
        Random random = new Random(type.ordinal());
        if (!rounding) unit = 32;
        for (int[] shape : new int[][] {{1, unit}, {3, 3 * unit}, {7, 5 * unit}, {33, 2 * unit}, {64, 8 * unit}, {5, rounding ? unit : 45}}) {
            int rows = shape[0], cols = shape[1];
            BlockMatrix m = randomMatrix(type, rows, cols, random);
            float[] x = new float[cols];
            for (int i = 0; i < cols; i++) x[i] = (float) (random.nextGaussian() * (i % 97 == 0 ? 8 : 1));
            float[] xq = rounding ? roundedAsTheKernels(x) : x;
            float[] out = new float[rows];
            int from = rows > 2 ? 1 : 0, to = rows > 2 ? rows - 1 : rows;
            NativeKernels.matVec(type, m.data(), m.rowBytes(), x, out, from, to, cols);
            float[] w = new float[cols];
            for (int r = 0; r < rows; r++) {
                if (r < from || r >= to) {
                    assertThat(out[r]).as("row outside the range is not written").isZero();
                    continue;
                }
                m.dequantizeRow(r, w);
                double exact = 0, onRounded = 0, magnitude = 0, roundingBound = 0;
                for (int i = 0; i < cols; i++) {
                    exact += (double) w[i] * x[i];
                    onRounded += (double) w[i] * xq[i];
                    magnitude += Math.abs((double) w[i] * xq[i]);
                    if (rounding) roundingBound += Math.abs(w[i]) * blockScale(x, i) / 2;
                }
                String what = type + " " + rows + "x" + cols + " row " + r;
                assertThat((double) out[r]).as(what + " vs rounded activations").isCloseTo(onRounded, org.assertj.core.data.Offset.offset(1e-5 * magnitude + 1e-6));
                assertThat(Math.abs(out[r] - exact)).as(what + " vs float activations").isLessThanOrEqualTo(roundingBound * 1.001 + 1e-5 * magnitude + 1e-6);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q8_0", "Q4_0", "Q4_1", "Q4_K", "Q5_K", "Q6_K"})
    void inputQuantizedOnceGivesTheSameProductsAsPerCall(GgmlType type) {
        Random random = new Random(7);
        int rows = 9, cols = 4 * 256;
        var m = (NativeMatrix) NativeMatrix.wrap(randomMatrix(type, rows, cols, random));
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) x[i] = (float) random.nextGaussian();
        float[] perCall = new float[rows], prepared = new float[rows];
        m.matVec(x, perCall, 0, rows);
        var quantized = new NativeInputs();
        m.quantizeInput(x, quantized);
        m.matVec(quantized, prepared, 0, 4);
        m.matVec(quantized, prepared, 4, rows);
        assertThat(prepared).containsExactly(perCall);
        assertThatThrownBy(() -> NativeKernels.matVec(type, m.unwrapped().data(), m.unwrapped().rowBytes(), quantized, 0, prepared, 0, 1, 256))
                .hasMessageContaining("1024");
    }

    /**
     * The batched kernels (quantized: row tiles of 16, tokens 4 at a time; float: 4 rows x 5
     * tokens) give each token's matrix x vector product; BF16 on BF16 activations (where the CPU
     * has BF16 products) within their rounding (half a unit in the last bit: sum |w x| / 512 for
     * BF16's 8 significant bits).
     */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q4_K", "Q5_K", "Q6_K"})
    void batchedProductsEqualTheMatrixVectorOnes(GgmlType type) {
        Random random = new Random(11);
        int rows = 37, cols = 2 * 256;
        var m = (NativeMatrix) NativeMatrix.wrap(randomMatrix(type, rows, cols, random));
        float[] w = new float[cols];
        int tested = 0;
        for (int n : new int[] {1, 3, 4, 7, 9}) {
            if (!m.multipliesNatively(n)) continue; // the Java product (tested elsewhere) or per-vector native kernels
            tested++;
            float[][] xs = new float[n][cols];
            for (float[] x : xs) for (int i = 0; i < cols; i++) x[i] = (float) random.nextGaussian();
            var prepared = new NativeInputs();
            m.prepareInputs(xs, n, prepared);
            float[][] batched = new float[n][rows];
            m.matMul(prepared, batched, 0, 16);
            m.matMul(prepared, batched, 16, rows); // a part tile of 5 rows
            for (int t = 0; t < n; t++) {
                float[] single = new float[rows];
                m.matVec(xs[t], single, 0, rows);
                for (int r = 0; r < rows; r++) {
                    double magnitude = magnitude(m, r, xs[t], w);
                    double rounding = prepared.form == NativeInputs.Form.BF16 ? magnitude / 512 : 0;
                    double tolerance = 1e-4 * (1 + Math.abs(single[r])) + rounding;
                    assertThat((double) batched[t][r]).as("%s n=%d token %d row %d", type, n, t, r)
                            .isCloseTo(single[r], org.assertj.core.data.Offset.offset(tolerance));
                }
            }
        }
        if (NativeKernels.hasBatched(type)) assertThat(tested).as("batch sizes run natively").isGreaterThanOrEqualTo(2);
    }

    /** sum |w_i x_i| over row r of m: the scale of the rounding a product of that row with x can carry. */
    private static double magnitude(NativeMatrix m, int r, float[] x, float[] w) {
        m.unwrapped().dequantizeRow(r, w);
        double magnitude = 0;
        for (int i = 0; i < x.length; i++) magnitude += Math.abs(w[i] * x[i]);
        return magnitude;
    }

    /**
     * Rows longer than the float kernel's slice (1024 columns) are multiplied slice by slice, the
     * sums of each added to those before; F16 rows widened a slice at a time. Each token's sums
     * equal its matrix x vector product to float rounding, on a length that splits into slices of
     * unequal length, two row ranges (the second starting inside the first group of rows and
     * spanning more than one group), a part block of tokens, and F16 rows of any length take
     * float activations.
     */
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "BF16"})
    void longRowsInSlicesEqualTheMatrixVectorProducts(GgmlType type) {
        Random random = new Random(17);
        int rows = 170, cols = 3 * 1024 + 96, n = 7;
        var m = (NativeMatrix) NativeMatrix.wrap(randomMatrix(type, rows, cols, random));
        org.junit.jupiter.api.Assumptions.assumeTrue(m.multipliesNatively(n), "no native batched " + type + " product in this build");
        float[][] xs = new float[n][cols];
        for (float[] x : xs) for (int i = 0; i < cols; i++) x[i] = (float) random.nextGaussian();
        var prepared = new NativeInputs();
        m.prepareInputs(xs, n, prepared);
        if (type != GgmlType.BF16) assertThat(prepared.form).isEqualTo(NativeInputs.Form.FLOATS);
        float[][] batched = new float[n][rows];
        m.matMul(prepared, batched, 0, 5);
        m.matMul(prepared, batched, 5, rows);
        float[] w = new float[cols];
        for (int t = 0; t < n; t++) {
            float[] single = new float[rows];
            m.matVec(xs[t], single, 0, rows);
            for (int r = 0; r < rows; r++) {
                double magnitude = magnitude(m, r, xs[t], w);
                // float sums in another order: a few units of float rounding of the magnitude;
                // BF16 activations (where the CPU has BF16 products) half a unit of their 8 bits
                double tolerance = 1e-5 * magnitude + (prepared.form == NativeInputs.Form.BF16 ? magnitude / 512 : 0);
                assertThat((double) batched[t][r]).as("%s token %d row %d", type, t, r)
                        .isCloseTo(single[r], org.assertj.core.data.Offset.offset(tolerance));
            }
        }
    }

    /**
     * SwiGLU's activation, natively and in Java, equals its definition silu(g) * u (in doubles)
     * to float rounding, on lengths that are not multiples of the vectors, values whose e^-g
     * overflows or underflows, and leaves what lies past n untouched.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 8, 15, 16, 17, 172, 1000})
    void siluMulEqualsItsDefinition(int n) {
        var random = new Random(n);
        for (Kernels kernels : Kernels.values()) {
            if (kernels == Kernels.NATIVE && !NativeKernels.available()) continue;
            float[] gate = new float[n + 3], up = new float[n + 3], expected = new float[n + 3];
            for (int i = 0; i < gate.length; i++) {
                gate[i] = (float) (i % 11 == 5 ? (i % 2 == 0 ? 120 : -120) * random.nextDouble() : 6 * random.nextGaussian());
                up[i] = (float) random.nextGaussian();
                double g = gate[i];
                expected[i] = i < n ? (float) (g / (1 + Math.exp(-g)) * up[i]) : gate[i];
            }
            kernels.siluMul(gate, up, n);
            for (int i = 0; i < gate.length; i++) {
                assertThat(gate[i]).as("%s, value %d", kernels, i)
                        .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-6f + 2e-6f * Math.abs(expected[i])));
            }
        }
    }

    /** The bandwidth probe's read loop sums what it reads (so it reads it all) and only that. */
    @Test
    void theReadLoopSumsItsRange() {
        assumeTrue(NativeKernels.available(), "no native library in this build");
        MemorySegment memory = Arena.ofAuto().allocate(4 * 4096, 64);
        for (int i = 0; i < 4096; i++) memory.setAtIndex(java.lang.foreign.ValueLayout.JAVA_FLOAT, i, i % 7);
        double expected = 0;
        for (int i = 256; i < 256 + 3 * 64; i++) expected += i % 7;
        assertThat(NativeKernels.readSum(memory, 4 * 256, 3 * 256)).isEqualTo((float) expected);
        assertThatThrownBy(() -> NativeKernels.readSum(memory, 4 * 4000, 1024)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void wrappingIsIdempotentAndUnwrapsToTheJavaMatrix() {
        BlockMatrix q4_0 = randomMatrix(GgmlType.Q4_0, 2, 64, new Random(1));
        var wrapped = NativeMatrix.wrap(q4_0);
        assertThat(wrapped).isInstanceOf(NativeMatrix.class);
        assertThat(NativeMatrix.wrap(wrapped)).isSameAs(wrapped);
        assertThat(NativeMatrix.unwrap(wrapped)).isSameAs(q4_0);
        assertThat(NativeMatrix.unwrap(q4_0)).isSameAs(q4_0);
        BlockMatrix f32 = Matrices.of(GgmlType.F32, Arena.ofAuto().allocate(2 * 64 * 4), 2, 64);
        assertThat(NativeMatrix.wrap(f32)).isInstanceOf(NativeMatrix.class); // for its batched product; decode stays Java
    }

    @Test
    void aLibraryBuiltForAnotherCpuIsRefusedByItsFlags() {
        var built = java.util.Set.of("avx2", "fma", "avx512_vnni");
        assertThat(NativeKernels.missingFlags(built, "flags\t\t: fpu avx2 fma avx512_vnni sse4_2")).isEmpty();
        assertThat(NativeKernels.missingFlags(built, "flags : fpu avx2 fma")).containsExactly("avx512_vnni");
    }

    @Test
    void rangesOutsideTheArraysAreRefused() {
        BlockMatrix m = randomMatrix(GgmlType.Q8_0, 4, 64, new Random(2));
        assertThatThrownBy(() -> NativeKernels.matVec(GgmlType.Q8_0, m.data(), m.rowBytes(), new float[64], new float[3], 0, 4, 64))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> NativeKernels.matVec(GgmlType.Q8_0, m.data(), m.rowBytes(), new float[64], new float[8], 0, 8, 64))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> NativeKernels.matVec(GgmlType.Q8_0, m.data(), m.rowBytes(), new float[63], new float[4], 0, 4, 64))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> NativeKernels.matVec(GgmlType.Q8_K, m.data(), m.rowBytes(), new float[64], new float[4], 0, 4, 64))
                .hasMessageContaining("no native matrix x vector product for Q8_K");
    }

    /** x as the kernels see it: per block of 32, d = max|x| / 127, x' = d * round-half-even(x * 127 / max|x|). */
    static float[] roundedAsTheKernels(float[] x) {
        float[] out = new float[x.length];
        for (int b = 0; b < x.length / 32; b++) {
            float max = 0;
            for (int i = 0; i < 32; i++) max = Math.max(max, Math.abs(x[32 * b + i]));
            float d = max / 127f, inv = max > 0 ? 127f / max : 0f;
            for (int i = 0; i < 32; i++) out[32 * b + i] = d * (float) Math.rint(x[32 * b + i] * inv);
        }
        return out;
    }

    private static float blockScale(float[] x, int i) {
        int b = i / 32;
        float max = 0;
        for (int k = 0; k < 32; k++) max = Math.max(max, Math.abs(x[32 * b + k]));
        return max / 127f;
    }

    /** F32, F16, BF16, Q8_0 and Q4_0 quantized from random floats; K-quant blocks random bytes with small f16 scales. */
    static BlockMatrix randomMatrix(GgmlType type, int rows, int cols, Random random) {
        long rowBytes = type.bytesFor(cols);
        MemorySegment data = Arena.ofAuto().allocate(rowBytes * rows);
        if (type != GgmlType.Q4_K && type != GgmlType.Q5_K && type != GgmlType.Q6_K) {
            float[] row = new float[cols];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < cols; i++) row[i] = (float) random.nextGaussian();
                RowQuantizer.quantize(type, row, cols, data, r * rowBytes);
            }
        } else {
            byte[] bytes = new byte[(int) (rowBytes * rows)];
            random.nextBytes(bytes);
            MemorySegment.copy(bytes, 0, data, ValueLayout.JAVA_BYTE, 0, bytes.length);
            var f16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            int blockBytes = type == GgmlType.Q4_K ? 144 : type == GgmlType.Q5_K ? 176 : 210;
            for (long at = 0; at < bytes.length; at += blockBytes) {
                if (type != GgmlType.Q6_K) {
                    data.set(f16, at, Float.floatToFloat16(0.01f + random.nextFloat() * 0.02f));
                    data.set(f16, at + 2, Float.floatToFloat16(0.005f + random.nextFloat() * 0.01f));
                } else {
                    data.set(f16, at + 208, Float.floatToFloat16(0.001f + random.nextFloat() * 0.002f));
                }
            }
        }
        return Matrices.of(type, data, rows, cols);
    }
}
