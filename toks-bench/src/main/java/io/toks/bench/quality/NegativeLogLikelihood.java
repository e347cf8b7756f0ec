package io.toks.bench.quality;

/**
 * The running negative log-likelihood of the scored tokens, and the perplexity it gives with
 * llama.cpp's standard error: ppl = exp(mean nll); error = ppl x sqrt((mean(nll^2) - mean(nll)^2) / (n - 1)).
 */
final class NegativeLogLikelihood implements ScoredPosition {

    private double sum, sumOfSquares;
    private long count;

    @Override
    public void accept(float[] logits, double logNormalizer, int nextToken) {
        add(logNormalizer - logits[nextToken]);
    }

    void add(double nll) {
        sum += nll;
        sumOfSquares += nll * nll;
        count++;
    }

    long count() {
        return count;
    }

    double mean() {
        return sum / count;
    }

    double perplexity() {
        return Math.exp(mean());
    }

    /** NaN below two tokens. */
    double perplexityError() {
        if (count < 2) return Double.NaN;
        double mean = mean();
        double variance = sumOfSquares / count - mean * mean;
        return variance > 0 ? perplexity() * Math.sqrt(variance / (count - 1)) : 0;
    }
}
