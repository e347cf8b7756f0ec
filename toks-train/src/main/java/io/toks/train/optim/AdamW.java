package io.toks.train.optim;

import io.toks.engine.parallel.WorkerPool;
import io.toks.train.model.Parameters;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter): per weight,
 * {@code m = β1 m + (1 - β1) g}, {@code v = β2 v + (1 - β2) g²}, then
 * {@code w -= lr · (wd · w + m̂ / (sqrt(v̂) + ε))} with the bias-corrected m̂ = m / (1 - β1^t),
 * v̂ = v / (1 - β2^t). Weight decay applies to matrices and embeddings, not to norm gains.
 * Each weight's update reads only its own state, so the result does not depend on threads.
 */
public final class AdamW {

    /**
     * @param weightDecay decoupled decay per step, relative to the learning rate
     */
    public record Settings(double beta1, double beta2, double epsilon, double weightDecay) {
        public Settings {
            if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("betas must be in [0, 1)");
            if (!(epsilon > 0)) throw new IllegalArgumentException("epsilon must be positive");
            if (!(weightDecay >= 0)) throw new IllegalArgumentException("weight decay must be at least 0, got " + weightDecay);
        }

        /** β = (0.9, 0.95), ε = 1e-8, weight decay 0.1: nanoGPT's and llm.c's. */
        public static Settings defaults() {
            return new Settings(0.9, 0.95, 1e-8, 0.1);
        }
    }

    private final Settings settings;
    private final float[] m, v;
    private long step;

    public AdamW(Settings settings, int size) {
        this.settings = settings;
        this.m = new float[size];
        this.v = new float[size];
    }

    public Settings settings() { return settings; }

    /** Updates taken so far (t in the bias correction). */
    public long step() { return step; }

    /** First moments, one per weight (for checkpoints). */
    public float[] firstMoments() { return m; }

    /** Second moments, one per weight. */
    public float[] secondMoments() { return v; }

    /** Sets the state read from a checkpoint. */
    public void restore(long step, float[] firstMoments, float[] secondMoments) {
        if (firstMoments.length != m.length || secondMoments.length != v.length) {
            throw new IllegalArgumentException("optimizer state holds " + firstMoments.length + " weights, the model " + m.length);
        }
        this.step = step;
        System.arraycopy(firstMoments, 0, m, 0, m.length);
        System.arraycopy(secondMoments, 0, v, 0, v.length);
    }

    /**
     * One update of every weight from its gradient times {@code gradientScale} (the clipping
     * factor).
     */
    public void update(Parameters params, double learningRate, double gradientScale, WorkerPool pool) {
        step++;
        float b1 = (float) settings.beta1(), b2 = (float) settings.beta2();
        float correction1 = (float) (1 - Math.pow(settings.beta1(), step)), correction2 = (float) (1 - Math.pow(settings.beta2(), step));
        float lr = (float) learningRate, eps = (float) settings.epsilon(), scale = (float) gradientScale;
        float decay = (float) (1 - learningRate * settings.weightDecay());
        float[] w = params.values(), g = params.grads();
        for (Parameters.Tensor t : params.tensors()) {
            float keep = t.decays() ? decay : 1f;
            int offset = t.offset();
            pool.parallelFor(t.size(), 16384, (from, to) -> {
                for (int i = offset + from, end = offset + to; i < end; i++) {
                    float grad = g[i] * scale;
                    m[i] = b1 * m[i] + (1 - b1) * grad;
                    v[i] = b2 * v[i] + (1 - b2) * grad * grad;
                    float mHat = m[i] / correction1, vHat = v[i] / correction2;
                    w[i] = w[i] * keep - lr * mHat / ((float) Math.sqrt(vHat) + eps);
                }
            });
        }
    }
}
