package io.toks.train.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.engine.math.VectorKernels;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** {@link ReproducibleMath} against {@code Math}: the exponential within a few ulps, softmax against the plain reference. */
class ReproducibleMathTest {

    @Test
    void expIsWithinThreeUlpsOverTheRangeSoftmaxAndSiluUse() {
        int lanes = VectorKernels.F.length();
        float[] x = new float[lanes], y = new float[lanes];
        for (float start = -87f; start < 88f; start += 0.37f * lanes) {
            for (int i = 0; i < lanes; i++) x[i] = start + 0.37f * i;
            ReproducibleMath.exp(FloatVector.fromArray(VectorKernels.F, x, 0)).intoArray(y, 0);
            for (int i = 0; i < lanes; i++) {
                if (x[i] > 88f) continue; // clamped: beyond the documented range
                float expected = (float) Math.exp(x[i]);
                assertThat(Math.abs(y[i] - expected)).as("exp(%s)", x[i]).isLessThanOrEqualTo(3 * Math.ulp(expected));
            }
        }
    }

    @Test
    void softmaxMatchesTheScalarReferenceAndReturnsTheSumOfExponentials() {
        float[] x = new float[37];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 1.7) * 5;
        float[] expected = x.clone();
        io.toks.engine.math.ScalarKernels.softmax(expected, 0, expected.length);
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) max = Math.max(max, v);
        double sum = 0;
        for (float v : x) sum += Math.exp(v - max);
        float[] actual = x.clone();
        assertThat((double) ReproducibleMath.softmax(actual, 0, actual.length)).isCloseTo(sum, org.assertj.core.data.Percentage.withPercentage(1e-4));
        for (int i = 0; i < x.length; i++) assertThat(actual[i]).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-6f));
    }
}
