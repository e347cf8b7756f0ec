package io.toks.train.model;

/**
 * RMSNorm over rows of {@code dim}: {@code y = g ⊙ x · r} with {@code r = 1 / sqrt(mean(x²) + eps)},
 * as the engine's {@code ScalarKernels.rmsNorm}. The backward pass, for one row, with
 * {@code s = Σ_j dy_j g_j x_j}: {@code dx_i = r g_i dy_i - x_i r³ s / dim} and {@code dg_i += dy_i x_i r}.
 */
final class RmsNorm {

    private RmsNorm() {}

    /** Rows [from, to): y = norm(x) ⊙ gain; r[row] keeps each row's inverse RMS for the backward pass. */
    static void forward(float[] y, float[] x, float[] gainArray, int gainOffset, float[] r, int dim, float eps, int from, int to) {
        for (int row = from; row < to; row++) {
            int at = row * dim;
            float ss = sumOfProducts(x, at, x, at, dim);
            float scale = (float) (1.0 / Math.sqrt(ss / dim + eps));
            r[row] = scale;
            for (int i = 0; i < dim; i++) y[at + i] = gainArray[gainOffset + i] * (scale * x[at + i]);
        }
    }

    /**
     * Rows [from, to): dx += the gradient through the norm of dy (dx holds the residual gradient
     * the norm's input also receives). The gain's gradient is {@link #gainGradient}'s, apart, so
     * that rows can be split across threads.
     */
    static void backward(float[] dx, float[] dy, float[] x, float[] gainArray, int gainOffset, float[] r, int dim, int from, int to) {
        for (int row = from; row < to; row++) {
            int at = row * dim;
            float s = 0;
            for (int i = 0; i < dim; i++) s += dy[at + i] * gainArray[gainOffset + i] * x[at + i];
            float ri = r[row];
            float k = ri * ri * ri * s / dim;
            for (int i = 0; i < dim; i++) dx[at + i] += ri * gainArray[gainOffset + i] * dy[at + i] - x[at + i] * k;
        }
    }

    /**
     * Columns [from, to) of the gain's gradient: dg_i += Σ_rows dy_i x_i r, rows summed in order
     * (so the result does not depend on how columns are split across threads).
     */
    static void gainGradient(float[] dg, int dgOffset, float[] dy, float[] x, float[] r, int rows, int dim, int from, int to) {
        for (int row = 0; row < rows; row++) {
            int at = row * dim;
            float ri = r[row];
            for (int i = from; i < to; i++) dg[dgOffset + i] += dy[at + i] * x[at + i] * ri;
        }
    }

    private static float sumOfProducts(float[] a, int aOffset, float[] b, int bOffset, int n) {
        float sum = 0;
        for (int i = 0; i < n; i++) sum += a[aOffset + i] * b[bOffset + i];
        return sum;
    }
}
