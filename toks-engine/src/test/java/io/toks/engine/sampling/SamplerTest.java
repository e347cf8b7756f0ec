package io.toks.engine.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.toks.core.ToksException;
import io.toks.engine.model.LlamaConfig;
import io.toks.engine.model.RopeStyle;
import org.junit.jupiter.api.Test;

class SamplerTest {

    @Test
    void nanLogitsAreANamedErrorNotAnIndexOutOfBounds() {
        float[] logits = {Float.NaN, Float.NaN, Float.NaN};
        assertThatThrownBy(() -> Sampler.of(0.8f, 0, 0.9f, 1).sample(logits.clone()))
                .isInstanceOf(ToksException.class).hasMessageContaining("not a number");
        assertThatThrownBy(() -> Sampler.of(0.8f, 2, 1, 1).sample(logits.clone()))
                .isInstanceOf(ToksException.class).hasMessageContaining("not a number");
        // Greedy too: an argmax over NaN would pick token 0 every step and the run would "succeed".
        assertThatThrownBy(() -> Sampler.of(0, 0, 1, 1).sample(logits.clone()))
                .isInstanceOf(NonFiniteLogitsException.class).hasMessageContaining("weights or hyper-parameters hold NaN or infinity");
        assertThatThrownBy(() -> new GreedySampler().sample(new float[] {1, Float.POSITIVE_INFINITY, 2}))
                .isInstanceOf(NonFiniteLogitsException.class);
        assertThatThrownBy(() -> Sampler.of(0.8f, 0, 0, 1).sample(new float[] {1, Float.POSITIVE_INFINITY, 2}))
                .isInstanceOf(NonFiniteLogitsException.class);
        assertThat(Sampler.of(0.8f, 0, 0, 1).sample(new float[] {Float.NEGATIVE_INFINITY, 3, Float.NEGATIVE_INFINITY}))
                .as("-infinity rules a token out").isEqualTo(1);
    }

    @Test
    void implausibleHyperParametersAreRefusedAtLoad() {
        for (float eps : new float[] {Float.NaN, -1e-5f, 0f, 2f}) {
            assertThatThrownBy(() -> new LlamaConfig(64, 172, 5, 8, 4, 512, 512, eps,
                    10000f, 8, RopeStyle.values()[0])).hasMessageContaining("rms_norm_eps");
        }
        assertThatThrownBy(() -> new LlamaConfig(64, 172, 5, 8, 4, 512, 512, 1e-5f,
                Float.NaN, 8, RopeStyle.values()[0])).hasMessageContaining("rope_freq_base");
    }

    @Test
    void greedyTakesTheFirstMaximum() {
        assertThat(new GreedySampler().sample(new float[] {1, 5, 5, 2})).isEqualTo(1);
        assertThat(Sampler.of(0, 0, 1, 1)).isInstanceOf(GreedySampler.class);
    }

    @Test
    void xorshiftMatchesLlama2c() {
        // First outputs of llama2.c's random_u32 / random_f32 for seed 133742, printed by a C
        // program (gcc 12, unsigned long long state) built from run.c's two functions.
        var sampler = new RandomSampler(1, 0, 0, 133742);
        assertThat(sampler.nextU32() & 0xFFFFFFFFL).isEqualTo(3033531262L);
        assertThat(sampler.nextU32() & 0xFFFFFFFFL).isEqualTo(2674377904L);
        assertThat(sampler.nextU32() & 0xFFFFFFFFL).isEqualTo(2312864567L);
        assertThat(sampler.nextFloat()).isEqualTo(0.532580435f);
    }

    @Test
    void sameSeedSameChoices() {
        float[] logits = {0.1f, 0.5f, 0.2f, 1.5f, 0.7f};
        var a = new RandomSampler(1, 0, 0.9f, 42);
        var b = new RandomSampler(1, 0, 0.9f, 42);
        for (int i = 0; i < 100; i++) assertThat(a.sample(logits.clone())).isEqualTo(b.sample(logits.clone()));
    }

    @Test
    void topKOfOneAndTinyTopPAreGreedy() {
        float[] logits = {0.1f, 2.5f, 0.2f, 1.5f, 0.7f};
        var k1 = new RandomSampler(1.5f, 1, 0, 7);
        var p = new RandomSampler(1.5f, 0, 0.01f, 7);
        for (int i = 0; i < 200; i++) {
            assertThat(k1.sample(logits.clone())).isEqualTo(1);
            assertThat(p.sample(logits.clone())).isEqualTo(1);
        }
    }

    @Test
    void frequenciesFollowTheSoftmax() {
        float[] logits = {0f, (float) Math.log(2), (float) Math.log(3), (float) Math.log(4)}; // p = 0.1 .. 0.4
        var s = new RandomSampler(1, 0, 0, 2024);
        int[] counts = new int[4];
        int n = 200_000;
        for (int i = 0; i < n; i++) counts[s.sample(logits.clone())]++;
        for (int i = 0; i < 4; i++) assertThat(counts[i] / (double) n).isCloseTo((i + 1) / 10.0, within(0.005));
    }

    @Test
    void topKRestrictsToTheKMostLikely() {
        float[] logits = {3f, 2.9f, 2.8f, -1f, -2f};
        var s = new RandomSampler(5f, 2, 0, 3);
        for (int i = 0; i < 500; i++) assertThat(s.sample(logits.clone())).isIn(0, 1);
    }

    @Test
    void badSettingsAreRejectedWithTheirName() {
        assertThatThrownBy(() -> Sampler.of(-1, 0, 0.9f, 1)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> Sampler.of(1, -3, 0.9f, 1)).hasMessageContaining("top-k");
        assertThatThrownBy(() -> Sampler.of(1, 0, 1.5f, 1)).hasMessageContaining("top-p");
    }
}
