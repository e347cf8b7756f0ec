package io.toks.engine.model;

import io.toks.core.ToksException;
import io.toks.core.estimate.KvCacheType;
import io.toks.engine.kernel.Kernels;
import io.toks.engine.kernel.NativeAttention;
import io.toks.engine.math.VectorKernels;

/**
 * One sequence's key/value cache, every layer, its elements stored as the session's
 * {@link KvCacheType} (llama.cpp's {@code -ctk/-ctv}): F32, F16 (rounded to nearest even), or
 * Q8_0 (per 32 elements of a key or value vector, int8 values and one F16 scale, as ggml's
 * {@code block_q8_0}, quantized as llama.cpp does: d = max|x| / 127, q = round(x / d)).
 *
 * <p>Keys are stored transposed, one row of {@code contextSize} positions per key dimension, so
 * the scores of a query against consecutive positions are broadcast FMAs with no horizontal sums
 * (docs/performance.md, "Attention: transposed key cache"); a Q8_0 key keeps its blocks along
 * the key vector (each position's scale per 32 dimensions), only stored transposed too. Values
 * stay one position per row. Attention reads a block of positions through {@link #load}: F32 as
 * views into the cache itself, F16 and Q8_0 widened to floats into the calling thread's
 * {@link Tile}, at most {@link Attention#BLOCK} positions at a time, so the float kernels then run
 * on data in the core's cache. With the native kernels, attention reads the arrays in place instead
 * ({@link #nativeLayer}): the native kernel widens F16 and Q8_0 in registers.
 */
abstract sealed class KvCache {

    final int contextSize, kvDim;
    /** Each layer as the native attention kernel reads it; null where attention runs in Java. Set once, by {@link #of}. */
    private NativeAttention.Layer[] nativeLayers;

    private KvCache(int contextSize, int kvDim) {
        this.contextSize = contextSize;
        this.kvDim = kvDim;
    }

    static KvCache of(KvCacheType type, int layers, int contextSize, int kvDim) {
        return switch (type) {
            case F32 -> new F32(layers, contextSize, kvDim);
            case F16 -> new F16(layers, contextSize, kvDim);
            case Q8_0 -> {
                if (kvDim % Q8_0.BLOCK != 0) {
                    throw new ToksException("a q8_0 KV cache needs keys and values of a multiple of 32 elements; this model's have "
                            + kvDim + " (use --cache-type f16 or f32)");
                }
                yield new Q8_0(layers, contextSize, kvDim);
            }
        };
    }

    /**
     * A cache whose attention runs natively where {@code kernels} is {@link Kernels#NATIVE} and the
     * library has the kernel (for heads of a size it takes: {@link #nativeLayer}), in Java otherwise.
     */
    static KvCache of(KvCacheType type, int layers, int contextSize, int kvDim, Kernels kernels) {
        KvCache cache = of(type, layers, contextSize, kvDim);
        if (kernels == Kernels.NATIVE && NativeAttention.available()) {
            cache.nativeLayers = new NativeAttention.Layer[layers];
            for (int l = 0; l < layers; l++) cache.nativeLayers[l] = cache.nativeLayout(l);
        }
        return cache;
    }

    /** The layer as the native kernel reads it, where attention over heads of headSize runs natively; null where Java attends. */
    final NativeAttention.Layer nativeLayer(int layer, int headSize) {
        return nativeLayers != null && NativeAttention.fits(nativeLayers[layer], headSize) ? nativeLayers[layer] : null;
    }

    /** The layer's arrays, in place, for the native kernel: its layout is this class's. */
    abstract NativeAttention.Layer nativeLayout(int layer);

    abstract KvCacheType type();

    /** Stores key k[0, kvDim) and value v[0, kvDim) of the layer at position pos. */
    abstract void store(int layer, int pos, float[] k, float[] v);

    /**
     * Points {@code tile} at the keys (transposed) and values (rows) of positions [from, from +
     * n) of the head whose elements start at kvOffset, headSize of them. n is at most
     * {@link #maxBlock()}.
     */
    abstract void load(int layer, int kvOffset, int headSize, int from, int n, Tile tile);

    /** The most positions {@link #load} takes at once. */
    int maxBlock() {
        return Attention.BLOCK;
    }

    /** Element i of the key at pos as attention sees it (after rounding to the cache's type): for tests. */
    abstract float key(int layer, int pos, int i);

    /** Element i of the value at pos as attention sees it: for tests. */
    abstract float value(int layer, int pos, int i);

    /**
     * Where the float keys and values of a block of positions are: arrays, offsets and strides
     * (keys: one row per dimension, keyStride apart; values: one row per position, valueStride
     * apart). Also the scratch the widening types fill; one per thread.
     */
    static final class Tile {
        float[] keys, values;
        int keysOffset, keyStride, valuesOffset, valueStride;
        private float[] keyScratch = new float[0], valueScratch = new float[0];

        /** Points at this tile's own scratch for n positions of headSize, grown as needed. */
        void useScratch(int headSize, int n) {
            if (keyScratch.length < headSize * n) {
                keyScratch = new float[headSize * n];
                valueScratch = new float[headSize * n];
            }
            keys = keyScratch;
            values = valueScratch;
            keysOffset = valuesOffset = 0;
            keyStride = n;
            valueStride = headSize;
        }
    }

    /** Floats: attention reads the cache in place, any number of positions at once. */
    static final class F32 extends KvCache {
        private final float[][] keys, values;

        F32(int layers, int contextSize, int kvDim) {
            super(contextSize, kvDim);
            keys = new float[layers][contextSize * kvDim];
            values = new float[layers][contextSize * kvDim];
        }

        @Override KvCacheType type() { return KvCacheType.F32; }

        @Override int maxBlock() { return Integer.MAX_VALUE; }

        @Override
        void store(int layer, int pos, float[] k, float[] v) {
            float[] keyRows = keys[layer];
            for (int c = 0; c < kvDim; c++) keyRows[c * contextSize + pos] = k[c];
            System.arraycopy(v, 0, values[layer], pos * kvDim, kvDim);
        }

        @Override
        void load(int layer, int kvOffset, int headSize, int from, int n, Tile tile) {
            tile.keys = keys[layer];
            tile.keysOffset = kvOffset * contextSize + from;
            tile.keyStride = contextSize;
            tile.values = values[layer];
            tile.valuesOffset = from * kvDim + kvOffset;
            tile.valueStride = kvDim;
        }

        @Override
        NativeAttention.Layer nativeLayout(int layer) {
            return NativeAttention.Layer.f32(keys[layer], values[layer], contextSize, kvDim);
        }

        @Override float key(int layer, int pos, int i) { return keys[layer][i * contextSize + pos]; }

        @Override float value(int layer, int pos, int i) { return values[layer][pos * kvDim + i]; }
    }

    /** IEEE binary16: half the bytes of F32, each element rounded to nearest even. */
    static final class F16 extends KvCache {
        private final short[][] keys, values;

        F16(int layers, int contextSize, int kvDim) {
            super(contextSize, kvDim);
            keys = new short[layers][contextSize * kvDim];
            values = new short[layers][contextSize * kvDim];
        }

        @Override KvCacheType type() { return KvCacheType.F16; }

        @Override
        void store(int layer, int pos, float[] k, float[] v) {
            short[] keyRows = keys[layer], valueRows = values[layer];
            for (int c = 0; c < kvDim; c++) keyRows[c * contextSize + pos] = Float.floatToFloat16(k[c]);
            for (int c = 0, at = pos * kvDim; c < kvDim; c++) valueRows[at + c] = Float.floatToFloat16(v[c]);
        }

        @Override
        void load(int layer, int kvOffset, int headSize, int from, int n, Tile tile) {
            tile.useScratch(headSize, n);
            short[] keyRows = keys[layer], valueRows = values[layer];
            for (int d = 0; d < headSize; d++) {
                VectorKernels.f16ToFloat(keyRows, (kvOffset + d) * contextSize + from, tile.keys, d * n, n);
            }
            for (int p = 0; p < n; p++) {
                VectorKernels.f16ToFloat(valueRows, (from + p) * kvDim + kvOffset, tile.values, p * headSize, headSize);
            }
        }

        @Override
        NativeAttention.Layer nativeLayout(int layer) {
            return NativeAttention.Layer.f16(keys[layer], values[layer], contextSize, kvDim);
        }

        @Override float key(int layer, int pos, int i) { return Float.float16ToFloat(keys[layer][i * contextSize + pos]); }

        @Override float value(int layer, int pos, int i) { return Float.float16ToFloat(values[layer][pos * kvDim + i]); }
    }

    /**
     * ggml's Q8_0: per 32 consecutive elements of a key or value vector, 32 int8 values and an F16
     * scale (34 bytes per 32 elements). The scales are held as shorts beside the int8 arrays
     * rather than interleaved, so both widen with plain vector loads.
     */
    static final class Q8_0 extends KvCache {
        static final int BLOCK = 32;
        private final byte[][] keys, values;
        /** Key scales: row b (block b of the key vector) holds one per position, as the transposed keys. */
        private final short[][] keyScales;
        /** Value scales: kvDim / 32 per position, one position after another. */
        private final short[][] valueScales;
        private final int blocksPerRow;

        Q8_0(int layers, int contextSize, int kvDim) {
            super(contextSize, kvDim);
            blocksPerRow = kvDim / BLOCK;
            keys = new byte[layers][contextSize * kvDim];
            values = new byte[layers][contextSize * kvDim];
            keyScales = new short[layers][contextSize * blocksPerRow];
            valueScales = new short[layers][contextSize * blocksPerRow];
        }

        @Override KvCacheType type() { return KvCacheType.Q8_0; }

        @Override
        void store(int layer, int pos, float[] k, float[] v) {
            byte[] keyRows = keys[layer], valueRows = values[layer];
            for (int b = 0; b < blocksPerRow; b++) {
                float d = scale(k, b * BLOCK);
                keyScales[layer][b * contextSize + pos] = Float.floatToFloat16(d);
                for (int i = b * BLOCK; i < (b + 1) * BLOCK; i++) keyRows[i * contextSize + pos] = quantize(k[i], d);
                d = scale(v, b * BLOCK);
                valueScales[layer][pos * blocksPerRow + b] = Float.floatToFloat16(d);
                for (int i = b * BLOCK; i < (b + 1) * BLOCK; i++) valueRows[pos * kvDim + i] = quantize(v[i], d);
            }
        }

        /** d = max|x| / 127 over the block at x[from]: its largest element maps to +-127. */
        private static float scale(float[] x, int from) {
            float max = 0;
            for (int i = from; i < from + BLOCK; i++) max = Math.max(max, Math.abs(x[i]));
            return max / 127;
        }

        /** round(x / d), halves away from zero as C's roundf (ggml's reference quantizer). */
        private static byte quantize(float x, float d) {
            float scaled = d == 0 ? 0 : x * (1 / d);
            return (byte) (Math.signum(scaled) * (int) (Math.abs(scaled) + 0.5f));
        }

        @Override
        void load(int layer, int kvOffset, int headSize, int from, int n, Tile tile) {
            tile.useScratch(headSize, n);
            byte[] keyRows = keys[layer], valueRows = values[layer];
            short[] kScales = keyScales[layer], vScales = valueScales[layer];
            for (int d = 0; d < headSize; d++) {
                int e = kvOffset + d;
                VectorKernels.q8ToFloat(keyRows, e * contextSize + from, kScales, (e / BLOCK) * contextSize + from, tile.keys, d * n, n);
            }
            for (int p = 0; p < n; p++) {
                int row = (from + p) * kvDim;
                for (int e = kvOffset, end = kvOffset + headSize; e < end; ) {
                    int blockEnd = Math.min(end, (e / BLOCK + 1) * BLOCK);
                    float d = Float.float16ToFloat(vScales[(from + p) * blocksPerRow + e / BLOCK]);
                    VectorKernels.q8ToFloat(valueRows, row + e, d, tile.values, p * headSize + e - kvOffset, blockEnd - e);
                    e = blockEnd;
                }
            }
        }

        @Override
        NativeAttention.Layer nativeLayout(int layer) {
            return NativeAttention.Layer.q8_0(keys[layer], keyScales[layer], values[layer], valueScales[layer], contextSize, kvDim);
        }

        @Override
        float key(int layer, int pos, int i) {
            return keys[layer][i * contextSize + pos] * Float.float16ToFloat(keyScales[layer][(i / BLOCK) * contextSize + pos]);
        }

        @Override
        float value(int layer, int pos, int i) {
            return values[layer][pos * kvDim + i] * Float.float16ToFloat(valueScales[layer][pos * blocksPerRow + i / BLOCK]);
        }
    }
}
