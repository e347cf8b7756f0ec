package io.toks.core.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The percentile bootstrap of a figure of two independent samples: each side is resampled with
 * replacement, the figure computed on every resample, and the 2.5% and 97.5% points of those
 * figures (and of their ratio B / A) are the 95% intervals. Seeded: the same samples always give
 * the same answer, so a CI gate does not flicker.
 *
 * <p>The p-value inverts the interval: twice the share of resampled differences on the far side of
 * zero (with the usual +1 so it is never exactly 0), so {@code p < 0.05} exactly when the 95%
 * interval of the difference excludes 0.
 */
final class Bootstrap {

    /** A figure of a sample: the mean or a percentile. Gets a scratch copy it may reorder. */
    interface Statistic {
        double of(double[] sample);

        static Statistic mean() {
            return s -> {
                double sum = 0;
                for (double v : s) sum += v;
                return sum / s.length;
            };
        }

        /** Nearest rank: the smallest value with at least {@code percentile}% of the samples at or below it (as HdrHistogram). */
        static Statistic percentile(double percentile) {
            return s -> {
                Arrays.sort(s);
                return Statistics.percentile(s, percentile);
            };
        }
    }

    record Result(Estimate a, Estimate b, double ratio, double ratioLow, double ratioHigh, double pValue) {}

    private final long seed;
    private final int resamples;

    Bootstrap(long seed, int resamples) {
        if (resamples < 100) throw new IllegalArgumentException("resamples must be >= 100");
        this.seed = seed;
        this.resamples = resamples;
    }

    Result compare(double[] a, double[] b, Statistic statistic) {
        if (a.length == 0 || b.length == 0) throw new IllegalArgumentException("bootstrap needs samples on both sides");
        SplittableRandom random = new SplittableRandom(seed);
        double[] ofA = new double[resamples], ofB = new double[resamples], ratios = new double[resamples];
        double[] scratchA = new double[a.length], scratchB = new double[b.length];
        int atOrBelowZero = 0, atOrAboveZero = 0;
        for (int r = 0; r < resamples; r++) {
            ofA[r] = statistic.of(resample(a, scratchA, random));
            ofB[r] = statistic.of(resample(b, scratchB, random));
            ratios[r] = ofB[r] / ofA[r];
            double diff = ofB[r] - ofA[r];
            if (diff <= 0) atOrBelowZero++;
            if (diff >= 0) atOrAboveZero++;
        }
        double p = Math.min(1, 2.0 * (Math.min(atOrBelowZero, atOrAboveZero) + 1) / (resamples + 1));
        double pointA = statistic.of(a.clone()), pointB = statistic.of(b.clone());
        Arrays.sort(ofA);
        Arrays.sort(ofB);
        Arrays.sort(ratios);
        return new Result(new Estimate(pointA, Statistics.quantile(ofA, 0.025), Statistics.quantile(ofA, 0.975), a.length),
                new Estimate(pointB, Statistics.quantile(ofB, 0.025), Statistics.quantile(ofB, 0.975), b.length),
                pointB / pointA, Statistics.quantile(ratios, 0.025), Statistics.quantile(ratios, 0.975), p);
    }

    private static double[] resample(double[] from, double[] into, SplittableRandom random) {
        for (int i = 0; i < into.length; i++) into[i] = from[random.nextInt(from.length)];
        return into;
    }

    /** Of sorted values, linear between neighbours. */
}
