package io.toks.core.stats;

/**
 * Descriptive statistics of one metric over repetitions. Every figure toks reports from
 * repetitions carries all of these, so a reader can judge how sure it is.
 *
 * @param n      number of samples
 * @param mean   arithmetic mean
 * @param stdev  sample standard deviation (n - 1 in the denominator); 0 when n = 1
 * @param ci95Low  lower bound of the 95% confidence interval of the mean (Student's t)
 * @param ci95High upper bound of the 95% confidence interval of the mean
 * @param min    smallest sample
 * @param median middle sample (mean of the two middle ones for even n)
 * @param max    largest sample
 */
public record Summary(int n, double mean, double stdev, double ci95Low, double ci95High,
                      double min, double median, double max) {

    /** Half the width of the 95% confidence interval. */
    public double ci95HalfWidth() {
        return (ci95High - ci95Low) / 2;
    }
}
