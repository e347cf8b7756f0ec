package io.toks.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.toks.engine.parallel.WorkerPool;
import io.toks.engine.synth.Preset;
import io.toks.engine.synth.SyntheticModels;
import io.toks.engine.synth.WeightRecipe;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Batched prefill computes exactly what feeding the prompt token by token computes: the same
 * logits and the same KV cache (checked through the logits of the next decode step).
 */
class BatchedPrefillTest {

    @ParameterizedTest(name = "{0} {1} threads={2}")
    @CsvSource({"llama, f32, 1", "llama, q4_0, 2", "llama, q8_0, 2", "llama, q4_k_m, 1", "qwen2, bf16, 2"})
    void batchedPrefillEqualsTokenByToken(String arch, String type, int threads) {
        Preset base = Preset.custom(256, 512, 2, 4, 2, 1000, 128);
        Preset p = new Preset("t", arch, base.dim(), base.hiddenDim(), base.layers(), base.heads(), base.kvHeads(),
                base.vocabSize(), base.contextLength(), 10000f, 1e-5f, arch.equals("qwen2"), arch.equals("qwen2"));
        LlamaModel model = SyntheticModels.build(p, WeightRecipe.parse(type), 7);
        int[] prompt = new SplittableRandom(3).ints(61, 0, 1000).toArray(); // crosses a batch boundary (48)
        try (var pool = new WorkerPool(threads)) {
            var batched = new InferenceSession(model, pool, 80);
            var single = new InferenceSession(model, pool, 80);
            float[] a = batched.prefill(prompt).clone();
            float[] b = null;
            for (int token : prompt) b = single.decode(token).clone();
            assertClose(a, b);
            assertThat(batched.position()).isEqualTo(single.position()).isEqualTo(61);
            assertClose(batched.decode(17).clone(), single.decode(17).clone());
        }
    }

    private static void assertClose(float[] a, float[] b) {
        float max = 0;
        for (float v : b) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < a.length; i++) assertThat(a[i]).as("logit %d", i).isCloseTo(b[i], within(1e-4f * (1 + max)));
    }
}
