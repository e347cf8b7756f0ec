package io.toks.engine.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.toks.engine.synth.RandomWeights;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every type's fast matrix-vector product equals dequantize-then-dot within float rounding. */
class BlockMatrixTest {

    static Stream<Arguments> cases() {
        return Matrices.SUPPORTED.stream().flatMap(t -> {
            int unit = Math.max(t.blockSize(), 32);
            return Stream.of(Arguments.of(t, 1, unit), Arguments.of(t, 7, 2 * unit), Arguments.of(t, 33, 3 * unit),
                    Arguments.of(t, 5, 8 * unit));
        });
    }

    @ParameterizedTest(name = "{0} {1}x{2}")
    @MethodSource("cases")
    void fastProductMatchesReference(GgmlType type, int rows, int cols) {
        MemorySegment data = Arena.ofAuto().allocate(type.bytesFor((long) rows * cols), 64);
        RandomWeights.fill(type, data, (long) rows * cols, 1.0f, rows * 31L + cols);
        BlockMatrix m = Matrices.of(type, data, rows, cols);
        Random random = new Random(cols);
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) x[i] = (float) random.nextGaussian();

        float[] fast = new float[rows], ref = new float[rows];
        m.matVec(x, fast, 0, rows);
        m.matVecReference(x, ref, 0, rows);
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            m.dequantizeRow(r, row);
            double magnitude = 0;
            for (int i = 0; i < cols; i++) {
                assertThat(row[i]).isFinite();
                magnitude += Math.abs(row[i] * x[i]);
            }
            assertThat(fast[r]).as("%s row %d", type, r).isCloseTo(ref[r], within((float) (1e-5 * magnitude + 1e-6)));
        }
        float[] copy = new float[cols];
        m.copyRow(rows - 1, copy);
        assertThat(copy).containsExactly(row);
    }
}
