package io.toks.train.kernel;

/** The plain reference of {@link VectorMatMul}: three loops, one sum per element, in k order. */
public final class ScalarMatMul {

    private ScalarMatMul() {}

    public static void compute(MatrixProduct p) {
        for (int i = 0; i < p.m(); i++) {
            for (int j = 0; j < p.n(); j++) {
                float sum = 0;
                for (int k = 0; k < p.k(); k++) {
                    sum += p.a()[p.aOffset() + i * p.aRowStride() + k * p.aColStride()] * p.b()[p.bOffset() + k * p.bRowStride() + j];
                }
                int at = p.cOffset() + i * p.cRowStride() + j;
                p.c()[at] = (p.accumulate() ? p.c()[at] : 0f) + p.alpha() * sum;
            }
        }
    }
}
