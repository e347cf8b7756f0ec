package io.toks.train.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.engine.parallel.WorkerPool;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The float {@link Transformer} against the double-precision {@link ReferenceTransformer}: the
 * same loss and, tensor by tensor, the same gradient within float rounding, on shapes that
 * exercise the fast paths' edges (widths that are no multiple of a vector, sequences longer than
 * one attention block, grouped key/value heads); and the same bits on one thread as on three.
 */
class TransformerTest {

    static final ModelConfig ODD_SHAPES = new ModelConfig(32, 40, 2, 4, 2, 37, 40, 10000f, 1e-5f, false);

    @ParameterizedTest(name = "tied embeddings: {0}")
    @ValueSource(booleans = {false, true})
    void lossAndEveryGradientMatchTheDoublePrecisionReference(boolean tied) {
        var config = new ModelConfig(32, 40, 2, 4, 2, 37, 40, 10000f, 1e-5f, tied);
        Parameters params = randomParameters(config, 7);
        int seq = 40, sequences = 2;
        int[][] batch = randomBatch(config.vocabSize(), sequences * seq, 11);
        double loss;
        try (var pool = new WorkerPool(2)) {
            loss = new Transformer(params, pool, sequences, seq).step(batch[0], batch[1]);
        }
        double[] w = new double[params.size()];
        for (int i = 0; i < w.length; i++) w[i] = params.values()[i];
        double[] expected = new double[w.length];
        double expectedLoss = new ReferenceTransformer(params, seq).lossAndGradient(w, batch[0], batch[1], expected);

        assertThat(loss).isCloseTo(expectedLoss, org.assertj.core.data.Percentage.withPercentage(1e-3));
        for (Parameters.Tensor t : params.tensors()) {
            double[] a = new double[t.size()], e = new double[t.size()];
            for (int i = 0; i < t.size(); i++) {
                a[i] = params.grads()[t.offset() + i];
                e[i] = expected[t.offset() + i];
            }
            assertThat(GradientCheckTest.relativeError(a, e)).as(t.name()).isLessThan(2e-4);
        }
    }

    @Test
    void evaluationGivesTheTrainingStepsLossAndEachPositionsLoss() {
        Parameters params = randomParameters(ODD_SHAPES, 3);
        int[][] batch = randomBatch(ODD_SHAPES.vocabSize(), 2 * 40, 5);
        try (var pool = new WorkerPool(1)) {
            var model = new Transformer(params, pool, 2, 40);
            double eval = model.loss(batch[0], batch[1]);
            double sum = 0;
            for (float l : model.positionLosses()) sum += l;
            assertThat(sum / 80).isCloseTo(eval, org.assertj.core.data.Offset.offset(1e-5));
            assertThat(model.step(batch[0], batch[1])).isEqualTo(eval);
            // one sequence of a model sized for two
            assertThat(model.loss(java.util.Arrays.copyOf(batch[0], 40), java.util.Arrays.copyOf(batch[1], 40))).isPositive();
        }
    }

    @Test
    void aStepGivesTheSameBitsOnOneThreadAsOnThree() {
        float[] one = gradientsOn(1), three = gradientsOn(3);
        assertThat(three).isEqualTo(one);
    }

    @Test
    void badTokenIdsAreRefusedByName() {
        Parameters params = randomParameters(ODD_SHAPES, 1);
        try (var pool = new WorkerPool(1)) {
            var model = new Transformer(params, pool, 1, 40);
            int[] inputs = new int[40], targets = new int[40];
            targets[3] = 37;
            assertThatThrownBy(() -> model.loss(inputs, targets)).hasMessage("token id 37 outside the vocabulary of 37");
            assertThatThrownBy(() -> model.loss(new int[41], new int[41])).hasMessageContaining("do not make 1..1 sequences of 40");
        }
    }

    private static float[] gradientsOn(int threads) {
        Parameters params = randomParameters(ODD_SHAPES, 9);
        int[][] batch = randomBatch(ODD_SHAPES.vocabSize(), 3 * 40, 13);
        try (var pool = new WorkerPool(threads)) {
            new Transformer(params, pool, 3, 40).step(batch[0], batch[1]);
        }
        return params.grads().clone();
    }

    /** Weights large enough that every part of the model moves the loss (the 0.02 initialization barely does). */
    static Parameters randomParameters(ModelConfig config, long seed) {
        var params = new Parameters(config);
        var random = new SplittableRandom(seed);
        for (Parameters.Tensor t : params.tensors()) {
            for (int i = 0; i < t.size(); i++) {
                params.values()[t.offset() + i] = (float) (t.decays() ? random.nextDouble(-0.3, 0.3) : random.nextDouble(0.7, 1.3));
            }
        }
        return params;
    }

    static int[][] randomBatch(int vocab, int n, long seed) {
        var random = new SplittableRandom(seed);
        int[] inputs = new int[n], targets = new int[n];
        for (int i = 0; i < n; i++) {
            inputs[i] = random.nextInt(vocab);
            targets[i] = random.nextInt(vocab);
        }
        return new int[][] {inputs, targets};
    }
}
