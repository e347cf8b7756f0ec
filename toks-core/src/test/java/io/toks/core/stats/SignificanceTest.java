package io.toks.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The comparison statistics on samples of known distributions: identical ones raise no more false
 * alarms than the level allows, real shifts are found, and Welch's test agrees with R.
 */
class SignificanceTest {

    private static final double ALPHA = 0.05;
    private static final int TRIALS = 100;

    /** R: {@code t.test(extra ~ group, data = sleep)} (Welch): t = -1.8608, df = 17.776, p-value = 0.07939. */
    private static final double[] SLEEP_1 = {0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0};
    private static final double[] SLEEP_2 = {1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4};

    @Test
    void welchAgreesWithRsSleepExample() {
        WelchTest.Result r = WelchTest.test(WelchTest.Moments.of(SLEEP_1), WelchTest.Moments.of(SLEEP_2));
        // Reference digits from the closed form in 30-digit arithmetic (mpmath); R prints them rounded.
        assertThat(r.statistic()).isCloseTo(1.86081346748685, within(1e-9));
        assertThat(r.df()).isCloseTo(17.7764735161785, within(1e-9));
        assertThat(r.pValue()).isCloseTo(0.0793941401873581, within(1e-9));
        // R: 95 percent confidence interval -3.3654832 0.2054832 (of group 1 - group 2; here 2 - 1)
        assertThat(r.diffLow()).isCloseTo(-0.2054832307117, within(1e-9));
        assertThat(r.diffHigh()).isCloseTo(3.3654832307117, within(1e-9));
    }

    @Test
    void welchFromMomentsEqualsWelchFromSamples() {
        Summary a = Statistics.summarize(SLEEP_1), b = Statistics.summarize(SLEEP_2);
        Difference fromSamples = Significance.ofMeans(SLEEP_1, SLEEP_2);
        Difference fromMoments = Significance.ofMeans(a.mean(), a.stdev(), a.n(), b.mean(), b.stdev(), b.n());
        assertThat(fromSamples.method()).isEqualTo(Method.WELCH);
        assertThat(fromMoments.method()).isEqualTo(Method.WELCH_SUMMARY);
        assertThat(fromMoments.pValue()).isCloseTo(fromSamples.pValue(), within(1e-12));
        assertThat(fromSamples.ratio()).isCloseTo(2.33 / 0.75, within(1e-12));
    }

    @Test
    void identicalDistributionsRaiseFewFalseAlarmsWithWelch() {
        int alarms = 0;
        for (int seed = 0; seed < TRIALS; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            double[] a = normal(random, 10, 1000, 10), b = normal(random, 10, 1000, 10);
            if (Significance.ofMeans(a, b).significant(ALPHA)) alarms++;
        }
        assertThat(alarms).isLessThanOrEqualTo(10);
    }

    @Test
    void aFivePercentShiftIsFoundWithTenSamplesOfOnePercentSpread() {
        int found = 0;
        for (int seed = 0; seed < TRIALS; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            double[] a = normal(random, 10, 1000, 10), b = normal(random, 10, 1050, 10.5);
            Difference d = Significance.ofMeans(a, b);
            if (d.significant(ALPHA) && d.ratio() > 1) found++;
            assertThat(d.ratioLow()).isLessThan(d.ratioHigh());
        }
        assertThat(found).isGreaterThanOrEqualTo(98);
    }

    @Test
    void identicalSkewedLatenciesRaiseFewFalseAlarmsWithTheBootstrapOfP99() {
        int alarms = 0;
        for (int seed = 0; seed < TRIALS; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            double[] a = logNormal(random, 100, 50, 0.5), b = logNormal(random, 100, 50, 0.5);
            Difference d = Significance.ofPercentile(a, b, 99, Double.NaN, Double.NaN);
            assertThat(d.method()).isEqualTo(Method.BOOTSTRAP);
            if (d.significant(ALPHA)) alarms++;
        }
        assertThat(alarms).isLessThanOrEqualTo(10);
    }

    /**
     * An empirical p99 of 200 requests rests on the two slowest: its bootstrap interval is wide
     * (ratios of 1.5 to 3 for a true 2), so a doubled tail is found in most seeds, not all.
     */
    @Test
    void aTwiceSlowerTailIsFoundByTheBootstrapOfP99() {
        int found = 0;
        for (int seed = 0; seed < 20; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            double[] a = logNormal(random, 200, 50, 0.5), b = logNormal(random, 200, 100, 0.5);
            Difference d = Significance.ofPercentile(a, b, 99, Double.NaN, Double.NaN);
            if (d.significant(ALPHA) && d.ratio() > 1) found++;
        }
        assertThat(found).isGreaterThanOrEqualTo(15);
    }

    @Test
    void skewedMeansAreBootstrappedAndIdenticalOnesRarelyDiffer() {
        int alarms = 0;
        for (int seed = 0; seed < TRIALS; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            double[] a = logNormal(random, 100, 50, 1.0), b = logNormal(random, 100, 50, 1.0);
            Difference d = Significance.ofMeans(a, b);
            if (d.method() == Method.BOOTSTRAP && d.significant(ALPHA)) alarms++;
        }
        assertThat(alarms).isLessThanOrEqualTo(10);
        SplittableRandom random = new SplittableRandom(1);
        assertThat(Significance.ofMeans(logNormal(random, 100, 50, 1.0), logNormal(random, 100, 50, 1.0)).method())
                .isEqualTo(Method.BOOTSTRAP);
    }

    @Test
    void theBootstrapIsSeededSoTheSameSamplesGiveTheSameAnswer() {
        SplittableRandom random = new SplittableRandom(7);
        double[] a = logNormal(random, 150, 50, 0.5), b = logNormal(random, 150, 55, 0.5);
        Difference first = Significance.ofPercentile(a, b, 99, Double.NaN, Double.NaN);
        Difference second = Significance.ofPercentile(a, b, 99, Double.NaN, Double.NaN);
        assertThat(second).usingRecursiveComparison().isEqualTo(first);
        assertThat(first.note()).contains("few samples beyond p99");
    }

    @Test
    void singleFiguresAndTooFewSamplesAreShownUntested() {
        Difference single = Significance.ofMeans(new double[] {100}, new double[] {120});
        assertThat(single.method()).isEqualTo(Method.NONE);
        assertThat(single.ratio()).isCloseTo(1.2, within(1e-12));
        assertThat(single.note()).isEqualTo("n=1, no test");
        assertThat(single.significant(ALPHA)).isFalse();
        Difference few = Significance.ofPercentile(new double[] {1, 2, 3}, new double[] {2, 3, 4}, 99, 3, 4);
        assertThat(few.tested()).isFalse();
        assertThat(few.a().value()).isEqualTo(3);
        assertThat(few.note()).isEqualTo("n=3 < 100 for p99, no test");
        // p99 of fewer than 100 requests is the slowest one: not tested.
        SplittableRandom random = new SplittableRandom(5);
        Difference maxima = Significance.ofPercentile(logNormal(random, 60, 50, 0.5), logNormal(random, 99, 50, 0.5), 99, 1, 2);
        assertThat(maxima.note()).isEqualTo("n=60 < 100 for p99, no test");
        assertThat(Significance.ofPercentile(logNormal(random, 60, 50, 0.5), logNormal(random, 60, 50, 0.5), 50, 1, 1).tested()).isTrue();
    }

    @Test
    void identicalRepetitionsWithoutSpreadAreCertain() {
        assertThat(Significance.ofMeans(new double[] {5, 5, 5}, new double[] {5, 5}).pValue()).isEqualTo(1);
        assertThat(Significance.ofMeans(new double[] {5, 5, 5}, new double[] {6, 6}).pValue()).isZero();
    }

    @Test
    void nearestRankPercentileMatchesHdrHistogramsDefinition() {
        assertThat(Statistics.nearestRank(99, 100)).isEqualTo(98);
        assertThat(Statistics.nearestRank(50, 10)).isEqualTo(4);
        assertThat(Statistics.nearestRank(99, 10)).isEqualTo(9);
    }

    private static double[] normal(SplittableRandom random, int n, double mean, double stdev) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = mean + stdev * gaussian(random);
        return x;
    }

    /** Latency-like: median {@code median}, log-spread {@code sigma}. */
    private static double[] logNormal(SplittableRandom random, int n, double median, double sigma) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = median * Math.exp(sigma * gaussian(random));
        return x;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: SplittableRandom has no nextGaussian of its own before Java 17's RandomGenerator default.
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
