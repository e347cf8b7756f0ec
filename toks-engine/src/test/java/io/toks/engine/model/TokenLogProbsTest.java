package io.toks.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.toks.engine.ModelLoader;
import io.toks.engine.parallel.WorkerPool;
import io.toks.engine.synth.Preset;
import io.toks.engine.synth.SyntheticModels;
import io.toks.engine.synth.WeightRecipe;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Log-softmax against the textbook formula, and scoring a sequence (logits at every position)
 * against feeding it token by token with {@link InferenceSession#decode}.
 */
class TokenLogProbsTest {

    /** The textbook formula, without the max shift: fine for logits of moderate size. */
    private static double naiveLogProb(float[] logits, int token) {
        double sum = 0;
        for (float l : logits) sum += Math.exp(l);
        return Math.log(Math.exp(logits[token]) / sum);
    }

    private static float[] randomLogits(int n, long seed, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] l = new float[n];
        for (int i = 0; i < n; i++) l[i] = (float) (r.nextGaussian() * scale);
        return l;
    }

    @Test
    void logProbsEqualTheTextbookLogSoftmaxAndSumToOne() {
        float[] logits = randomLogits(32000, 1, 4);
        double lse = TokenLogProbs.logSumExp(logits);
        double total = 0;
        for (int i = 0; i < logits.length; i++) {
            double lp = TokenLogProbs.logProb(logits, i, lse);
            assertThat(lp).isCloseTo(naiveLogProb(logits, i), within(1e-9));
            assertThat(lp).isNegative();
            total += Math.exp(lp);
        }
        assertThat(total).isCloseTo(1.0, within(1e-9));
        assertThat(TokenLogProbs.logProb(logits, 7)).isEqualTo(TokenLogProbs.logProb(logits, 7, lse));
    }

    @Test
    void largeLogitsDoNotOverflow() {
        // exp(1000) overflows a double: the max shift keeps it finite.
        float[] logits = {1000f, 1000f, -1000f, Float.NEGATIVE_INFINITY};
        assertThat(TokenLogProbs.logProb(logits, 0)).isCloseTo(Math.log(0.5), within(1e-12));
        assertThat(TokenLogProbs.logProb(logits, 2)).isCloseTo(-2000 - Math.log(2), within(1e-9));
        assertThat(TokenLogProbs.logProb(logits, 3)).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThatThrownBy(() -> TokenLogProbs.logProb(logits, 4)).hasMessageContaining("token id 4 outside vocabulary of 4");
    }

    @Test
    void topIsTheMostLikelyInOrderTiesByLowerId() {
        float[] logits = randomLogits(5000, 2, 3);
        logits[10] = 50;
        logits[20] = 50;
        double lse = TokenLogProbs.logSumExp(logits);
        List<TokenLogProbs.Candidate> top = TokenLogProbs.top(logits, 20, lse);
        // Reference: sort every id by (logit descending, id ascending).
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < logits.length; i++) ids.add(i);
        ids.sort((a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
        assertThat(top).hasSize(20);
        for (int j = 0; j < 20; j++) {
            assertThat(top.get(j).token()).isEqualTo(ids.get(j));
            assertThat(top.get(j).logProb()).isEqualTo(TokenLogProbs.logProb(logits, ids.get(j), lse));
        }
        assertThat(top.get(0).token()).isEqualTo(10);
        assertThat(top.get(1).token()).isEqualTo(20);
        assertThat(TokenLogProbs.top(logits, 0, lse)).isEmpty();
        assertThat(TokenLogProbs.top(new float[] {1, 3}, 5, 0)).extracting(TokenLogProbs.Candidate::token).containsExactly(1, 0);
    }

    /** The embedded model is prefilled token by token: scoring is decode at every position. */
    @Test
    void sequenceLogProbsEqualDecodingTokenByToken() throws Exception {
        LlamaModel model = ModelLoader.loadEmbedded();
        int[] tokens = model.tokenizer().encode("Once upon a time, there was a little girl named Lily.", true, false);
        try (var pool = new WorkerPool(1)) {
            double[] scored = TokenLogProbs.ofSequence(new InferenceSession(model, pool, 64), tokens);
            InferenceSession reference = new InferenceSession(model, pool, 64);
            assertThat(scored[0]).isNaN();
            for (int i = 0; i + 1 < tokens.length; i++) {
                float[] logits = reference.decode(tokens[i]);
                // Not bit-equal: the Vector API's lane reductions may sum in another order once compiled.
                assertThat(scored[i + 1]).as("token %d", i + 1).isCloseTo(naiveLogProb(logits, tokens[i + 1]), within(1e-5)).isNegative();
            }
        }
    }

    /** A model prefilled in batches: the batched scoring pass gives every position's logits, across batch boundaries. */
    @Test
    void batchedScoringEqualsDecodingTokenByToken() {
        LlamaModel model = SyntheticModels.build(Preset.custom(256, 512, 2, 4, 2, 1000, 128), WeightRecipe.parse("q8_0"), 7);
        int[] prompt = new SplittableRandom(3).ints(61, 0, 1000).toArray(); // crosses a batch boundary (48)
        try (var pool = new WorkerPool(2)) {
            InferenceSession scored = new InferenceSession(model, pool, 80);
            InferenceSession single = new InferenceSession(model, pool, 80);
            InferenceSession prefilled = new InferenceSession(model, pool, 80);
            float[][] rows = new float[prompt.length][];
            scored.score(prompt, (i, logits) -> rows[i] = logits.clone());
            for (int i = 0; i < prompt.length; i++) assertClose(rows[i], single.decode(prompt[i]));
            assertThat(scored.position()).isEqualTo(61);
            assertClose(scored.logits(), prefilled.prefill(prompt));
            // The KV cache is the same too: the next step agrees.
            assertClose(scored.decode(17).clone(), single.decode(17));
        }
    }

    @Test
    void scoringAnEmptyOrTooLongSequenceIsRefused() throws Exception {
        LlamaModel model = ModelLoader.loadEmbedded();
        try (var pool = new WorkerPool(1)) {
            InferenceSession s = new InferenceSession(model, pool, 8);
            assertThatThrownBy(() -> TokenLogProbs.ofSequence(s, new int[0])).hasMessageContaining("no tokens");
            assertThatThrownBy(() -> s.score(new int[9], (i, l) -> {})).hasMessageContaining("do not fit the context of 8");
        }
    }

    private static void assertClose(float[] a, float[] b) {
        float max = 0;
        for (float v : b) max = Math.max(max, Math.abs(v));
        for (int i = 0; i < a.length; i++) assertThat(a[i]).as("logit %d", i).isCloseTo(b[i], within(1e-4f * (1 + max)));
    }
}
