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
 * A batched decode step over sequences at different positions computes what decoding each of
 * them alone computes: the same logits now and after further steps (so the KV caches agree too).
 */
class BatchDecoderTest {

    @ParameterizedTest(name = "{0} {1} threads={2}")
    @CsvSource({"llama, f32, 1", "llama, q4_0, 2", "qwen2, q8_0, 2"})
    void batchedStepEqualsDecodingEachSequenceAlone(String arch, String type, int threads) {
        Preset base = Preset.custom(256, 512, 2, 4, 2, 1000, 128);
        Preset p = new Preset("t", arch, base.dim(), base.hiddenDim(), base.layers(), base.heads(), base.kvHeads(),
                base.vocabSize(), base.contextLength(), 10000f, 1e-5f, arch.equals("qwen2"), arch.equals("qwen2"));
        LlamaModel model = SyntheticModels.build(p, WeightRecipe.parse(type), 7);
        SplittableRandom random = new SplittableRandom(5);
        int sequences = 3;
        try (var pool = new WorkerPool(threads)) {
            BatchDecoder decoder = new BatchDecoder(model, pool, 4);
            InferenceSession[] batched = new InferenceSession[sequences];
            InferenceSession[] alone = new InferenceSession[sequences];
            for (int s = 0; s < sequences; s++) {
                int[] prompt = random.ints(5 + 7 * s, 0, 1000).toArray(); // different lengths: different positions
                batched[s] = new InferenceSession(model, pool, 64);
                alone[s] = new InferenceSession(model, pool, 64);
                batched[s].prefill(prompt);
                alone[s].prefill(prompt);
            }
            for (int step = 0; step < 4; step++) {
                int[] tokens = random.ints(sequences, 0, 1000).toArray();
                decoder.step(batched, tokens, sequences);
                for (int s = 0; s < sequences; s++) {
                    float[] expected = alone[s].decode(tokens[s]);
                    assertClose(batched[s].logitsBuffer(), expected);
                    assertThat(batched[s].position()).isEqualTo(alone[s].position());
                }
            }
        }
    }

    private static void assertClose(float[] a, float[] b) {
        float max = 0;
        for (float v : b) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < a.length; i++) assertThat(a[i]).as("logit %d", i).isCloseTo(b[i], within(1e-4f * (1 + max)));
    }
}
