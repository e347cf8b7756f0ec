package io.toks.train;

import io.toks.core.ToksException;
import io.toks.core.jfr.ToksEvents;
import io.toks.engine.parallel.WorkerPool;
import io.toks.train.checkpoint.OptimizerStateFile;
import io.toks.train.data.BatchSampler;
import io.toks.train.data.TokenDataset;
import io.toks.train.data.ValidationWindows;
import io.toks.train.model.Parameters;
import io.toks.train.model.Transformer;
import io.toks.train.optim.AdamW;
import io.toks.train.optim.GradientClipping;
import io.toks.train.optim.LearningRateSchedule;
import java.util.ArrayList;
import java.util.List;

/**
 * The training loop: per step a batch of random windows, forward and backward, the global
 * gradient norm clipped, an AdamW update at the schedule's rate; the validation loss every
 * {@code evalEvery} steps and after the last. Each step is timed on its own (evaluation is not
 * training time) and reported to a {@link TrainingListener}. Owns its worker threads: close it.
 */
public final class Trainer implements AutoCloseable {

    private final TrainingSettings settings;
    private final Parameters params;
    private final WorkerPool pool;
    private final Transformer model;
    private final AdamW adam;
    private final LearningRateSchedule schedule;
    private final BatchSampler sampler;
    private final ValidationWindows validation;
    private final int[] inputs, targets;
    private int step;

    /**
     * @param params weights to train, initialized or read from a checkpoint
     */
    public Trainer(TrainingSettings settings, Parameters params, TokenDataset data, int threads) {
        if (!params.config().equals(settings.model())) throw new IllegalArgumentException("the weights' shapes differ from the settings'");
        data.requireWindows(settings.seq());
        requireMemory(settings);
        this.settings = settings;
        this.params = params;
        this.pool = new WorkerPool(threads);
        this.model = new Transformer(params, pool, settings.batch(), settings.seq());
        this.adam = new AdamW(settings.adam(), params.size());
        this.schedule = settings.schedule();
        this.sampler = new BatchSampler(data.train(), settings.batch(), settings.seq(), settings.seed());
        this.validation = ValidationWindows.of(data.validation(), settings.seq(), settings.evalWindows());
        this.inputs = new int[settings.batch() * settings.seq()];
        this.targets = new int[inputs.length];
    }

    /**
     * Refuses, with the figures, a run whose arrays cannot fit the JVM's heap: weights, gradients
     * and AdamW's two moments (4 floats per weight) and the model's activations (rather than an
     * OutOfMemoryError in the middle of the first step).
     */
    public static void requireMemory(TrainingSettings s) {
        long weights = 16 * s.model().parameterCount();
        long activations = Transformer.memoryBytes(s.model(), s.batch(), s.seq());
        long available = Runtime.getRuntime().maxMemory();
        if (weights + activations > available * 0.9) {
            throw new io.toks.core.ToksException(String.format(java.util.Locale.ROOT,
                    "training needs about %.1f GiB (weights, gradients and optimizer state %.1f GiB, activations of %d x %d tokens %.1f GiB); "
                            + "the JVM may use %.1f GiB: a smaller --batch or --seq, or more heap (TOKS_JVM_OPTS=-Xmx...)",
                    (weights + activations) / 1073741824.0, weights / 1073741824.0, s.batch(), s.seq(), activations / 1073741824.0,
                    available / 1073741824.0));
        }
    }

    public TrainingSettings settings() {
        return settings;
    }

    /** Steps done. */
    public int step() {
        return step;
    }

    public int threads() {
        return pool.threads();
    }

    /** Continues from a checkpoint's optimizer state: its moments, and its step (the schedule's and the batches' position). */
    public void resume(OptimizerStateFile state) {
        if (state.step() > settings.steps()) {
            throw new IllegalArgumentException("the checkpoint is at step " + state.step() + ", past --steps " + settings.steps());
        }
        adam.restore(state.step(), state.firstMoments(), state.secondMoments());
        step = (int) state.step();
    }

    /** The optimizer state to save beside a checkpoint of the weights. */
    public OptimizerStateFile optimizerState() {
        return new OptimizerStateFile(step, settings.toText(), adam.firstMoments().clone(), adam.secondMoments().clone());
    }

    /**
     * Trains up to step {@code until} (at most the settings' steps), telling {@code listener}
     * of every step and validation loss.
     *
     * @return the steps taken, in order
     */
    public List<StepRecord> train(int until, TrainingListener listener) {
        int last = Math.min(until, settings.steps());
        List<StepRecord> records = new ArrayList<>(Math.max(0, last - step));
        while (step < last) {
            StepRecord r = trainStep();
            if (!Double.isFinite(r.loss())) {
                // Every later step would be NaN too, and the weights are no longer worth saving.
                throw new ToksException("training diverged at step " + r.step() + ": the loss is " + r.loss() + " (learning rate "
                        + r.learningRate() + "; a smaller --lr or --grad-clip may help)");
            }
            records.add(r);
            listener.step(r);
            boolean evaluate = step == settings.steps() || (settings.evalEvery() > 0 && step % settings.evalEvery() == 0);
            if (evaluate) listener.validation(step, validationLoss());
        }
        return records;
    }

    private StepRecord trainStep() {
        sampler.batch(step, inputs, targets);
        long t0 = System.nanoTime();
        params.zeroGrads();
        double loss = model.step(inputs, targets);
        double norm = GradientClipping.norm(params.grads(), pool);
        double rate = schedule.rate(step);
        adam.update(params, rate, GradientClipping.scale(norm, settings.gradientClip()), pool);
        long t1 = System.nanoTime();
        ToksEvents.trainingStep(inputs.length, loss, t0, t1);
        step++;
        return new StepRecord(step, loss, rate, norm, inputs.length, t1 - t0);
    }

    /** Mean cross-entropy over the validation windows (the same windows every time). */
    public double validationLoss() {
        double total = 0;
        int seq = settings.seq(), batch = settings.batch();
        for (int first = 0; first < validation.count(); first += batch) {
            int n = Math.min(batch, validation.count() - first);
            int[] in = new int[n * seq], out = new int[n * seq];
            validation.fill(first, n, in, out);
            model.loss(in, out);
            float[] losses = model.positionLosses();
            for (int i = 0; i < n * seq; i++) total += losses[i];
        }
        return total / validation.predictedTokens();
    }

    /** Windows the validation loss averages over. */
    public ValidationWindows validationWindows() {
        return validation;
    }

    @Override
    public void close() {
        pool.close();
    }
}
