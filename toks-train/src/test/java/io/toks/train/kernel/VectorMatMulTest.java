package io.toks.train.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.engine.parallel.WorkerPool;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** {@link VectorMatMul} and {@link ParallelMatMul} against the plain {@link ScalarMatMul}. */
class VectorMatMulTest {

    @ParameterizedTest(name = "{0} x {1} x {2}, A transposed {3}, accumulate {4}")
    @CsvSource({
            "1, 1, 1, false, false",
            "4, 48, 128, false, false",
            "7, 50, 3, false, true",
            "13, 17, 300, true, false",
            "33, 97, 129, true, true",
            "5, 8, 0, false, true",
            "64, 160, 70, false, false",
            "3, 700, 40, false, false",
            "5, 1000, 9, true, true"})
    void agreesWithTheScalarReference(int m, int n, int k, boolean transposedA, boolean accumulate) {
        var random = new SplittableRandom(m * 31L + n * 7L + k);
        // Views inside larger arrays, with padding between rows: offsets and strides are exercised too.
        int aRows = transposedA ? k : m, aCols = transposedA ? m : k, aStride = aCols + 3;
        float[] a = fill(random, 5 + aRows * aStride);
        float[] b = fill(random, 2 + k * (n + 1));
        float[] c1 = fill(random, 4 + m * (n + 2)), c2 = c1.clone(), c3 = c1.clone();
        MatrixProduct expected = product(m, n, k, transposedA, accumulate, a, aStride, b, c1);
        ScalarMatMul.compute(expected);
        VectorMatMul.compute(product(m, n, k, transposedA, accumulate, a, aStride, b, c2));
        try (var pool = new WorkerPool(3)) {
            new ParallelMatMul(pool).compute(product(m, n, k, transposedA, accumulate, a, aStride, b, c3));
        }
        for (int i = 0; i < c1.length; i++) {
            assertThat(c2[i]).as("element %d", i).isCloseTo(c1[i], org.assertj.core.data.Offset.offset(1e-4f * (1 + k)));
        }
        assertThat(c3).as("the same bits on threads as on one").isEqualTo(c2);
    }

    @Test
    void aViewPastItsArrayIsRefused() {
        assertThatThrownBy(() -> new MatrixProduct(2, 2, 2, new float[3], 0, 2, 1, new float[4], 0, 2, new float[4], 0, 2, 1f, false))
                .hasMessage("A view of 4 floats from 0 exceeds its array of 3");
    }

    private static MatrixProduct product(int m, int n, int k, boolean transposedA, boolean accumulate, float[] a, int aStride,
                                         float[] b, float[] c) {
        return transposedA
                ? new MatrixProduct(m, n, k, a, 5, 1, aStride, b, 2, n + 1, c, 4, n + 2, 0.5f, accumulate)
                : new MatrixProduct(m, n, k, a, 5, aStride, 1, b, 2, n + 1, c, 4, n + 2, 0.5f, accumulate);
    }

    private static float[] fill(SplittableRandom random, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) random.nextDouble(-1, 1);
        return x;
    }
}
