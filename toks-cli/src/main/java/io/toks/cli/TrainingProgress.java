package io.toks.cli;

import io.toks.cli.progress.ProgressTask;
import io.toks.train.StepRecord;
import io.toks.train.TrainingListener;
import java.util.ArrayDeque;
import java.util.Locale;

/**
 * Shows a training run on a progress task: steps done (the display derives the ETA), and as its
 * message the last loss, the last validation loss, tok/s over the last steps and MFU; while the
 * first steps run, that they are warm-up, timed apart.
 */
final class TrainingProgress implements TrainingListener {

    /** Steps the shown rate averages over. */
    private static final int RECENT = 10;

    private final ProgressTask task;
    private final int firstStep, warmupSteps;
    private final double flopsPerToken, peakFlops;
    private final ArrayDeque<StepRecord> recent = new ArrayDeque<>();
    private double validation = Double.NaN;

    /** @param peakFlops the peak MFU is a share of, FLOP/s; 0 for none */
    TrainingProgress(ProgressTask task, int firstStep, int warmupSteps, double flopsPerToken, double peakFlops) {
        this.task = task;
        this.firstStep = firstStep;
        this.warmupSteps = warmupSteps;
        this.flopsPerToken = flopsPerToken;
        this.peakFlops = peakFlops;
    }

    @Override
    public void step(StepRecord step) {
        recent.addLast(step);
        if (recent.size() > RECENT) recent.removeFirst();
        long tokens = 0, nanos = 0;
        for (StepRecord r : recent) {
            tokens += r.tokens();
            nanos += r.nanos();
        }
        double tps = tokens * 1e9 / nanos;
        StringBuilder m = new StringBuilder(String.format(Locale.ROOT, "loss %.4f", step.loss()));
        if (!Double.isNaN(validation)) m.append(String.format(Locale.ROOT, ", val %.4f", validation));
        m.append(String.format(Locale.ROOT, ", %.0f tok/s", tps));
        if (peakFlops > 0) m.append(String.format(Locale.ROOT, ", MFU %.1f%%", 100 * tps * flopsPerToken / peakFlops));
        if (step.step() - firstStep <= warmupSteps) m.append(" (warm-up)");
        task.message(m.toString());
        task.doneSoFar(step.step() - firstStep);
    }

    @Override
    public void validation(int step, double loss) {
        validation = loss;
    }
}
