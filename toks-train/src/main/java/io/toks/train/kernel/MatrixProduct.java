package io.toks.train.kernel;

/**
 * One matrix product {@code C = alpha · A · B} (or {@code C += alpha · A · B}) over views of flat
 * arrays: C is M x N and B is K x N, both row-major with their own row strides (columns
 * contiguous), and A is M x K with a row and a column stride, so a transposed operand (the
 * weight gradient's {@code dYᵀ}, attention's {@code Pᵀ}) is read where it lies, never copied.
 * Every training product is one of these: forward {@code X · Wᵀ} (with W transposed once per
 * step), backward {@code dY · W} and {@code dYᵀ · X}, and attention's five per head.
 *
 * @param accumulate add to C rather than overwrite it
 */
public record MatrixProduct(int m, int n, int k,
                            float[] a, int aOffset, int aRowStride, int aColStride,
                            float[] b, int bOffset, int bRowStride,
                            float[] c, int cOffset, int cRowStride,
                            float alpha, boolean accumulate) {

    public MatrixProduct {
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException("negative shape " + m + " x " + n + " x " + k);
        if (m > 0 && n > 0) {
            checkFits("C", c, cOffset, (long) (m - 1) * cRowStride + n);
            if (k > 0) {
                checkFits("A", a, aOffset, (long) (m - 1) * aRowStride + (long) (k - 1) * aColStride + 1);
                checkFits("B", b, bOffset, (long) (k - 1) * bRowStride + n);
            }
        }
    }

    private static void checkFits(String name, float[] array, int offset, long span) {
        if (offset < 0 || offset + span > array.length) {
            throw new IllegalArgumentException(name + " view of " + span + " floats from " + offset + " exceeds its array of " + array.length);
        }
    }

    /** Multiply-adds this product performs. */
    public long macs() {
        return (long) m * n * k;
    }
}
