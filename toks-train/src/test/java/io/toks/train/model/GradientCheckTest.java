package io.toks.train.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every analytic gradient of the double-precision reference equals central finite differences
 * (relative error below 1e-5, as the norm of the difference over the larger norm): each layer's
 * gradient with respect to each of its inputs and parameters, then every parameter tensor of a
 * whole tiny model, with tied and untied output heads and grouped key/value heads.
 */
class GradientCheckTest {

    private static final double STEP = 1e-5;
    private static final double TOLERANCE = 1e-5;

    private final SplittableRandom random = new SplittableRandom(42);

    @Test
    void rmsNorm() {
        double[][] x = matrix(6, 8, 1.0);
        double[] g = vector(8, 1.0, 0.5);
        double[][] weights = matrix(6, 8, 1.0); // the objective: sum of weights * output
        double[] dg = new double[8];
        double[][] dx = ReferenceLayers.rmsNormBackward(weights, x, g, 1e-5, dg);
        Supplier<Double> objective = () -> dotAll(weights, ReferenceLayers.rmsNorm(x, g, 1e-5));
        check("rmsnorm dx", dx, x, objective);
        check("rmsnorm dgain", new double[][] {dg}, new double[][] {g}, objective);
    }

    @Test
    void linear() {
        double[][] x = matrix(5, 6, 1.0), w = matrix(4, 6, 1.0), weights = matrix(5, 4, 1.0);
        double[][] dw = new double[4][6];
        double[][] dx = ReferenceLayers.linearBackward(weights, x, w, dw);
        Supplier<Double> objective = () -> dotAll(weights, ReferenceLayers.linear(x, w));
        check("linear dx", dx, x, objective);
        check("linear dW", dw, w, objective);
    }

    @Test
    void rope() {
        double[][] x = matrix(6, 8, 1.0), weights = matrix(6, 8, 1.0);
        double[][] dx = ReferenceLayers.ropeBackward(weights, 4, 3, 10000);
        check("rope dx", dx, x, () -> dotAll(weights, ReferenceLayers.rope(x, 4, 3, 10000, false)));
    }

    @Test
    void causalGroupedAttention() {
        int heads = 4, kvHeads = 2, hs = 4, seq = 5, rows = 2 * seq;
        double[][] q = matrix(rows, heads * hs, 1.0), k = matrix(rows, kvHeads * hs, 1.0), v = matrix(rows, kvHeads * hs, 1.0);
        double[][] weights = matrix(rows, heads * hs, 1.0);
        double[][][] d = ReferenceLayers.attentionBackward(weights, q, k, v, heads, kvHeads, seq);
        Supplier<Double> objective = () -> dotAll(weights, ReferenceLayers.attention(q, k, v, heads, kvHeads, seq));
        check("attention dq", d[0], q, objective);
        check("attention dk", d[1], k, objective);
        check("attention dv", d[2], v, objective);
    }

    @Test
    void swiglu() {
        double[][] gate = matrix(4, 6, 2.0), up = matrix(4, 6, 1.0), weights = matrix(4, 6, 1.0);
        double[][][] d = ReferenceLayers.swigluBackward(weights, gate, up);
        Supplier<Double> objective = () -> dotAll(weights, ReferenceLayers.swiglu(gate, up));
        check("swiglu dgate", d[0], gate, objective);
        check("swiglu dup", d[1], up, objective);
    }

    @Test
    void crossEntropy() {
        double[][] logits = matrix(5, 7, 3.0);
        int[] targets = {0, 6, 3, 3, 1};
        check("cross-entropy dlogits", ReferenceLayers.crossEntropyBackward(logits, targets), logits,
                () -> ReferenceLayers.crossEntropy(logits, targets));
    }

    @ParameterizedTest(name = "tied embeddings: {0}")
    @ValueSource(booleans = {false, true})
    void everyParameterTensorOfAWholeModel(boolean tied) {
        var config = new ModelConfig(8, 12, 2, 4, 2, 7, 5, 10000f, 1e-5f, tied);
        var layout = new Parameters(config);
        double[] w = new double[layout.size()];
        for (Parameters.Tensor t : layout.tensors()) {
            for (int i = 0; i < t.size(); i++) w[t.offset() + i] = t.decays() ? random.nextDouble(-0.6, 0.6) : random.nextDouble(0.6, 1.4);
        }
        int[] inputs = {1, 2, 3, 4, 5, 6, 0, 0, 2, 5};
        int[] targets = {2, 3, 4, 5, 6, 0, 1, 2, 5, 1};
        var model = new ReferenceTransformer(layout, 5);
        double[] grad = new double[w.length];
        model.lossAndGradient(w, inputs, targets, grad);
        for (Parameters.Tensor t : layout.tensors()) {
            double[] analytic = new double[t.size()], numeric = new double[t.size()];
            for (int i = 0; i < t.size(); i++) {
                int at = t.offset() + i;
                double keep = w[at];
                w[at] = keep + STEP;
                double plus = model.loss(w, inputs, targets);
                w[at] = keep - STEP;
                double minus = model.loss(w, inputs, targets);
                w[at] = keep;
                numeric[i] = (plus - minus) / (2 * STEP);
                analytic[i] = grad[at];
            }
            assertThat(relativeError(analytic, numeric)).as(t.name()).isLessThan(TOLERANCE);
            assertThat(norm(analytic)).as(t.name() + " gradient is not trivially zero").isGreaterThan(1e-6);
        }
    }

    /** Central differences of objective with respect to every element of x, against the analytic gradient. */
    private static void check(String what, double[][] analytic, double[][] x, Supplier<Double> objective) {
        int rows = x.length, cols = x[0].length;
        double[] a = new double[rows * cols], numeric = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < cols; i++) {
                double keep = x[r][i];
                x[r][i] = keep + STEP;
                double plus = objective.get();
                x[r][i] = keep - STEP;
                double minus = objective.get();
                x[r][i] = keep;
                numeric[r * cols + i] = (plus - minus) / (2 * STEP);
                a[r * cols + i] = analytic[r][i];
            }
        }
        assertThat(relativeError(a, numeric)).as(what).isLessThan(TOLERANCE);
        assertThat(norm(a)).as(what + " is not trivially zero").isGreaterThan(1e-6);
    }

    static double relativeError(double[] a, double[] b) {
        double diff = 0;
        for (int i = 0; i < a.length; i++) diff += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.sqrt(diff) / Math.max(Math.max(norm(a), norm(b)), 1e-30);
    }

    static double norm(double[] a) {
        double s = 0;
        for (double v : a) s += v * v;
        return Math.sqrt(s);
    }

    private double[][] matrix(int rows, int cols, double scale) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) for (int i = 0; i < cols; i++) row[i] = random.nextDouble(-scale, scale);
        return m;
    }

    private double[] vector(int n, double center, double spread) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = center + random.nextDouble(-spread, spread);
        return v;
    }

    private static double dotAll(double[][] a, double[][] b) {
        double s = 0;
        for (int r = 0; r < a.length; r++) for (int i = 0; i < a[r].length; i++) s += a[r][i] * b[r][i];
        return s;
    }
}
