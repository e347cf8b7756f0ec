package io.toks.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.toks.core.ToksException;
import io.toks.core.estimate.KvCacheType;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each cache type holds what it promises, and a block loaded for attention is what it holds. */
class KvCacheTest {

    private static final int LAYERS = 2, CONTEXT = 40, KV_DIM = 64;

    @Test
    void f32KeepsEveryBit() {
        var stored = fill(KvCacheType.F32);
        for (int p = 0; p < CONTEXT; p++) {
            for (int i = 0; i < KV_DIM; i++) {
                assertThat(stored.cache.key(1, p, i)).isEqualTo(stored.keys[p][i]);
                assertThat(stored.cache.value(1, p, i)).isEqualTo(stored.values[p][i]);
            }
        }
    }

    @Test
    void f16RoundsEachElementToNearestHalf() {
        var stored = fill(KvCacheType.F16);
        for (int p = 0; p < CONTEXT; p++) {
            for (int i = 0; i < KV_DIM; i++) {
                assertThat(stored.cache.key(1, p, i)).isEqualTo(Float.float16ToFloat(Float.floatToFloat16(stored.keys[p][i])));
                assertThat(stored.cache.value(1, p, i)).isEqualTo(Float.float16ToFloat(Float.floatToFloat16(stored.values[p][i])));
            }
        }
    }

    @Test
    void q8_0KeepsEachElementWithinHalfAStepOfItsBlock() {
        var stored = fill(KvCacheType.Q8_0);
        for (int p = 0; p < CONTEXT; p++) {
            for (int b = 0; b < KV_DIM / 32; b++) {
                float max = 0;
                for (int i = b * 32; i < (b + 1) * 32; i++) max = Math.max(max, Math.abs(stored.keys[p][i]));
                float step = max / 127;
                for (int i = b * 32; i < (b + 1) * 32; i++) {
                    // half a step, plus the scale's own F16 rounding over up to 127 steps
                    assertThat(stored.cache.key(1, p, i)).as("position %d element %d", p, i)
                            .isCloseTo(stored.keys[p][i], within(step * 0.5f + max * 1e-3f));
                }
            }
        }
    }

    @Test
    void aLoadedBlockIsWhatTheCacheHolds() {
        for (KvCacheType type : KvCacheType.values()) {
            var stored = fill(type);
            var tile = new KvCache.Tile();
            int kvOffset = 16, headSize = 32, from = 5, n = 30;
            stored.cache.load(1, kvOffset, headSize, from, n, tile);
            for (int p = 0; p < n; p++) {
                for (int d = 0; d < headSize; d++) {
                    assertThat(tile.keys[tile.keysOffset + d * tile.keyStride + p]).as("%s key %d %d", type, p, d)
                            .isEqualTo(stored.cache.key(1, from + p, kvOffset + d));
                    assertThat(tile.values[tile.valuesOffset + p * tile.valueStride + d]).as("%s value %d %d", type, p, d)
                            .isEqualTo(stored.cache.value(1, from + p, kvOffset + d));
                }
            }
        }
    }

    @Test
    void q8_0RefusesVectorsThatDoNotFillItsBlocks() {
        assertThatThrownBy(() -> KvCache.of(KvCacheType.Q8_0, 1, 8, 48)).isInstanceOf(ToksException.class)
                .hasMessageContaining("multiple of 32").hasMessageContaining("48");
    }

    private record Stored(KvCache cache, float[][] keys, float[][] values) {}

    private static Stored fill(KvCacheType type) {
        var random = new Random(type.ordinal());
        KvCache cache = KvCache.of(type, LAYERS, CONTEXT, KV_DIM);
        float[][] keys = new float[CONTEXT][KV_DIM], values = new float[CONTEXT][KV_DIM];
        for (int p = 0; p < CONTEXT; p++) {
            for (int i = 0; i < KV_DIM; i++) {
                keys[p][i] = (float) (random.nextGaussian() * (1 + i % 7));
                values[p][i] = (float) random.nextGaussian();
            }
            cache.store(1, p, keys[p], values[p]);
        }
        return new Stored(cache, keys, values);
    }
}
