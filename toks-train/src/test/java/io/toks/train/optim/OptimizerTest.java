package io.toks.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.toks.engine.parallel.WorkerPool;
import io.toks.train.model.ModelConfig;
import io.toks.train.model.Parameters;
import org.junit.jupiter.api.Test;

/** AdamW, the learning-rate schedule and gradient clipping against their formulas. */
class OptimizerTest {

    private static final ModelConfig SMALL = new ModelConfig(8, 12, 1, 2, 1, 5, 4, 10000f, 1e-5f, false);

    @Test
    void adamWFollowsItsFormulaForTwoStepsAndDecaysOnlyMatrices() {
        var params = new Parameters(SMALL);
        params.initialize(1);
        var settings = new AdamW.Settings(0.9, 0.95, 1e-8, 0.1);
        var adam = new AdamW(settings, params.size());
        float[] w0 = params.values().clone();
        double[] w = new double[w0.length], m = new double[w0.length], v = new double[w0.length];
        for (int i = 0; i < w.length; i++) w[i] = w0[i];
        try (var pool = new WorkerPool(2)) {
            for (int t = 1; t <= 2; t++) {
                for (int i = 0; i < w.length; i++) params.grads()[i] = (float) Math.sin(i * 0.37 + t);
                adam.update(params, 0.01, 0.5, pool);
                for (Parameters.Tensor tensor : params.tensors()) {
                    for (int i = tensor.offset(); i < tensor.offset() + tensor.size(); i++) {
                        double g = params.grads()[i] * 0.5;
                        m[i] = 0.9 * m[i] + 0.1 * g;
                        v[i] = 0.95 * v[i] + 0.05 * g * g;
                        double mHat = m[i] / (1 - Math.pow(0.9, t)), vHat = v[i] / (1 - Math.pow(0.95, t));
                        w[i] = w[i] * (tensor.decays() ? 1 - 0.01 * 0.1 : 1) - 0.01 * mHat / (Math.sqrt(vHat) + 1e-8);
                    }
                }
            }
        }
        assertThat(adam.step()).isEqualTo(2);
        for (int i = 0; i < w.length; i++) assertThat((double) params.values()[i]).as("weight %d", i).isCloseTo(w[i], offset(1e-6));
        // a norm gain (initialized to 1, not decayed) moved by Adam only
        var norm = params.tensor("output_norm.weight");
        assertThat(params.values()[norm.offset()]).isNotEqualTo(1f);
    }

    @Test
    void scheduleWarmsUpLinearlyThenFollowsACosineToTheMinimum() {
        var s = new LearningRateSchedule(1e-3, 1e-4, 10, 110);
        assertThat(s.rate(0)).isCloseTo(1e-4, offset(1e-12));
        assertThat(s.rate(4)).isCloseTo(5e-4, offset(1e-12));
        assertThat(s.rate(9)).isCloseTo(1e-3, offset(1e-12));
        assertThat(s.rate(10)).isCloseTo(1e-3, offset(1e-12));
        assertThat(s.rate(109)).isCloseTo(1e-4, offset(1e-12));
        assertThat(s.rate(10 + 99 / 2)).isBetween(5.4e-4, 5.6e-4); // half way down: the mean of peak and minimum
        assertThatThrownBy(() -> new LearningRateSchedule(0, 0, 1, 1)).hasMessageContaining("learning rate must be positive");
    }

    @Test
    void clippingScalesToTheLimitOnlyAboveIt() {
        float[] grads = new float[100_000];
        double expected = 0;
        for (int i = 0; i < grads.length; i++) {
            grads[i] = (float) Math.cos(i);
            expected += (double) grads[i] * grads[i];
        }
        double one, three;
        try (var pool = new WorkerPool(1)) {
            one = GradientClipping.norm(grads, pool);
        }
        try (var pool = new WorkerPool(3)) {
            three = GradientClipping.norm(grads, pool);
        }
        assertThat(one).isCloseTo(Math.sqrt(expected), offset(1e-9)).isEqualTo(three);
        assertThat(GradientClipping.scale(4, 1)).isEqualTo(0.25);
        assertThat(GradientClipping.scale(0.5, 1)).isEqualTo(1);
        assertThat(GradientClipping.scale(4, 0)).isEqualTo(1);
    }
}
