package io.toks.train;

import io.toks.core.estimate.ModelShape;
import io.toks.core.estimate.TokenCost;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.TrainingRun;
import io.toks.core.result.Unit;
import io.toks.train.model.ModelConfig;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the steps of a run into its result: the first steps (JIT compilation, cold caches) timed
 * apart, the steady state's tokens per second with its spread (one sample per step), MFU against
 * a measured peak, the loss curve, and how long one epoch of the data takes at that rate.
 */
public final class TrainingResults {

    /** Training losses averaged into {@code train_loss}: the run's last steps. */
    static final int LAST_LOSSES = 10;

    private TrainingResults() {}

    /** Steps timed apart at the start of a run of {@code steps}: a tenth, between 1 and 10 (none for a single step). */
    public static int timingWarmupSteps(int steps) {
        return steps < 2 ? 0 : Math.max(1, Math.min(10, steps / 10));
    }

    /** What a run is about, besides its steps. */
    public record Context(String name, TrainingSettings settings, String tokenizer, String data, long trainTokens, long validationTokens,
                          int threads, double peakGflops, double targetTokens) {}

    /**
     * @param firstStep   steps done before these (a resumed run)
     * @param validations the validation losses measured, each {step, loss}
     * @param warmup      the first steps to time apart (at most all but one)
     */
    public static TrainingRun run(Context ctx, int firstStep, List<StepRecord> steps, List<double[]> validations, int warmup) {
        if (steps.isEmpty()) throw new IllegalArgumentException("no steps to report");
        TrainingSettings s = ctx.settings();
        ModelConfig c = s.model();
        warmup = Math.min(warmup, steps.size() - 1);
        double[] steady = new double[steps.size() - warmup];
        long warmupTokens = 0, warmupNanos = 0;
        for (int i = 0; i < steps.size(); i++) {
            StepRecord r = steps.get(i);
            if (i < warmup) {
                warmupTokens += r.tokens();
                warmupNanos += r.nanos();
            } else {
                steady[i - warmup] = r.tokensPerSecond();
            }
        }
        double flops = flopsPerToken(c, s.seq());
        Map<Metric, MetricSummary> metrics = new EnumMap<>(Metric.class);
        MetricSummary tps = MetricSummary.ofSamples(Unit.TOKENS_PER_SECOND, steady);
        metrics.put(Metric.TRAIN_TPS, tps);
        if (ctx.peakGflops() > 0) metrics.put(Metric.MFU, MetricSummary.single(Unit.SHARE, tps.mean() * flops / (ctx.peakGflops() * 1e9)));
        double[] last = steps.subList(Math.max(0, steps.size() - LAST_LOSSES), steps.size()).stream().mapToDouble(StepRecord::loss).toArray();
        metrics.put(Metric.TRAIN_LOSS, MetricSummary.ofSamples(Unit.NATS, last));
        if (!validations.isEmpty()) metrics.put(Metric.VALIDATION_LOSS, MetricSummary.single(Unit.NATS, validations.getLast()[1]));

        List<TrainingRun.LossPoint> curve = new ArrayList<>(steps.size());
        for (StepRecord r : steps) {
            double validation = Double.NaN;
            for (double[] v : validations) if ((int) v[0] == r.step()) validation = v[1];
            curve.add(new TrainingRun.LossPoint(r.step(), r.loss(), validation, r.learningRate(), r.gradientNorm()));
        }
        double target = ctx.targetTokens();
        return new TrainingRun(ctx.name(), c.describe(), c.parameterCount(), c.dim(), c.hiddenDim(), c.layers(), c.heads(), c.kvHeads(),
                c.vocabSize(), ctx.tokenizer(), ctx.data(), ctx.trainTokens(), ctx.validationTokens(), s.batch(), s.seq(), firstStep,
                firstStep + steps.size(), ctx.threads(), s.seed(), flops, flopsFormula(c, s.seq()), ctx.peakGflops() > 0 ? ctx.peakGflops() : Double.NaN,
                warmup, warmup == 0 ? Double.NaN : warmupTokens * 1e9 / warmupNanos, ctx.trainTokens() > 0 ? ctx.trainTokens() / tps.mean() : Double.NaN, target,
                target > 0 ? target / tps.mean() : Double.NaN, curve, metrics);
    }

    /** Training FLOPs per token: 6 per multiplied weight plus PaLM's attention term (core's TokenCost). */
    public static double flopsPerToken(ModelConfig c, int seq) {
        return TokenCost.trainingFlops(shape(c), seq);
    }

    /** {@code 6·N + 12·L·H·Q·T = 6·10.6M + 12·6·6·64·256 = 70.8 MFLOP/token}. */
    public static String flopsFormula(ModelConfig c, int seq) {
        return String.format(Locale.ROOT, "6·N + 12·L·H·Q·T = 6·%s + 12·%d·%d·%d·%d = %s FLOP/token (N: weights multiplied per token)",
                c.matmulParameterCount(), c.layers(), c.heads(), c.headSize(), seq, compact(flopsPerToken(c, seq)));
    }

    private static String compact(double v) {
        if (v >= 1e9) return String.format(Locale.ROOT, "%.2fG", v / 1e9);
        if (v >= 1e6) return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        if (v >= 1e3) return String.format(Locale.ROOT, "%.1fk", v / 1e3);
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** The shapes as core's estimates take them. */
    public static ModelShape shape(ModelConfig c) {
        long bytes = 4 * c.parameterCount();
        return new ModelShape("trained", "F32", c.dim(), c.hiddenDim(), c.layers(), c.heads(), c.kvHeads(), c.headSize(), c.vocabSize(),
                c.contextLength(), c.parameterCount(), c.matmulParameterCount(), bytes, bytes);
    }
}
