package io.toks.engine.model;

import io.toks.engine.kernel.NativeAttention;
import io.toks.engine.math.VectorKernels;

/**
 * Causal attention of query heads over a {@link KvCache}: the step shared by every forward pass.
 *
 * <p>Long contexts are taken in blocks of positions, flash-decoding style: each block gives
 * its heads' outputs normalized over that block alone and the log-sum-exp of their scores, and
 * blocks combine exactly: with L = log(e^La + e^Lb), out = out_a e^(La - L) + out_b e^(Lb - L).
 * So a decode step splits one sequence's positions across threads (blocks in parallel, then
 * merged), and a cache of F16 or Q8_0 elements is widened one block at a time into scratch the
 * core keeps in cache. Over a single block the arithmetic is the plain softmax then weighted sum.
 *
 * <p>With the native kernels a block is one call of {@link NativeAttention} on the cache's arrays
 * in place (KvCache#nativeLayer), the same arithmetic with F16/Q8_0 widened in registers; the
 * blocks and their merge stay here, so both paths split and combine alike.
 */
final class Attention {

    /**
     * Positions per block: of a decode step split across threads, of the widened F16/Q8_0
     * scratch (keys and values of a 64-wide head: 2 x 64 KiB, within a core's L2), and of a
     * native call (its scores scratch: 4 heads x 4 KiB, within L1).
     */
    static final int BLOCK = 256;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Attention() {}

    /** A thread's buffers: scores, a block's partial outputs, the widened tile. No allocation per step once grown. */
    static final class Scratch {
        final KvCache.Tile tile = new KvCache.Tile();
        private float[] scores = new float[0], part = new float[0], partLse = new float[0];

        float[] scores(int n) {
            if (scores.length < n) scores = new float[n];
            return scores;
        }

        float[] part(int n) {
            if (part.length < n) part = new float[n];
            return part;
        }

        float[] partLse(int n) {
            if (partLse.length < n) partLse = new float[n];
            return partLse;
        }
    }

    static Scratch scratch() {
        return SCRATCH.get();
    }

    /**
     * {@code count} query heads that share one key/value head (grouped-query attention), over
     * the positions [from, to) of the cache, in blocks of at most {@link KvCache#maxBlock()}:
     * head j's output (normalized over those positions) into out[outOffset + j * headSize, +headSize)
     * and the log-sum-exp of its scores into lse[lseOffset + j].
     *
     * @param kvOffset where this head's key/value group starts within a key or value of kvDim
     */
    static void attend(KvCache cache, int layer, float[] q, int qOffset, int count, int kvOffset, int headSize, float scale,
                       int from, int to, float[] out, int outOffset, float[] lse, int lseOffset) {
        Scratch s = scratch();
        NativeAttention.Layer nativeLayer = cache.nativeLayer(layer, headSize);
        int block = nativeLayer != null ? BLOCK : cache.maxBlock();
        for (int start = from, n; start < to; start += n) { // start += block would overflow F32's unlimited block
            n = Math.min(block, to - start);
            if (nativeLayer == null) cache.load(layer, kvOffset, headSize, start, n, s.tile);
            if (start == from) {
                attendBlock(nativeLayer, q, qOffset, count, kvOffset, headSize, scale, start, n, s, out, outOffset, lse, lseOffset);
            } else {
                float[] part = s.part(count * headSize), partLse = s.partLse(count);
                attendBlock(nativeLayer, q, qOffset, count, kvOffset, headSize, scale, start, n, s, part, 0, partLse, 0);
                combine(out, outOffset, lse, lseOffset, part, 0, partLse, 0, count, headSize);
            }
        }
    }

    /**
     * {@link #attend} over positions [0, n) for the key/value heads [fromGroup, toGroup) of a
     * layer, each with its {@code count} query heads, laid out as a decode step has them: group
     * g's queries and outputs from (g * count) * headSize, its log-sum-exps from g * count. With
     * the native kernel and n within one {@link #BLOCK}, one call for them all.
     */
    static void attendGroups(KvCache cache, int layer, float[] q, int fromGroup, int toGroup, int count, int headSize, float scale,
                             int n, float[] out, float[] lse) {
        NativeAttention.Layer nativeLayer = cache.nativeLayer(layer, headSize);
        if (nativeLayer != null && n <= BLOCK) {
            int h = fromGroup * count;
            NativeAttention.attendGroups(nativeLayer, q, h * headSize, count, toGroup - fromGroup, fromGroup * headSize, headSize, scale,
                    0, n, out, h * headSize, lse, h, scratch().scores(count * n));
            return;
        }
        for (int g = fromGroup; g < toGroup; g++) {
            int h = g * count;
            attend(cache, layer, q, h * headSize, count, g * headSize, headSize, scale, 0, n, out, h * headSize, lse, h);
        }
    }

    /**
     * {@link #attend} for rows [fromRow, toRow) of one sequence's prefill batch, row r attending
     * over [0, positions[r]] (positions ascending): blocks outer, rows inner, so a block widened
     * from an F16/Q8_0 cache (or read natively) serves every row of the tile from the core's
     * cache (flash attention's tiles of queries and keys). Row r's heads at q[r][qOffset...], its
     * output into out[r][qOffset...], its log-sum-exps into lse[r][lseOffset...].
     */
    static void attendRows(KvCache cache, int layer, float[][] q, int[] positions, int fromRow, int toRow, int qOffset, int count,
                           int kvOffset, int headSize, float scale, float[][] out, float[][] lse, int lseOffset) {
        Scratch s = scratch();
        NativeAttention.Layer nativeLayer = cache.nativeLayer(layer, headSize);
        int block = nativeLayer != null ? BLOCK : cache.maxBlock(), end = positions[toRow - 1] + 1;
        for (int start = 0, n; start < end; start += n) {
            n = Math.min(block, end - start);
            if (nativeLayer == null) cache.load(layer, kvOffset, headSize, start, n, s.tile);
            for (int r = fromRow; r < toRow; r++) {
                int rowN = Math.min(n, positions[r] + 1 - start);
                if (rowN <= 0) continue;
                if (start == 0) {
                    attendBlock(nativeLayer, q[r], qOffset, count, kvOffset, headSize, scale, start, rowN, s, out[r], qOffset, lse[r],
                            lseOffset);
                } else {
                    float[] part = s.part(count * headSize), partLse = s.partLse(count);
                    attendBlock(nativeLayer, q[r], qOffset, count, kvOffset, headSize, scale, start, rowN, s, part, 0, partLse, 0);
                    combine(out[r], qOffset, lse[r], lseOffset, part, 0, partLse, 0, count, headSize);
                }
            }
        }
    }

    /**
     * One block: the heads over positions [start, start + n), by the native kernel where the
     * layer has one, else by {@link #group} over the tile {@code s} holds (loaded by the caller).
     */
    private static void attendBlock(NativeAttention.Layer nativeLayer, float[] q, int qOffset, int count, int kvOffset, int headSize,
                              float scale, int start, int n, Scratch s, float[] out, int outOffset, float[] lse, int lseOffset) {
        if (nativeLayer != null) {
            NativeAttention.attend(nativeLayer, q, qOffset, count, kvOffset, headSize, scale, start, start + n, out, outOffset, lse,
                    lseOffset, s.scores(count * n));
        } else {
            group(q, qOffset, count, s.tile, n, headSize, scale, s, out, outOffset, lse, lseOffset);
        }
    }

    /**
     * Folds a block's result (part, partLse) for {@code count} heads into a running one (out,
     * lse), both normalized over their own positions: the exact softmax over the union.
     */
    static void combine(float[] out, int outOffset, float[] lse, int lseOffset, float[] part, int partOffset, float[] partLse,
                        int partLseOffset, int count, int headSize) {
        for (int j = 0; j < count; j++) {
            float a = lse[lseOffset + j], b = partLse[partLseOffset + j];
            float max = Math.max(a, b);
            float wa = (float) Math.exp(a - max), wb = (float) Math.exp(b - max), sum = wa + wb;
            wa /= sum;
            wb /= sum;
            int o = outOffset + j * headSize, p = partOffset + j * headSize;
            for (int d = 0; d < headSize; d++) out[o + d] = out[o + d] * wa + part[p + d] * wb;
            lse[lseOffset + j] = max + (float) Math.log(sum);
        }
    }

    /**
     * {@code count} heads over the n positions a tile holds, up to 4 at a time (a last single
     * one alone): each key and value loaded then serves 4 heads (measured: docs/performance.md,
     * "Attention: four query heads per key/value head").
     */
    static void group(float[] q, int qOffset, int count, KvCache.Tile tile, int n, int headSize, float scale, Scratch s,
                      float[] out, int outOffset, float[] lse, int lseOffset) {
        float[] scores = s.scores(Math.min(count, 4) * n);
        int j = 0;
        while (count - j >= 2) { // 2 to 4 heads at a time
            int heads = Math.min(4, count - j), head = j * headSize;
            VectorKernels.transposedDots4(heads, q, qOffset + head, headSize, tile.keys, tile.keysOffset, tile.keyStride, headSize, n,
                    scale, scores, 0, n);
            for (int i = 0; i < heads; i++) lse[lseOffset + j + i] = VectorKernels.softmax(scores, i * n, n);
            VectorKernels.weightedSum4(heads, scores, 0, n, n, tile.values, tile.valuesOffset, tile.valueStride, headSize, out,
                    outOffset + head, headSize);
            j += heads;
        }
        for (; j < count; j++) {
            int head = j * headSize;
            VectorKernels.transposedDots(q, qOffset + head, tile.keys, tile.keysOffset, tile.keyStride, headSize, n, scale, scores, 0);
            lse[lseOffset + j] = VectorKernels.softmax(scores, 0, n);
            VectorKernels.weightedSum(scores, 0, n, tile.values, tile.valuesOffset, tile.valueStride, headSize, out, outOffset + head);
        }
    }
}
