package io.toks.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.toks.core.estimate.KvCacheType;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every implementation of the native attention kernel the build has (the scalar reference, 256-
 * and 512-bit) equals attention's definition, computed here in doubles from the layer's
 * elements, on head sizes of every multiple of 32 up to 160 and (F32 and F16 caches) of sizes
 * that are no multiple of the vectors (8, 12, 40, 72, 100: stories260K has 8), groups of 1 to 9 query heads (the
 * vector kernels take 4 at a time), and blocks whose length and start are not multiples of the
 * kernels' vectors and tiles, and scores so peaked that most weights are subnormal (which the
 * vector kernels flush to zero); the vector ones also equal the scalar one to float rounding.
 * Where the build made the library it must have the kernel.
 */
class NativeAttentionTest {

    @BeforeAll
    static void kernelIsThereWhereTheLibraryIs() {
        boolean built = NativeKernels.class.getResource(NativeKernels.RESOURCE) != null;
        if (System.getenv("TOKS_REQUIRE_NATIVE") != null) assertThat(built).as("native kernels were not built").isTrue();
        assumeTrue(built && NativeKernels.available(), "native kernels not built or loaded here");
        assertThat(NativeAttention.available()).as(String.valueOf(NativeAttention.unavailableReason())).isTrue();
        assertThat(NativeAttention.variants()).contains(NativeAttention.Variant.SCALAR, NativeAttention.Variant.AVX2);
    }

    /** A layer of random elements in the kernel's layout, and each element as the kernel sees it (widened). */
    private record Fixture(NativeAttention.Layer layer, float[][] keys, float[][] values) {

        static Fixture of(KvCacheType type, int contextSize, int kvDim, Random random) {
            int elements = contextSize * kvDim;
            float[][] keys = new float[contextSize][kvDim], values = new float[contextSize][kvDim];
            NativeAttention.Layer layer = switch (type) {
                case F32 -> {
                    float[] k = new float[elements], v = new float[elements];
                    for (int p = 0; p < contextSize; p++) {
                        for (int d = 0; d < kvDim; d++) {
                            k[d * contextSize + p] = keys[p][d] = (float) random.nextGaussian();
                            v[p * kvDim + d] = values[p][d] = (float) random.nextGaussian();
                        }
                    }
                    yield NativeAttention.Layer.f32(k, v, contextSize, kvDim);
                }
                case F16 -> {
                    short[] k = new short[elements], v = new short[elements];
                    for (int p = 0; p < contextSize; p++) {
                        for (int d = 0; d < kvDim; d++) {
                            k[d * contextSize + p] = Float.floatToFloat16((float) random.nextGaussian());
                            v[p * kvDim + d] = Float.floatToFloat16((float) random.nextGaussian());
                            keys[p][d] = Float.float16ToFloat(k[d * contextSize + p]);
                            values[p][d] = Float.float16ToFloat(v[p * kvDim + d]);
                        }
                    }
                    yield NativeAttention.Layer.f16(k, v, contextSize, kvDim);
                }
                case Q8_0 -> {
                    byte[] k = new byte[elements], v = new byte[elements];
                    short[] ks = new short[elements / 32], vs = new short[elements / 32];
                    for (int p = 0; p < contextSize; p++) {
                        for (int b = 0; b < kvDim / 32; b++) {
                            ks[b * contextSize + p] = Float.floatToFloat16((float) (0.005 + 0.02 * random.nextDouble()));
                            vs[p * (kvDim / 32) + b] = Float.floatToFloat16((float) (0.005 + 0.02 * random.nextDouble()));
                        }
                        for (int d = 0; d < kvDim; d++) {
                            k[d * contextSize + p] = (byte) (random.nextInt(255) - 127);
                            v[p * kvDim + d] = (byte) (random.nextInt(255) - 127);
                            keys[p][d] = k[d * contextSize + p] * Float.float16ToFloat(ks[(d / 32) * contextSize + p]);
                            values[p][d] = v[p * kvDim + d] * Float.float16ToFloat(vs[p * (kvDim / 32) + d / 32]);
                        }
                    }
                    yield NativeAttention.Layer.q8_0(k, ks, v, vs, contextSize, kvDim);
                }
            };
            return new Fixture(layer, keys, values);
        }

        /** Head j's output (headSize values) then its log-sum-exp, from the definition, in doubles. */
        double[] definition(float[] q, int qOffset, int kvOffset, int headSize, float scale, int from, int to) {
            double[] scores = new double[to - from];
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int p = from; p < to; p++) {
                double dot = 0;
                for (int d = 0; d < headSize; d++) dot += (double) q[qOffset + d] * keys[p][kvOffset + d];
                scores[p - from] = dot * scale;
                max = Math.max(max, dot * scale);
            }
            for (int i = 0; i < scores.length; i++) sum += scores[i] = Math.exp(scores[i] - max);
            double[] result = new double[headSize + 1];
            for (int p = from; p < to; p++) {
                for (int d = 0; d < headSize; d++) result[d] += scores[p - from] / sum * values[p][kvOffset + d];
            }
            result[headSize] = max + Math.log(sum);
            return result;
        }
    }

    @ParameterizedTest(name = "{0}: head size {1}, {2} heads per group, positions {3}..{4}, queries x {5}")
    @CsvSource({"f32, 64, 4, 0, 1, 1", "f32, 32, 1, 0, 300, 1", "f32, 96, 3, 17, 81, 1", "f32, 128, 4, 256, 512, 1",
            "f32, 160, 9, 5, 270, 1", "f32, 64, 4, 0, 256, 40",
            "f16, 64, 4, 0, 1, 1", "f16, 64, 4, 0, 256, 1", "f16, 64, 4, 3, 259, 1", "f16, 128, 2, 100, 317, 1", "f16, 32, 5, 1, 16, 1",
            "f16, 96, 7, 64, 129, 1", "f16, 160, 8, 0, 47, 1", "f16, 64, 4, 7, 200, 40",
            "f32, 8, 2, 0, 70, 1", "f32, 12, 5, 3, 100, 1", "f32, 40, 4, 0, 65, 1", "f32, 100, 3, 10, 300, 1",
            "f16, 8, 4, 0, 1, 1", "f16, 8, 2, 0, 517, 1", "f16, 72, 3, 1, 90, 1", "f16, 100, 9, 0, 64, 40", "f16, 12, 1, 5, 21, 1",
            "q8_0, 64, 4, 0, 1, 1", "q8_0, 64, 4, 250, 517, 1", "q8_0, 32, 6, 9, 24, 1", "q8_0, 128, 3, 0, 200, 1",
            "q8_0, 96, 4, 33, 99, 1", "q8_0, 160, 1, 511, 517, 1", "q8_0, 64, 4, 0, 256, 40"})
    void everyVariantEqualsTheDefinition(String typeName, int headSize, int heads, int from, int to, float queryScale) {
        KvCacheType type = KvCacheType.ofKey(typeName);
        Random random = new Random(31L * headSize + 7L * heads + from + to);
        int kvHeads = 3, kvDim = kvHeads * headSize, contextSize = 517, kvHead = 2;
        var f = Fixture.of(type, contextSize, kvDim, random);
        int qOffset = 5, outOffset = 3, lseOffset = 2;
        float[] q = new float[qOffset + heads * headSize];
        for (int i = 0; i < q.length; i++) q[i] = (float) (2 * queryScale * random.nextGaussian());
        float scale = (float) (1 / Math.sqrt(headSize));
        float[] scalarOut = null, scalarLse = null;
        for (NativeAttention.Variant variant : NativeAttention.variants()) {
            float[] out = new float[outOffset + (heads + 1) * headSize], lse = new float[lseOffset + heads + 1];
            Arrays.fill(out, 42f); // what lies outside the group's slots must stay
            Arrays.fill(lse, 42f);
            NativeAttention.attend(variant, f.layer(), q, qOffset, heads, kvHead * headSize, headSize, scale, from, to, out, outOffset,
                    lse, lseOffset, new float[heads * (to - from)]);
            for (int j = 0; j < heads; j++) {
                double[] expected = f.definition(q, qOffset + j * headSize, kvHead * headSize, headSize, scale, from, to);
                for (int d = 0; d < headSize; d++) {
                    assertThat((double) out[outOffset + j * headSize + d]).as("%s head %d dimension %d", variant, j, d)
                            .isCloseTo(expected[d], within(1e-4));
                }
                assertThat((double) lse[lseOffset + j]).as("%s head %d log-sum-exp", variant, j).isCloseTo(expected[headSize], within(1e-3));
            }
            for (int i = 0; i < out.length; i++) {
                if (i < outOffset || i >= outOffset + heads * headSize) assertThat(out[i]).as("%s outside the group, %d", variant, i).isEqualTo(42f);
            }
            assertThat(lse[lseOffset - 1]).isEqualTo(42f);
            assertThat(lse[lseOffset + heads]).isEqualTo(42f);
            if (variant == NativeAttention.Variant.SCALAR) {
                scalarOut = out;
                scalarLse = lse;
            } else {
                for (int i = 0; i < out.length; i++) assertThat(out[i]).as("%s vs scalar, %d", variant, i).isCloseTo(scalarOut[i], within(2e-5f));
                for (int i = 0; i < lse.length; i++) assertThat(lse[i]).as("%s vs scalar lse %d", variant, i).isCloseTo(scalarLse[i], within(1e-4f));
            }
        }
    }

    /** A layer's key/value heads in one call give exactly what one call per head gives (the same kernel, in turn). */
    @ParameterizedTest(name = "{0}: head size {1}, {2} heads per group, groups {3}..{4} of 4, {5} positions")
    @CsvSource({"f32, 8, 2, 0, 4, 70", "f32, 64, 1, 1, 3, 1", "f16, 8, 2, 0, 4, 200", "f16, 96, 3, 2, 4, 256", "q8_0, 32, 4, 0, 4, 33",
            "q8_0, 64, 2, 1, 2, 100"})
    void groupsInOneCallEqualOneCallPerGroup(String typeName, int headSize, int count, int fromGroup, int toGroup, int n) {
        KvCacheType type = KvCacheType.ofKey(typeName);
        Random random = new Random(headSize * 131L + count * 17L + n);
        int kvHeads = 4, contextSize = 300;
        var f = Fixture.of(type, contextSize, kvHeads * headSize, random);
        float[] q = new float[kvHeads * count * headSize];
        for (int i = 0; i < q.length; i++) q[i] = (float) random.nextGaussian();
        float scale = (float) (1 / Math.sqrt(headSize));
        float[] together = new float[q.length], togetherLse = new float[kvHeads * count], apart = new float[q.length],
                apartLse = new float[kvHeads * count], scores = new float[count * n];
        int h = fromGroup * count;
        NativeAttention.attendGroups(f.layer(), q, h * headSize, count, toGroup - fromGroup, fromGroup * headSize, headSize, scale, 0, n,
                together, h * headSize, togetherLse, h, scores);
        for (int g = fromGroup; g < toGroup; g++) {
            NativeAttention.attend(f.layer(), q, g * count * headSize, count, g * headSize, headSize, scale, 0, n, apart, g * count * headSize,
                    apartLse, g * count, scores);
        }
        assertThat(together).containsExactly(apart);
        assertThat(togetherLse).containsExactly(apartLse);
        for (int i = 0; i < h * headSize; i++) assertThat(together[i]).as("before the first group, %d", i).isZero();
        for (int i = toGroup * count * headSize; i < together.length; i++) assertThat(together[i]).as("after the last group, %d", i).isZero();
    }

    @Test
    void groupsBeyondTheKeysOrTheArraysAreRefusedBeforeTheCall() {
        var f = Fixture.of(KvCacheType.F16, 40, 128, new Random(3));
        float[] q = new float[256], out = new float[256], lse = new float[4], scores = new float[2 * 40];
        assertThatThrownBy(() -> NativeAttention.attendGroups(f.layer(), q, 0, 2, 3, 0, 64, 1f, 0, 10, out, 0, lse, 0, scores))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 heads at 0 of 64 lie outside keys of 128");
        assertThatThrownBy(() -> NativeAttention.attendGroups(f.layer(), q, 0, 2, 0, 0, 64, 1f, 0, 10, out, 0, lse, 0, scores))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no key/value heads (0)");
        assertThatThrownBy(() -> NativeAttention.attendGroups(f.layer(), q, 0, 2, 2, 0, 64, 1f, 0, 10, out, 0, new float[3], 0, scores))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fit the arrays");
    }

    /** The vector kernels flush subnormals while they run; Java's arithmetic after the call keeps them (IEEE 754). */
    @Test
    void theCallersFloatingPointModeIsRestored() {
        var f = Fixture.of(KvCacheType.F16, 64, 64, new Random(2));
        float[] q = new float[64], out = new float[64], lse = new float[1], tiny = {Float.MIN_NORMAL};
        Arrays.fill(q, 50f);
        for (NativeAttention.Variant variant : NativeAttention.variants()) {
            NativeAttention.attend(variant, f.layer(), q, 0, 1, 0, 64, 0.125f, 0, 64, out, 0, lse, 0, new float[64]);
            assertThat(tiny[0] / 4).as("after %s", variant).isEqualTo(Float.MIN_NORMAL / 4).isNotZero();
        }
    }

    @Test
    void headSizesAndRangesTheKernelCannotTakeAreRefusedBeforeTheCall() {
        var f = Fixture.of(KvCacheType.F16, 40, 128, new Random(1));
        float[] q = new float[256], out = new float[256], lse = new float[4], scores = new float[4 * 40];
        var q8 = Fixture.of(KvCacheType.Q8_0, 40, 128, new Random(1));
        assertThat(NativeAttention.fits(f.layer(), 64)).isTrue();
        assertThat(NativeAttention.fits(f.layer(), 8)).isTrue();
        assertThat(NativeAttention.fits(q8.layer(), 64)).isTrue();
        assertThat(NativeAttention.fits(q8.layer(), 48)).isFalse();
        assertThat(NativeAttention.fits(f.layer(), 0)).isFalse();
        assertThatThrownBy(() -> NativeAttention.attend(q8.layer(), q, 0, 2, 0, 48, 1f, 0, 10, out, 0, lse, 0, scores))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a Q8_0 cache's heads of 48 at 0 do not start and end on its blocks of 32");
        assertThatThrownBy(() -> NativeAttention.attend(f.layer(), q, 0, 2, 0, 0, 1f, 0, 10, out, 0, lse, 0, scores))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("head size 0 is not positive");
        assertThatThrownBy(() -> NativeAttention.attend(f.layer(), q, 0, 2, 96, 64, 1f, 0, 10, out, 0, lse, 0, scores))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside keys of 128");
        assertThatThrownBy(() -> NativeAttention.attend(f.layer(), q, 0, 2, 0, 64, 1f, 30, 41, out, 0, lse, 0, scores))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positions 30..41 outside 0..40");
        assertThatThrownBy(() -> NativeAttention.attend(f.layer(), q, 0, 2, 0, 64, 1f, 5, 5, out, 0, lse, 0, scores))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("or empty");
        assertThatThrownBy(() -> NativeAttention.attend(f.layer(), q, 200, 2, 0, 64, 1f, 0, 10, out, 0, lse, 0, scores))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fit the arrays");
        assertThatThrownBy(() -> NativeAttention.attend(f.layer(), q, 0, 4, 0, 64, 1f, 0, 40, out, 0, lse, 0, new float[100]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not fit the arrays");
    }

    @Test
    void aLayerSmallerThanItsShapeIsRefused() {
        assertThatThrownBy(() -> NativeAttention.Layer.f16(new short[99], new short[100], 10, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fewer than 10 x 10 F16 elements");
        assertThatThrownBy(() -> NativeAttention.Layer.q8_0(new byte[640], new short[19], new byte[640], new short[20], 10, 64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Q8_0 takes scales of 20 halves");
        assertThatThrownBy(() -> NativeAttention.Layer.q8_0(new byte[480], new short[15], new byte[480], new short[15], 10, 48))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 32");
    }
}
