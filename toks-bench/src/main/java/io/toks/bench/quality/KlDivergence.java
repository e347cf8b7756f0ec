package io.toks.bench.quality;

import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.Unit;
import io.toks.core.stats.Statistics;
import io.toks.core.stats.Summary;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's next-token distributions against a reference's, position by position, as llama.cpp's
 * {@code --kl-divergence} reports them: KL(reference || model) = sum p_ref (log p_ref - log p_model);
 * whether the two agree on the most likely token; the difference of the probabilities they give
 * the token that actually follows; and the reference's own negative log-likelihood, for the change
 * of perplexity.
 */
final class KlDivergence implements ScoredPosition {

    private final LogitsFile.Reader reference;
    private double[] divergences = new double[1024];
    private int positions, sameTop;
    private double sumSquaredDeltaP;
    private final NegativeLogLikelihood referenceNll = new NegativeLogLikelihood();

    KlDivergence(LogitsFile.Reader reference) {
        this.reference = reference;
    }

    @Override
    public void accept(float[] logits, double logNormalizer, int nextToken) {
        float[] ref = reference.next();
        double kl = 0;
        int modelTop = 0, refTop = 0;
        for (int i = 0; i < ref.length; i++) {
            double p = Math.exp(ref[i]);
            if (p > 0) kl += p * (ref[i] - (logits[i] - logNormalizer));
            if (logits[i] > logits[modelTop]) modelTop = i;
            if (ref[i] > ref[refTop]) refTop = i;
        }
        if (positions == divergences.length) divergences = Arrays.copyOf(divergences, 2 * positions);
        divergences[positions++] = Math.max(0, kl); // rounding can leave -1e-9 where the two agree
        if (modelTop == refTop) sameTop++;
        double deltaP = Math.exp(logits[nextToken] - logNormalizer) - Math.exp(ref[nextToken]);
        sumSquaredDeltaP += deltaP * deltaP;
        referenceNll.add(-ref[nextToken]);
    }

    /** The figures, with {@code perplexity} the model's own on the same positions. */
    Map<Metric, MetricSummary> metrics(double perplexity) {
        var out = new EnumMap<Metric, MetricSummary>(Metric.class);
        double[] kl = Arrays.copyOf(divergences, positions);
        Summary s = Statistics.summarize(kl);
        double[] sorted = kl.clone();
        Arrays.sort(sorted);
        var percentiles = new TreeMap<String, Double>();
        percentiles.put("p50", Statistics.quantile(sorted, 0.50));
        percentiles.put("p90", Statistics.quantile(sorted, 0.90));
        percentiles.put("p99", Statistics.quantile(sorted, 0.99));
        percentiles.put("p99.9", Statistics.quantile(sorted, 0.999));
        out.put(Metric.KL_DIVERGENCE, new MetricSummary(Unit.NATS, s.n(), s.mean(), s.stdev(), Math.max(0, s.ci95Low()), s.ci95High(),
                s.min(), s.median(), s.max(), percentiles, new double[0]));
        double top = (double) sameTop / positions;
        double half = 1.96 * Math.sqrt(top * (1 - top) / positions);
        out.put(Metric.TOP1_AGREEMENT, new MetricSummary(Unit.SHARE, positions, top, Double.NaN, Math.max(0, top - half),
                Math.min(1, top + half), top, top, top, Map.of(), new double[0]));
        out.put(Metric.RMS_DELTA_P, MetricSummary.single(Unit.PROBABILITY, Math.sqrt(sumSquaredDeltaP / positions)));
        out.put(Metric.DELTA_PERPLEXITY, MetricSummary.single(Unit.PERPLEXITY, perplexity - referenceNll.perplexity()));
        return out;
    }

}
