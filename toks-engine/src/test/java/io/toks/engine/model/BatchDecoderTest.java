package io.toks.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.toks.engine.kernel.Kernels;
import io.toks.engine.kernel.NativeMatrix;
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

    /**
     * A prompt long enough for the work between the products (norms, rotations, cache stores,
     * sums) to be split over the threads gives the logits of one thread: each row's work is its
     * own, whoever runs it. To float rounding, not to the bit: attention's split of the cache
     * into blocks, merged by their log-sum-exps, follows the thread count. Qwen2 for the biases
     * added before the rotation.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"llama, f32", "qwen2, q8_0"})
    void aLongPromptOnTwoThreadsEqualsOneThread(String arch, String type) {
        Preset base = Preset.custom(256, 512, 2, 4, 2, 1000, 256);
        Preset p = new Preset("t", arch, base.dim(), base.hiddenDim(), base.layers(), base.heads(), base.kvHeads(),
                base.vocabSize(), base.contextLength(), 10000f, 1e-5f, arch.equals("qwen2"), arch.equals("qwen2"));
        LlamaModel model = SyntheticModels.build(p, WeightRecipe.parse(type), 3);
        int[] prompt = new SplittableRandom(9).ints(150, 0, 1000).toArray();
        float[][] logits = new float[2][];
        for (int threads = 1; threads <= 2; threads++) {
            try (var pool = new WorkerPool(threads)) {
                InferenceSession session = new InferenceSession(model, pool, 200);
                session.prefill(prompt);
                logits[threads - 1] = session.logitsBuffer().clone();
            }
        }
        assertClose(logits[1], logits[0]);
    }

    /**
     * Every batch size from 2 up, across the native kernels' switch from one matrix x vector
     * product per sequence to the batched product ({@code NativeMatrix.MIN_BATCH}), each sequence
     * at a position of its own: the step toks serve and {@code toks bench -B} decode with.
     */
    @ParameterizedTest(name = "{0} sequences, {1} kernels")
    @CsvSource({"2, java", "3, java", "5, java", "8, java", "2, native", "4, native", "5, native", "6, native", "7, native", "9, native"})
    void everyBatchSizeAtDifferentPositionsEqualsDecodingAlone(int sequences, String kernels) {
        if (kernels.equals("native")) assumeTrue(Kernels.support().nativeAvailable(), "native kernels not built here");
        LlamaModel model = SyntheticModels.build(Preset.custom(256, 512, 2, 4, 2, 1000, 128), WeightRecipe.parse("q4_0"), 11)
                .withKernels(Kernels.parse(kernels));
        // From MIN_BATCH sequences the native step runs the batched kernel, decoding alone the matrix x vector one: both on
        // activations rounded to int8, where a last-bit difference (sum order) can move a value to the next rounding step.
        boolean otherRounding = model.kernels() == Kernels.NATIVE && sequences >= NativeMatrix.MIN_BATCH;
        SplittableRandom random = new SplittableRandom(sequences);
        try (var pool = new WorkerPool(2)) {
            BatchDecoder decoder = new BatchDecoder(model, pool, sequences);
            InferenceSession[] batched = new InferenceSession[sequences];
            InferenceSession[] alone = new InferenceSession[sequences];
            for (int s = 0; s < sequences; s++) {
                batched[s] = new InferenceSession(model, pool, 96);
                alone[s] = new InferenceSession(model, pool, 96);
                if (s == 0) continue; // one sequence starts from an empty cache, at position 0
                int[] prompt = random.ints(3 * s + s % 2, 0, 1000).toArray();
                batched[s].prefill(prompt);
                alone[s].prefill(prompt);
            }
            for (int step = 0; step < 3; step++) {
                int[] tokens = random.ints(sequences, 0, 1000).toArray();
                decoder.step(batched, tokens, sequences);
                for (int s = 0; s < sequences; s++) {
                    if (otherRounding) assertSameToTheRounding(batched[s].logits(), alone[s].decode(tokens[s]));
                    else assertClose(batched[s].logits(), alone[s].decode(tokens[s]));
                    assertThat(batched[s].position()).isEqualTo(alone[s].position());
                }
            }
            assertThat(batched[0].position()).isEqualTo(3);
            assertThat(batched[sequences - 1].position()).isEqualTo(3 * (sequences - 1) + (sequences - 1) % 2 + 3);
        }
    }

    /** As BatchedPrefillTest judges native against token-by-token: close to the rounding's scale, the same most likely token. */
    static void assertSameToTheRounding(float[] a, float[] b) {
        double err = 0, norm = 0;
        int argmaxA = 0, argmaxB = 0;
        for (int i = 0; i < a.length; i++) {
            err += (a[i] - b[i]) * (double) (a[i] - b[i]);
            norm += b[i] * (double) b[i];
            if (a[i] > a[argmaxA]) argmaxA = i;
            if (b[i] > b[argmaxB]) argmaxB = i;
        }
        assertThat(Math.sqrt(err / norm)).as("relative RMS difference of the logits").isLessThan(2e-2);
        assertThat(argmaxA).isEqualTo(argmaxB);
    }

    private static void assertClose(float[] a, float[] b) {
        float max = 0;
        for (float v : b) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < a.length; i++) assertThat(a[i]).as("logit %d", i).isCloseTo(b[i], within(1e-4f * (1 + max)));
    }
}
