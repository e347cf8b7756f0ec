package io.toks.core.stats;

import java.util.Arrays;
import org.apache.commons.statistics.descriptive.Skewness;

/**
 * Whether a figure of B differs from the same figure of A beyond chance, and by how much: the
 * method follows from what the two sides carry (docs/metrics.md, "Comparing results").
 *
 * <ul>
 *   <li>a mean over samples: Welch's t-test, unless a side is clearly skewed ({@code |skewness| >
 *       }{@value #SKEWED}) and both have at least {@value #MIN_BOOTSTRAP} samples: then the bootstrap,
 *       whose interval does not assume a normal mean;</li>
 *   <li>a mean known only by mean, stdev and n: Welch's t-test from those;</li>
 *   <li>a percentile: the bootstrap over per-request samples (at least {@value #MIN_BOOTSTRAP} a side, and
 *       at least one beyond the percentile: 100 for p99);</li>
 *   <li>anything else (a single figure, too few samples): both figures and their ratio, no test.</li>
 * </ul>
 */
public final class Significance {

    /** Resamples of every bootstrap. */
    public static final int RESAMPLES = 10_000;
    /** Seed of every bootstrap: a comparison of the same documents always gives the same answer. */
    public static final long SEED = 0x70C5L;
    /** Fewer samples than this on a side and a bootstrap's interval is too ragged to test with. */
    public static final int MIN_BOOTSTRAP = 20;
    /** Sample skewness beyond which a mean is bootstrapped instead of t-tested. */
    public static final double SKEWED = 1.0;

    private static final Bootstrap BOOTSTRAP = new Bootstrap(SEED, RESAMPLES);

    private Significance() {}

    /** The means of two sets of samples (NaN samples are left out). */
    public static Difference ofMeans(double[] a, double[] b) {
        a = defined(a);
        b = defined(b);
        if (a.length < 2 || b.length < 2) {
            return Difference.untested(sideOf(a), sideOf(b), "n=" + Math.min(a.length, b.length) + ", no test");
        }
        if (a.length >= MIN_BOOTSTRAP && b.length >= MIN_BOOTSTRAP && (skewed(a) || skewed(b))) {
            return bootstrap(a, b, Bootstrap.Statistic.mean(), "skewed samples");
        }
        return welch(WelchTest.Moments.of(a), WelchTest.Moments.of(b), Method.WELCH);
    }

    /** The means of two sides known only by their moments (a document that kept no samples). */
    public static Difference ofMeans(double meanA, double stdevA, long nA, double meanB, double stdevB, long nB) {
        if (nA < 2 || nB < 2 || Double.isNaN(stdevA) || Double.isNaN(stdevB)) {
            return Difference.untested(Estimate.single(meanA, nA), Estimate.single(meanB, nB),
                    "n=" + Math.min(nA, nB) + ", no test");
        }
        return welch(new WelchTest.Moments(meanA, stdevA, nA), new WelchTest.Moments(meanB, stdevB, nB), Method.WELCH_SUMMARY);
    }

    /**
     * A percentile ({@code 99} for p99) of two sets of samples, by bootstrap.
     *
     * @param pointA A's percentile as recorded (e.g. from a histogram), shown when there are too few samples
     */
    public static Difference ofPercentile(double[] a, double[] b, double percentile, double pointA, double pointB) {
        if (!(percentile > 0 && percentile < 100)) throw new IllegalArgumentException("percentile must be in (0, 100)");
        a = defined(a);
        b = defined(b);
        // At least one sample beyond the percentile on each side: below that the percentile is the
        // slowest sample, and the bootstrap of a maximum cannot say how far off it is.
        int needed = Math.max(MIN_BOOTSTRAP, (int) Math.ceil(100 / (100 - percentile) - 1e-9));
        if (a.length < needed || b.length < needed) {
            String why = a.length == 0 || b.length == 0 ? "no per-request samples, no test"
                    : "n=" + Math.min(a.length, b.length) + " < " + needed + " for p" + formatPercentile(percentile) + ", no test";
            return Difference.untested(Estimate.single(pointA, a.length), Estimate.single(pointB, b.length), why);
        }
        String note = "";
        double beyond = Math.min(a.length, b.length) * (100 - percentile) / 100;
        if (beyond < 5) note = String.format(java.util.Locale.ROOT, "few samples beyond p%s (%.1f): a wide interval",
                formatPercentile(percentile), beyond);
        return bootstrap(a, b, Bootstrap.Statistic.percentile(percentile), note);
    }

    private static String formatPercentile(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    private static Difference welch(WelchTest.Moments a, WelchTest.Moments b, Method method) {
        WelchTest.Result r = WelchTest.test(a, b);
        // The interval of the difference of means, relative to A's mean: A's own uncertainty is in the difference's.
        return new Difference(method, a.estimate(), b.estimate(), b.mean() / a.mean(),
                1 + r.diffLow() / a.mean(), 1 + r.diffHigh() / a.mean(), r.pValue(), "");
    }

    private static Difference bootstrap(double[] a, double[] b, Bootstrap.Statistic statistic, String note) {
        Bootstrap.Result r = BOOTSTRAP.compare(a, b, statistic);
        return new Difference(Method.BOOTSTRAP, r.a(), r.b(), r.ratio(), r.ratioLow(), r.ratioHigh(), r.pValue(), note);
    }

    static boolean skewed(double[] samples) {
        double g = Skewness.of(samples).getAsDouble();
        return !Double.isNaN(g) && Math.abs(g) > SKEWED;
    }

    private static Estimate sideOf(double[] samples) {
        if (samples.length == 0) return Estimate.single(Double.NaN, 0);
        return Estimate.single(Arrays.stream(samples).average().orElse(Double.NaN), samples.length);
    }

    private static double[] defined(double[] samples) {
        return samples == null ? new double[0] : Arrays.stream(samples).filter(v -> !Double.isNaN(v)).toArray();
    }
}
