package io.toks.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.toks.core.estimate.KvCacheType;
import io.toks.engine.kernel.Kernels;
import io.toks.engine.kernel.NativeAttention;
import io.toks.engine.parallel.WorkerPool;
import io.toks.engine.synth.Preset;
import io.toks.engine.synth.SyntheticModels;
import io.toks.engine.synth.WeightRecipe;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A session of a model with native kernels attends natively (llama-3.2-1b's grouping: 4 query
 * heads of 64 per key/value head) and agrees with the same model on Java kernels: an F32 model
 * (its native products multiply in float, so only the order of sums differs), a prompt prefilled
 * in a batch, then decode steps past two attention blocks (each step split into blocks across the
 * threads and merged), both fed the same tokens. Printed: the largest logit difference seen.
 */
class NativeAttentionTraceTest {

    private static final int PROMPT = 100, STEPS = 450;

    @ParameterizedTest(name = "{0} cache, {1} threads")
    @CsvSource({"f16, 2", "q8_0, 2", "f32, 1"})
    void nativeAttentionTracesJavaAttention(String cacheType, int threads) {
        assumeTrue(NativeAttention.available(), "native attention not built or loaded here");
        LlamaModel model = SyntheticModels.build(Preset.custom(256, 512, 2, 4, 1, 500, 1024), WeightRecipe.parse("f32"), 11);
        KvCacheType type = KvCacheType.ofKey(cacheType);
        int[] prompt = new SplittableRandom(5).ints(PROMPT, 0, 500).toArray();
        try (var pool = new WorkerPool(threads)) {
            var java = new InferenceSession(model.withKernels(Kernels.JAVA), pool, PROMPT + STEPS, type);
            var nat = new InferenceSession(model.withKernels(Kernels.NATIVE), pool, PROMPT + STEPS, type);
            assertThat(nat.cache().nativeLayer(0, 64)).as("attends natively").isNotNull();
            assertThat(java.cache().nativeLayer(0, 64)).isNull();
            double largest = difference(nat.prefill(prompt), java.prefill(prompt), 0);
            int token = argmax(java.logits());
            for (int step = 0; step < STEPS; step++) {
                float[] expected = java.decode(token);
                largest = Math.max(largest, difference(nat.decode(token), expected, step));
                token = argmax(expected);
            }
            System.out.printf("%s cache, native vs Java attention over %d positions: largest logit difference %.2e%n", cacheType,
                    PROMPT + STEPS, largest);
        }
    }

    /** The largest |a - b|, asserted within 1e-3 of the logits' scale. */
    private static double difference(float[] a, float[] b, int step) {
        double largest = 0, scale = 0;
        for (float v : b) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]));
        assertThat(largest).as("step %d: largest logit difference (logits up to %.2f)", step, scale).isLessThan(1e-3 * (1 + scale));
        return largest;
    }

    private static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }
}
