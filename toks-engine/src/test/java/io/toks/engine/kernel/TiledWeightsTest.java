package io.toks.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.toks.engine.tensor.BlockMatrix;
import io.toks.engine.tensor.GgmlType;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The product of pre-tiled Q4_0, Q8_0, Q4_K and Q6_K weights equals its plain C reference (value by value
 * from the tiles) and the row-major kernel on the same rounded activations, for row counts and
 * ranges that are not multiples of the tile, and every batch size up to past two token groups;
 * so packing keeps every value and the vector kernel reads the layout it was given.
 */
class TiledWeightsTest {

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q4_0", "Q8_0", "Q4_K", "Q6_K"})
    void tiledProductsEqualTheReferenceAndTheRowKernel(GgmlType type) {
        Random random = new Random(type.ordinal() * 31L);
        int unit = type.blockSize();
        for (int[] shape : new int[][] {{1, 1}, {16, 2}, {37, 3}, {100, 2048 / unit}, {5, 13}}) {
            int rows = shape[0], cols = shape[1] * unit;
            BlockMatrix m = NativeKernelsTest.randomMatrix(type, rows, cols, random);
            TiledWeights tiled = TiledWeights.of(m);
            assumeTrue(tiled != null, "no tiled product in this build (it needs AVX-512 VNNI)");
            for (int n : new int[] {1, 2, 3, 7, 8, 9, 17}) {
                float[][] xs = new float[n][cols];
                for (float[] x : xs) for (int i = 0; i < cols; i++) x[i] = (float) (random.nextGaussian() * (i % 37 == 0 ? 6 : 1));
                NativeInputs in = new NativeInputs();
                NativeKernels.quantize(xs, n, cols, in);
                int from = rows > 3 ? 3 : 0, to = rows > 3 ? rows - 1 : rows, width = to - from;
                float[] fast = new float[n * width], reference = new float[n * width];
                tiled.matMul(in, fast, width, from, from, to);
                tiled.matMulReference(in, reference, width, from, from, to);
                float[] w = new float[cols];
                for (int t = 0; t < n; t++) {
                    float[] rowKernel = new float[rows];
                    NativeKernels.matVec(type, m.data(), m.rowBytes(), in, t, rowKernel, from, to, cols);
                    for (int r = from; r < to; r++) {
                        float want = rowKernel[r];
                        m.dequantizeRow(r, w);
                        double magnitude = 0; // float sums in another order differ by a few ulps of the sum of |terms|
                        for (int i = 0; i < cols; i++) magnitude += Math.abs(w[i] * xs[t][i]);
                        Offset<Float> rounding = Offset.offset((float) (1e-5 * magnitude + 1e-6));
                        String what = type + " " + rows + "x" + cols + " n=" + n + " token " + t + " row " + r;
                        assertThat(fast[t * width + r - from]).as(what + " vs reference").isCloseTo(reference[t * width + r - from], rounding);
                        assertThat(fast[t * width + r - from]).as(what + " vs row kernel").isCloseTo(want, rounding);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q4_0", "Q8_0", "Q4_K", "Q6_K"})
    void aMatrixIsPackedOnceAndRangesOutsideItAreRefused(GgmlType type) {
        BlockMatrix m = NativeKernelsTest.randomMatrix(type, 20, 256, new Random(3));
        TiledWeights tiled = TiledWeights.of(m);
        assumeTrue(tiled != null, "no tiled product in this build");
        assertThat(TiledWeights.of(m)).isSameAs(tiled);
        NativeInputs in = new NativeInputs();
        NativeKernels.quantize(new float[256], 256, in);
        assertThatThrownBy(() -> tiled.matMul(in, new float[20], 0, 0, 0, 21)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> tiled.matMul(in, new float[10], 0, 0, 0, 20)).isInstanceOf(IndexOutOfBoundsException.class);
        NativeInputs wrongWidth = new NativeInputs();
        NativeKernels.quantize(new float[32], 32, wrongWidth);
        assertThatThrownBy(() -> tiled.matMul(wrongWidth, new float[20], 0, 0, 0, 20)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q4_1", "Q5_K", "F16"})
    void otherTypesHaveNoTiles(GgmlType type) {
        BlockMatrix m = NativeKernelsTest.randomMatrix(type, 4, 256, new Random(5));
        assertThat(TiledWeights.of(m)).isNull();
    }
}
