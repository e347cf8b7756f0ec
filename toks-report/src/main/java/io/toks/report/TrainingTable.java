package io.toks.report;

import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.Run;
import io.toks.core.result.TrainingRun;
import io.toks.core.manifest.Manifest;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code toks train} and {@code toks bench-train}: a row per run with its steady-state training
 * tok/s (mean ± stdev of the per-step rates), MFU, losses and the time one epoch of its data
 * takes at that rate; under the table, how each figure was made (the steps left out as warm-up and
 * their rate, the FLOP formula and the peak MFU is a share of, the validation losses measured, and
 * the time for a token count asked about).
 */
final class TrainingTable implements ResultRenderer {

    private final PrintStream out;
    private boolean header;

    TrainingTable(PrintStream out) {
        this.out = out;
    }

    @Override
    public void run(Manifest manifest, Run run) {
        if (!(run instanceof TrainingRun t)) return;
        if (!header) {
            out.println("| run                  | dim x layers, heads/kv, ffn, vocab |  params | batch x seq | threads |     steps |       train tok/s |   MFU | train loss | val loss |      epoch |");
            out.println("| -------------------- | ---------------------------------- | ------: | ----------: | ------: | --------: | ----------------: | ----: | ---------: | -------: | ---------: |");
            header = true;
        }
        MetricSummary tps = t.metric(Metric.TRAIN_TPS), mfu = t.metric(Metric.MFU);
        MetricSummary loss = t.metric(Metric.TRAIN_LOSS), validation = t.metric(Metric.VALIDATION_LOSS);
        out.printf(Locale.ROOT, "| %-20s | %-34s | %7s | %11s | %7d | %9s | %17s | %5s | %10s | %8s | %10s |%n",
                t.name(), String.format(Locale.ROOT, "%d x %d, %d/%d, %d, %d", t.dim(), t.layers(), t.heads(), t.kvHeads(), t.hiddenDim(),
                        t.vocabSize()), Units.count(t.modelNParams()).replace(" ", ""), t.batch() + " x " + t.seq(), t.nThreads(),
                t.firstStep() == 0 ? Integer.toString(t.lastStep()) : t.firstStep() + ".." + t.lastStep(),
                Double.isNaN(tps.stdev()) ? String.format(Locale.ROOT, "%.0f", tps.mean()) : String.format(Locale.ROOT, "%.0f ± %.0f", tps.mean(), tps.stdev()),
                mfu == null ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * mfu.mean()),
                loss == null ? "" : String.format(Locale.ROOT, "%.4f", loss.mean()),
                validation == null ? "" : String.format(Locale.ROOT, "%.4f", validation.mean()),
                t.trainTokens() > 0 ? span(t.epochSeconds()) : "");
        out.flush();
    }

    @Override
    public void end(ResultDocument document) {
        List<TrainingRun> runs = document.runs(TrainingRun.class);
        if (runs.isEmpty()) return;
        TrainingRun first = runs.getFirst();
        out.println();
        out.printf(Locale.ROOT, "train tok/s: tokens trained on (batch x seq per step, no padding) / the step's time (forward, backward, "
                + "optimizer), mean ± stdev over the steady-state steps; the first %d step(s) of each run are warm-up (JIT, caches), "
                + "timed apart%s%n", first.timingWarmupSteps(),
                Double.isNaN(first.timingWarmupTps()) ? "" : String.format(Locale.ROOT, " (%s: %.0f tok/s)", first.name(), first.timingWarmupTps()));
        for (TrainingRun t : runs) {
            out.printf(Locale.ROOT, "%s: FLOPs/token = %s", t.name(), t.flopsFormula());
            if (!Double.isNaN(t.peakGflops())) {
                out.printf(Locale.ROOT, "; MFU = FLOPs/token x tok/s / %.1f GFLOP/s (peak FP32 FMA measured at %d thread%s)", t.peakGflops(),
                        t.nThreads(), t.nThreads() == 1 ? "" : "s");
            }
            out.println();
        }
        for (TrainingRun t : runs) {
            List<String> points = new ArrayList<>();
            for (TrainingRun.LossPoint p : t.lossCurve()) {
                if (!Double.isNaN(p.validationLoss())) points.add(String.format(Locale.ROOT, "%d: %.4f", p.step(), p.validationLoss()));
            }
            if (!points.isEmpty()) {
                out.printf(Locale.ROOT, "%s: validation loss (mean cross-entropy, nats, on %d held-out tokens of %s) after step %s%n", t.name(),
                        t.validationTokens(), t.data(), String.join(", ", points));
            }
            if (t.trainTokens() > 0) {
                out.printf(Locale.ROOT, "%s: one epoch = %s training tokens of %s (%s tokenizer) = %s at %.0f tok/s%n", t.name(),
                        Units.count(t.trainTokens()), t.data(), t.tokenizer(), span(t.epochSeconds()), t.metric(Metric.TRAIN_TPS).mean());
            }
            if (!Double.isNaN(t.targetSeconds())) {
                out.printf(Locale.ROOT, "%s: %s tokens = %s at %.0f tok/s%n", t.name(), Units.count((long) t.targetTokens()),
                        span(t.targetSeconds()), t.metric(Metric.TRAIN_TPS).mean());
            }
        }
        out.flush();
    }

    /** A long duration in the unit that reads best: 42 s, 12.5 min, 3.2 h, 4.1 days, 2.3 years. */
    static String span(double seconds) {
        if (Double.isNaN(seconds) || Double.isInfinite(seconds)) return "n/a";
        if (seconds < 120) return String.format(Locale.ROOT, "%.1f s", seconds);
        if (seconds < 7200) return String.format(Locale.ROOT, "%.1f min", seconds / 60);
        if (seconds < 172800) return String.format(Locale.ROOT, "%.1f h", seconds / 3600);
        if (seconds < 3.15576e7 * 2) return String.format(Locale.ROOT, "%.1f days", seconds / 86400);
        return String.format(Locale.ROOT, "%.1f years", seconds / 3.15576e7);
    }
}
