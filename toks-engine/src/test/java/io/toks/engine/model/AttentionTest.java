package io.toks.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.toks.core.estimate.KvCacheType;
import io.toks.engine.kernel.Kernels;
import io.toks.engine.kernel.NativeAttention;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Attention over a KV cache of each element type, a group of query heads sharing a key/value
 * head (GQA), equals {@link AttentionDefinition} over the cache's own (dequantized) elements: over
 * whole ranges, ranges longer than a block (merged blocks), ranges split and combined as a
 * decode step split across threads is, and rows of a prefill tile; with the Java kernels and, for
 * the head sizes it takes, the native kernel, which also equals the Java one to float rounding.
 */
class AttentionTest {

    /** A cache of one layer holding random keys and values at positions [0, n), and queries. */
    private record Fixture(KvCache cache, float[] q, int qOffset, int heads, int headSize, int kvHead, float scale) {

        static Fixture of(KvCacheType type, int heads, int headSize, int n, long seed) {
            return of(type, heads, headSize, n, seed, Kernels.JAVA);
        }

        /** With {@code kernels} native, attention over heads the native kernel takes runs natively. */
        static Fixture of(KvCacheType type, int heads, int headSize, int n, long seed, Kernels kernels) {
            Random random = new Random(seed);
            int kvHeads = 2, kvDim = kvHeads * headSize;
            KvCache cache = KvCache.of(type, 1, n + 9, kvDim, kernels);
            float[] k = new float[kvDim], v = new float[kvDim];
            for (int p = 0; p < n; p++) {
                for (int i = 0; i < kvDim; i++) {
                    k[i] = (float) random.nextGaussian();
                    v[i] = (float) random.nextGaussian();
                }
                cache.store(0, p, k, v);
            }
            int qOffset = 3;
            float[] q = new float[qOffset + heads * headSize];
            for (int i = 0; i < q.length; i++) q[i] = (float) random.nextGaussian();
            return new Fixture(cache, q, qOffset, heads, headSize, 1, (float) (1 / Math.sqrt(headSize)));
        }

        void assertEqualsDefinition(float[] out, int outOffset, float[] lse, int lseOffset, int from, int to) {
            assertThat(from).as("the definition covers ranges from 0").isZero();
            for (int h = 0; h < heads; h++) {
                double[] expected = AttentionDefinition.of(cache, 0, q, qOffset + h * headSize, kvHead * headSize, to, headSize, scale);
                for (int d = 0; d < headSize; d++) {
                    assertThat((double) out[outOffset + h * headSize + d]).as("head %d dimension %d", h, d).isCloseTo(expected[d], within(1e-4));
                }
                double expectedLse = AttentionDefinition.logSumExp(cache, 0, q, qOffset + h * headSize, kvHead * headSize, to, headSize, scale);
                assertThat((double) lse[lseOffset + h]).as("head %d log-sum-exp", h).isCloseTo(expectedLse, within(1e-3));
            }
        }
    }

    @ParameterizedTest(name = "{0}: {1} heads per group, head size {2}, {3} positions")
    @CsvSource({"f32, 1, 64, 1", "f32, 2, 64, 101", "f32, 4, 64, 71", "f32, 5, 64, 64", "f32, 3, 48, 101", "f32, 4, 8, 18",
            "f32, 4, 128, 130", "f32, 7, 17, 300", "f32, 4, 64, 777",
            "f16, 1, 64, 1", "f16, 4, 64, 71", "f16, 3, 48, 101", "f16, 7, 17, 300", "f16, 4, 64, 257", "f16, 4, 64, 777",
            "q8_0, 1, 64, 1", "q8_0, 4, 64, 71", "q8_0, 3, 48, 101", "q8_0, 4, 16, 300", "q8_0, 4, 64, 257", "q8_0, 2, 128, 777"})
    void aGroupOfHeadsEqualsTheDefinition(String type, int heads, int headSize, int n) {
        var f = Fixture.of(KvCacheType.ofKey(type), heads, headSize, n, 31L * heads + headSize + n);
        float[] out = new float[(heads + 1) * headSize]; // one head's room past the group: must stay untouched
        Arrays.fill(out, heads * headSize, out.length, 42f);
        float[] lse = new float[heads];
        Attention.attend(f.cache(), 0, f.q(), f.qOffset(), heads, f.kvHead() * headSize, headSize, f.scale(), 0, n, out, 0, lse, 0);
        f.assertEqualsDefinition(out, 0, lse, 0, 0, n);
        for (int i = heads * headSize; i < out.length; i++) assertThat(out[i]).as("past the group's output, %d", i).isEqualTo(42f);
    }

    @ParameterizedTest(name = "{0}: {1} positions split at {2}")
    @CsvSource({"f32, 600, 256", "f32, 300, 1", "f32, 300, 299", "f16, 600, 256", "f16, 515, 300", "q8_0, 600, 256", "q8_0, 77, 40"})
    void rangesSplitAndCombinedEqualTheWholeRange(String type, int n, int split) {
        int heads = 4, headSize = 64;
        var f = Fixture.of(KvCacheType.ofKey(type), heads, headSize, n, n + split);
        float[] out = new float[heads * headSize], part = new float[heads * headSize], lse = new float[heads], partLse = new float[heads];
        int kvOffset = f.kvHead() * headSize;
        Attention.attend(f.cache(), 0, f.q(), f.qOffset(), heads, kvOffset, headSize, f.scale(), 0, split, out, 0, lse, 0);
        Attention.attend(f.cache(), 0, f.q(), f.qOffset(), heads, kvOffset, headSize, f.scale(), split, n, part, 0, partLse, 0);
        Attention.combine(out, 0, lse, 0, part, 0, partLse, 0, heads, headSize);
        f.assertEqualsDefinition(out, 0, lse, 0, 0, n);
    }

    @ParameterizedTest(name = "{0}: rows at positions {1}..{2}")
    @CsvSource({"f32, 0, 20", "f32, 250, 270", "f16, 0, 20", "f16, 240, 530", "q8_0, 250, 270", "q8_0, 500, 517"})
    void rowsOfAPrefillTileEachEqualTheDefinition(String type, int firstPosition, int lastPosition) {
        int heads = 4, headSize = 32, rows = lastPosition - firstPosition + 1;
        var f = Fixture.of(KvCacheType.ofKey(type), heads, headSize, lastPosition + 1, firstPosition);
        float[][] q = new float[rows][f.qOffset() + heads * headSize], out = new float[rows][f.qOffset() + heads * headSize];
        float[][] lse = new float[rows][heads + 1];
        int[] positions = new int[rows];
        for (int r = 0; r < rows; r++) {
            positions[r] = firstPosition + r;
            q[r] = f.q().clone();
            for (int i = 0; i < q[r].length; i++) q[r][i] *= 1 + 0.01f * r; // rows differ
        }
        Attention.attendRows(f.cache(), 0, q, positions, 0, rows, f.qOffset(), heads, f.kvHead() * headSize, headSize, f.scale(), out,
                lse, 1);
        for (int r = 0; r < rows; r++) {
            var row = new Fixture(f.cache(), q[r], f.qOffset(), heads, headSize, f.kvHead(), f.scale());
            row.assertEqualsDefinition(out[r], f.qOffset(), lse[r], 1, 0, positions[r] + 1);
        }
    }

    @ParameterizedTest(name = "{0}: {1} heads per group, head size {2}, {3} positions")
    @CsvSource({"f32, 4, 64, 1", "f32, 3, 96, 300", "f32, 4, 128, 777", "f32, 9, 32, 100",
            "f16, 4, 64, 1", "f16, 4, 64, 257", "f16, 2, 128, 600", "f16, 5, 32, 77", "f16, 4, 64, 4100",
            "q8_0, 4, 64, 71", "q8_0, 4, 64, 513", "q8_0, 7, 128, 300", "q8_0, 1, 160, 45",
            "f16, 4, 48, 300", "f32, 5, 8, 200", "f16, 2, 12, 90", // heads of any size for F32 and F16
            "q8_0, 3, 16, 70"}) // Q8_0 heads off its 32-element blocks: Java attends
    void nativeAttentionEqualsJavaAndTheDefinition(String type, int heads, int headSize, int n) {
        assumeTrue(NativeAttention.available(), "native attention not built or loaded here");
        long seed = 17L * heads + headSize + n;
        var nat = Fixture.of(KvCacheType.ofKey(type), heads, headSize, n, seed, Kernels.NATIVE);
        var java = Fixture.of(KvCacheType.ofKey(type), heads, headSize, n, seed, Kernels.JAVA);
        assertThat(nat.cache().nativeLayer(0, headSize) != null).as("runs natively").isEqualTo(!type.equals("q8_0") || headSize % 32 == 0);
        assertThat(java.cache().nativeLayer(0, headSize)).as("Java kernels: Java attention").isNull();
        int kvOffset = nat.kvHead() * headSize, split = n / 3;
        float[] out = new float[heads * headSize], lse = new float[heads], expected = new float[heads * headSize], expectedLse = new float[heads];
        Attention.attend(nat.cache(), 0, nat.q(), nat.qOffset(), heads, kvOffset, headSize, nat.scale(), 0, n, out, 0, lse, 0);
        Attention.attend(java.cache(), 0, java.q(), java.qOffset(), heads, kvOffset, headSize, java.scale(), 0, n, expected, 0, expectedLse, 0);
        nat.assertEqualsDefinition(out, 0, lse, 0, 0, n);
        for (int i = 0; i < out.length; i++) assertThat(out[i]).as("native vs Java, %d", i).isCloseTo(expected[i], within(2e-5f));
        for (int j = 0; j < heads; j++) assertThat(lse[j]).as("native vs Java log-sum-exp %d", j).isCloseTo(expectedLse[j], within(1e-4f));
        if (split == 0) return;
        // as a decode step split across threads: two ranges merged
        float[] part = new float[heads * headSize], partLse = new float[heads];
        Attention.attend(nat.cache(), 0, nat.q(), nat.qOffset(), heads, kvOffset, headSize, nat.scale(), 0, split, out, 0, lse, 0);
        Attention.attend(nat.cache(), 0, nat.q(), nat.qOffset(), heads, kvOffset, headSize, nat.scale(), split, n, part, 0, partLse, 0);
        Attention.combine(out, 0, lse, 0, part, 0, partLse, 0, heads, headSize);
        nat.assertEqualsDefinition(out, 0, lse, 0, 0, n);
    }

    @ParameterizedTest(name = "{0}: rows at positions {1}..{2}")
    @CsvSource({"f32, 0, 20", "f16, 240, 530", "q8_0, 500, 517"})
    void rowsOfAPrefillTileEachEqualTheDefinitionNatively(String type, int firstPosition, int lastPosition) {
        assumeTrue(NativeAttention.available(), "native attention not built or loaded here");
        int heads = 4, headSize = 64, rows = lastPosition - firstPosition + 1;
        var f = Fixture.of(KvCacheType.ofKey(type), heads, headSize, lastPosition + 1, firstPosition, Kernels.NATIVE);
        assertThat(f.cache().nativeLayer(0, headSize)).isNotNull();
        float[][] q = new float[rows][], out = new float[rows][f.qOffset() + heads * headSize], lse = new float[rows][heads];
        int[] positions = new int[rows];
        for (int r = 0; r < rows; r++) {
            positions[r] = firstPosition + r;
            q[r] = f.q().clone();
            for (int i = 0; i < q[r].length; i++) q[r][i] *= 1 - 0.02f * (r % 7); // rows differ
        }
        Attention.attendRows(f.cache(), 0, q, positions, 0, rows, f.qOffset(), heads, f.kvHead() * headSize, headSize, f.scale(), out,
                lse, 0);
        for (int r = 0; r < rows; r++) {
            new Fixture(f.cache(), q[r], f.qOffset(), heads, headSize, f.kvHead(), f.scale())
                    .assertEqualsDefinition(out[r], f.qOffset(), lse[r], 0, 0, positions[r] + 1);
        }
    }

    @Test
    void aCacheForJavaKernelsNeverAttendsNatively() {
        for (KvCacheType type : KvCacheType.values()) {
            assertThat(KvCache.of(type, 2, 64, 128, Kernels.JAVA).nativeLayer(1, 64)).as("%s", type).isNull();
            assertThat(KvCache.of(type, 2, 64, 128).nativeLayer(1, 64)).as("%s", type).isNull();
        }
    }
}
