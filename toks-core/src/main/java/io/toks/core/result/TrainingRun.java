package io.toks.core.result;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A training run ({@code toks train}, one configuration of {@code toks bench-train}): a
 * Llama-architecture model trained from scratch, how fast (training tokens per second over the
 * steady-state steps, every step's rate kept), how well (training and validation loss, the loss
 * curve), and what that rate means for a dataset. docs/metrics.md defines the figures.
 *
 * @param model             the shapes, in words ({@code dim 64, 2 layers, 4 heads (2 kv), ...})
 * @param modelNParams      every weight (a tied output head once)
 * @param tokenizer         the tokenizer the data was tokenized with
 * @param data              the training data (a directory or file; {@code random tokens} for bench-train)
 * @param trainTokens       tokens of the training split
 * @param validationTokens  tokens of the held-out split
 * @param batch             sequences per step
 * @param seq               tokens per sequence
 * @param firstStep         steps done before this run (0, or where {@code --resume} continued)
 * @param lastStep          steps done when this run ended
 * @param nThreads          worker threads
 * @param flopsPerToken     training FLOPs per token, from {@code flopsFormula}
 * @param flopsFormula      the formula, with its terms ({@code 6·N + 12·L·H·Q·T})
 * @param peakGflops        the machine's measured peak FP32 FMA rate at nThreads, which MFU is a share of; NaN when not measured
 * @param timingWarmupSteps the first steps of the run, timed apart and left out of the steady state (JIT compilation, cold caches)
 * @param timingWarmupTps   tokens per second over those steps; NaN when none
 * @param epochSeconds      one pass over the training split at the steady-state rate
 * @param targetTokens      a token count asked about ({@code --tokens}); NaN when none
 * @param targetSeconds     training time for targetTokens at the steady-state rate; NaN when none
 * @param lossCurve         every step of the run
 * @param metrics           {@code train_tps} (one sample per steady-state step), {@code mfu}, {@code train_loss}
 *                          (the last steps' losses), {@code validation_loss} (the last evaluation)
 */
public record TrainingRun(String name, String model, @JsonProperty("model_n_params") long modelNParams, int dim, int hiddenDim, int layers, int heads, int kvHeads,
                          int vocabSize, String tokenizer, String data, long trainTokens, long validationTokens, int batch, int seq,
                          int firstStep, int lastStep, int nThreads, long seed, double flopsPerToken, String flopsFormula,
                          double peakGflops, int timingWarmupSteps, double timingWarmupTps, double epochSeconds, double targetTokens,
                          double targetSeconds, List<LossPoint> lossCurve, Map<Metric, MetricSummary> metrics) implements Run {

    /**
     * One step of the curve.
     *
     * @param step           steps done (1 after the first)
     * @param loss           the step's training loss (mean cross-entropy of its batch, nats)
     * @param validationLoss the validation loss measured after this step; NaN when none was
     * @param learningRate   the rate the step was taken at
     * @param gradientNorm   the global gradient norm before clipping
     */
    public record LossPoint(int step, double loss, double validationLoss, double learningRate, double gradientNorm) {}

    public TrainingRun {
        lossCurve = List.copyOf(lossCurve);
        metrics = Metric.ordered(metrics);
    }

    /** Tokens trained on per step: no padding is ever counted. */
    public long tokensPerStep() {
        return (long) batch * seq;
    }
}
