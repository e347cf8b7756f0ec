package io.toks.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.toks.core.ToksException;
import io.toks.core.estimate.KvCacheType;
import io.toks.engine.kernel.Kernels;
import io.toks.engine.parallel.WorkerPool;
import io.toks.engine.synth.Preset;
import io.toks.engine.synth.SyntheticModels;
import io.toks.engine.synth.WeightRecipe;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A step over a mixed batch (decoded tokens of some sequences, prompt chunks of others) computes
 * what running each sequence alone computes: prefill of its whole prompt, then decode token by
 * token. Scheduled like a server with chunked prefill: sequences arrive at different steps, a
 * prompt budget per step splits prompts at positions that are not their end, and two prompts can
 * share a step. Compared are the logits wherever a sequence has them and, at the end, every
 * position of every KV cache.
 */
class MixedStepTest {

    private static final int PROMPT_BUDGET = 16, SEQUENCES = 4, STEPS = 9;
    private static final int[] PROMPT_LENGTHS = {5, 30, 41, 23};
    /** The step at which each sequence arrives. */
    private static final int[] ARRIVAL = {0, 0, 2, 3};

    /** One sequence of the schedule: its session in the mixed steps, and the same sequence run alone. */
    private static final class Sequence {
        final InferenceSession mixed, alone;
        final int[] prompt;
        int prefilled, chunk, nextToken;

        Sequence(InferenceSession mixed, InferenceSession alone, int[] prompt) {
            this.mixed = mixed;
            this.alone = alone;
            this.prompt = prompt;
        }

        boolean decoding() {
            return prefilled == prompt.length;
        }
    }

    @ParameterizedTest(name = "{0} {1} cache={2} {3} kernels threads={4}")
    @CsvSource({"llama, f32, f32, java, 1", "llama, q4_0, f16, java, 2", "qwen2, q8_0, q8_0, java, 2", "llama, q4_0, f16, native, 2"})
    void mixedStepsEqualRunningEachSequenceAlone(String arch, String type, String cache, String kernels, int threads) {
        if (kernels.equals("native")) assumeTrue(Kernels.support().nativeAvailable(), "native kernels not built here");
        Preset base = Preset.custom(256, 512, 2, 4, 2, 1000, 128);
        Preset p = new Preset("t", arch, base.dim(), base.hiddenDim(), base.layers(), base.heads(), base.kvHeads(),
                base.vocabSize(), base.contextLength(), 10000f, 1e-5f, arch.equals("qwen2"), arch.equals("qwen2"));
        LlamaModel model = SyntheticModels.build(p, WeightRecipe.parse(type), 7).withKernels(Kernels.parse(kernels));
        // Native products of 6 rows and more round activations to int8 in the batched kernel, alone one at a time: a
        // last-bit difference can move a value to the next rounding step (as BatchDecoderTest judges them).
        boolean rounded = model.kernels() == Kernels.NATIVE;
        KvCacheType cacheType = KvCacheType.valueOf(cache.toUpperCase());
        SplittableRandom random = new SplittableRandom(3);
        try (var pool = new WorkerPool(threads)) {
            BatchDecoder decoder = new BatchDecoder(model, pool, SEQUENCES + PROMPT_BUDGET);
            StepBatch batch = new StepBatch(SEQUENCES + PROMPT_BUDGET);
            Sequence[] all = new Sequence[SEQUENCES];
            Deque<Sequence> prefilling = new ArrayDeque<>();
            int compared = 0;
            for (int step = 0; step < STEPS; step++) {
                for (int s = 0; s < SEQUENCES; s++) {
                    if (ARRIVAL[s] != step) continue;
                    all[s] = new Sequence(new InferenceSession(model, pool, 96, cacheType), new InferenceSession(model, pool, 96, cacheType),
                            random.ints(PROMPT_LENGTHS[s], 0, 1000).toArray());
                    prefilling.add(all[s]);
                }
                batch.clear();
                for (Sequence q : all) {
                    if (q == null || !q.decoding()) continue;
                    q.nextToken = random.nextInt(1000);
                    batch.decode(q.mixed, q.nextToken);
                }
                int budget = PROMPT_BUDGET;
                for (Sequence q : prefilling) {
                    q.chunk = Math.min(budget, q.prompt.length - q.prefilled);
                    if (q.chunk == 0) continue;
                    batch.prefill(q.mixed, q.prompt, q.prefilled, q.chunk, q.prefilled + q.chunk == q.prompt.length);
                    budget -= q.chunk;
                }
                decoder.step(batch);
                for (Sequence q : all) {
                    if (q == null) continue;
                    if (q.decoding()) {
                        assertSame(q.mixed.logits(), q.alone.decode(q.nextToken), rounded);
                        compared++;
                    } else if (q.chunk > 0) {
                        q.prefilled += q.chunk;
                        q.chunk = 0;
                        if (q.decoding()) {
                            prefilling.remove(q);
                            assertSame(q.mixed.logits(), q.alone.prefill(q.prompt), rounded);
                            compared++;
                        }
                    }
                    assertThat(q.mixed.position()).isEqualTo(q.decoding() ? q.alone.position() : q.prefilled);
                }
            }
            assertThat(prefilling).as("every prompt prefilled within the steps").isEmpty();
            assertThat(compared).as("logits compared").isGreaterThan(2 * SEQUENCES);
            for (Sequence q : all) {
                assertThat(q.mixed.position()).isEqualTo(q.alone.position());
                assertSameCaches(q.mixed.cache(), q.alone.cache(), q.mixed.position(), model.config(), rounded);
            }
        }
    }

    @Test
    void aBatchRefusesWhatAStepCannotRun() {
        LlamaModel model = SyntheticModels.build(Preset.custom(256, 512, 1, 4, 2, 1000, 128), WeightRecipe.parse("f32"), 1);
        try (var pool = new WorkerPool(1)) {
            InferenceSession a = new InferenceSession(model, pool, 8), b = new InferenceSession(model, pool, 8);
            StepBatch batch = new StepBatch(4);
            batch.decode(a, 1);
            assertThatThrownBy(() -> batch.prefill(a, new int[] {1, 2}, 0, 2, true)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("one run of rows per step");
            assertThatThrownBy(() -> batch.prefill(b, new int[] {1, 2, 3, 4}, 0, 4, true)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("room for 3 more");
            assertThatThrownBy(() -> batch.prefill(b, new int[] {1, 2}, 1, 2, true)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("outside a prompt of 2");
            assertThat(batch.rows()).isEqualTo(1);
            StepBatch big = new StepBatch(16);
            assertThatThrownBy(() -> big.prefill(b, new int[9], 0, 9, true)).isInstanceOf(ToksException.class)
                    .hasMessageContaining("do not fit the context of 8");
            BatchDecoder decoder = new BatchDecoder(model, pool, 2);
            big.prefill(b, new int[3], 0, 3, true);
            assertThatThrownBy(() -> decoder.step(big)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside 1..2");
            batch.clear();
            assertThatThrownBy(() -> decoder.step(batch)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch of 0");
        }
    }

    /** A prompt row that does not end its prompt gets no logits: the session's logits stay as they were. */
    @Test
    void promptRowsBeforeThePromptsEndLeaveTheLogitsAlone() {
        LlamaModel model = SyntheticModels.build(Preset.custom(256, 512, 1, 4, 2, 1000, 128), WeightRecipe.parse("f32"), 2);
        try (var pool = new WorkerPool(1)) {
            InferenceSession s = new InferenceSession(model, pool, 32);
            java.util.Arrays.fill(s.logits(), 42f);
            StepBatch batch = new StepBatch(8);
            batch.prefill(s, new int[] {5, 6, 7, 8}, 0, 3, false);
            new BatchDecoder(model, pool, 8).step(batch);
            assertThat(s.position()).isEqualTo(3);
            assertThat(s.logits()).containsOnly(42f);
        }
    }

    private static void assertSame(float[] mixed, float[] alone, boolean rounded) {
        if (rounded) {
            BatchDecoderTest.assertSameToTheRounding(mixed, alone); // close to the int8 rounding's scale, the same most likely token
            return;
        }
        float max = 0;
        for (float v : alone) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < mixed.length; i++) assertThat(mixed[i]).as("logit %d", i).isCloseTo(alone[i], within(1e-4f * (1 + max)));
    }

    /** Every stored key and value, to the cache type's own rounding (an F16/Q8_0 element may land one step apart). */
    private static void assertSameCaches(KvCache mixed, KvCache alone, int positions, LlamaConfig c, boolean rounded) {
        double tolerance = switch (mixed.type()) {
            case F32 -> rounded ? 2e-2 : 1e-4;
            case F16 -> rounded ? 2e-2 : 2e-3;
            default -> 2e-2;
        };
        for (int l = 0; l < c.layers(); l++) {
            double err = 0, norm = 0;
            for (int pos = 0; pos < positions; pos++) {
                for (int i = 0; i < c.kvDim(); i++) {
                    double dk = mixed.key(l, pos, i) - alone.key(l, pos, i), dv = mixed.value(l, pos, i) - alone.value(l, pos, i);
                    err += dk * dk + dv * dv;
                    norm += alone.key(l, pos, i) * (double) alone.key(l, pos, i) + alone.value(l, pos, i) * (double) alone.value(l, pos, i);
                }
            }
            assertThat(Math.sqrt(err / norm)).as("relative RMS difference of layer %d's cache", l).isLessThan(tolerance);
        }
    }
}
