package io.toks.core.stats;

import org.apache.commons.statistics.distribution.TDistribution;
import org.apache.commons.statistics.inference.DataDispersion;
import org.apache.commons.statistics.inference.TTest;

/**
 * Welch's unequal-variance t-test of two means (Apache Commons Statistics), with the 95% interval
 * of the difference from the Welch-Satterthwaite degrees of freedom. Works from the moments, so
 * raw samples and stored summaries go through the same arithmetic.
 */
final class WelchTest {

    private static final TTest WELCH = TTest.withDefaults().with(DataDispersion.HETEROSCEDASTIC);

    private WelchTest() {}

    /** Mean, sample standard deviation and count of one side. */
    record Moments(double mean, double stdev, long n) {
        static Moments of(double[] samples) {
            Summary s = Statistics.summarize(samples);
            return new Moments(s.mean(), s.stdev(), s.n());
        }

        double variance() {
            return stdev * stdev;
        }

        /** The 95% t-interval of the mean. */
        Estimate estimate() {
            double half = tQuantile975(n - 1) * stdev / Math.sqrt(n);
            return new Estimate(mean, mean - half, mean + half, n);
        }
    }

    /**
     * @param statistic t of (B - A)
     * @param df        Welch-Satterthwaite degrees of freedom
     * @param pValue    two-sided
     * @param diffLow   lower bound of the 95% interval of mean B - mean A
     * @param diffHigh  upper bound
     */
    record Result(double statistic, double df, double pValue, double diffLow, double diffHigh) {}

    /** Both sides need n >= 2. */
    static Result test(Moments a, Moments b) {
        if (a.n() < 2 || b.n() < 2) throw new IllegalArgumentException("Welch's t-test needs n >= 2 on both sides");
        double diff = b.mean() - a.mean();
        double se2 = a.variance() / a.n() + b.variance() / b.n();
        if (se2 == 0) {
            // No spread on either side (identical repetitions): any difference is certain, none is none.
            return new Result(diff == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, diff), Double.POSITIVE_INFINITY,
                    diff == 0 ? 1 : 0, diff, diff);
        }
        TTest.Result r = WELCH.test(b.mean(), b.variance(), b.n(), a.mean(), a.variance(), a.n());
        double half = tQuantile975(r.getDegreesOfFreedom()) * Math.sqrt(se2);
        return new Result(r.getStatistic(), r.getDegreesOfFreedom(), r.getPValue(), diff - half, diff + half);
    }

    /** The 97.5% quantile of Student's t (two-sided 95%). */
    static double tQuantile975(double degreesOfFreedom) {
        if (degreesOfFreedom <= 0) return Double.NaN;
        return TDistribution.of(degreesOfFreedom).inverseSurvivalProbability(0.025);
    }
}
