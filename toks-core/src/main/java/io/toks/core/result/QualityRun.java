package io.toks.core.result;

import java.util.Map;

/**
 * How well a model predicts a text ({@code toks perplexity}), computed as llama.cpp's perplexity
 * tool does: the text tokenized once with BOS, cut into non-overlapping chunks of {@code nCtx}
 * tokens (each starting with BOS), and only the second half of each chunk scored, so every
 * scored token has at least half a context before it. docs/metrics.md states the formulas.
 *
 * @param model         the model's name
 * @param modelFilename where it came from (a path, {@code embedded:...})
 * @param modelType     its weight type, e.g. {@code Q4_0}
 * @param modelSize     bytes of weights
 * @param kernels       the kernels that ran
 * @param nThreads      worker threads
 * @param text          the text file scored
 * @param textTokens    tokens of the whole text (with BOS)
 * @param nCtx          tokens per chunk
 * @param chunks        chunks evaluated
 * @param tokensScored  tokens whose probability was scored: chunks x (nCtx - 1 - nCtx / 2)
 * @param perplexity    exp of the mean negative log-likelihood of the scored tokens
 * @param perplexityError its standard error, as llama.cpp states it (perplexity x the standard
 *                      error of the mean negative log-likelihood)
 * @param reference     the model the KL divergence is measured against (a file, or the
 *                      {@code --kl-from} logits file); null when none
 * @param metrics       {@code perplexity}, {@code prefill_tps} (tokens evaluated per second, per
 *                      chunk), and against a reference {@code kl_divergence}, {@code top1_agreement},
 *                      {@code rms_delta_p}, {@code delta_perplexity}
 */
public record QualityRun(String name, String model, String modelFilename, String modelType, long modelSize,
                         String kernels, int nThreads, String text, long textTokens, int nCtx, int chunks,
                         long tokensScored, double perplexity, double perplexityError, String reference,
                         Map<Metric, MetricSummary> metrics) implements Run {

    public QualityRun {
        metrics = Metric.ordered(metrics);
    }

    /** The same run with {@code more} metrics added (replacing any of the same name). */
    public QualityRun withMetrics(Map<Metric, MetricSummary> more) {
        var merged = new java.util.EnumMap<Metric, MetricSummary>(Metric.class);
        merged.putAll(metrics);
        merged.putAll(more);
        return new QualityRun(name, model, modelFilename, modelType, modelSize, kernels, nThreads, text, textTokens, nCtx, chunks,
                tokensScored, perplexity, perplexityError, reference, merged);
    }
}
