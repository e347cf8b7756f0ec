package io.toks.engine.kernel;

import io.toks.core.estimate.KvCacheType;
import io.toks.engine.tensor.GgmlType;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.EnumSet;
import java.util.Set;

/**
 * The native attention kernel (src/main/c/attention.h), from the library {@link NativeKernels}
 * loads: for the query heads that share one key/value head, over a block of positions of one
 * layer's KV cache, the scores, their softmax over the block and the weighted sum of the values,
 * and the log-sum-exp that merges blocks (what io.toks.engine.model.Attention computes per block
 * in Java). It reads the cache where the engine keeps it, Java arrays passed to critical
 * downcalls, so the {@link Layer} layout is the engine's KV cache layout.
 * <p>
 * Unavailable where the library did not load ({@code -Dtoks.native=off}, no gcc at build time,
 * another platform) or lacks the functions (an older build named by {@code -Dtoks.native=PATH});
 * then {@link #unavailableReason()} says why and attention stays in Java.
 */
public final class NativeAttention {

    /** A Q8_0 cache's heads must be a multiple of this (its scales cover blocks of 32 elements); F32 and F16 take any size. */
    static final int Q8_0_HEAD_SIZE_UNIT = 32;

    /** The implementations a build may have (attention.h: enum toks_attend_variant). */
    enum Variant {
        SCALAR(0), AVX2(1), AVX512(2);

        final int code;

        Variant(int code) {
            this.code = code;
        }
    }

    private static final int BEST = -1;
    /** The scales of a type that has none: the kernel gets NULL. */
    private static final MemorySegment NO_SCALES = MemorySegment.NULL;
    private static final MethodHandle ATTEND;
    private static final Set<Variant> VARIANTS;
    private static final String UNAVAILABLE;

    static {
        MethodHandle attend = null;
        Set<Variant> variants = EnumSet.noneOf(Variant.class);
        String reason = null;
        if (!NativeKernels.available()) {
            reason = "native library not loaded: " + NativeKernels.unavailableReason();
        } else {
            try {
                var i = ValueLayout.JAVA_INT;
                var f = ValueLayout.JAVA_FLOAT;
                var a = ValueLayout.ADDRESS;
                // Critical: a block of a few hundred positions takes microseconds and never blocks, so
                // the cache and activations are passed in place and no thread-state transition is paid.
                attend = NativeKernels.criticalHandle("toks_attend_groups", FunctionDescriptor.of(i, i, i, a, a, a, a, i, i, i, i, a, i, i, f, i, i, a, a, a));
                MethodHandle which = NativeKernels.plainHandle("toks_attend_variants", FunctionDescriptor.of(i));
                int bits = (int) which.invokeExact();
                for (Variant v : Variant.values()) {
                    if ((bits & 1 << v.code) != 0) variants.add(v);
                }
            } catch (Throwable t) {
                attend = null;
                variants.clear();
                reason = "native library lacks attention: " + (t.getMessage() == null ? t : t.getMessage());
            }
        }
        ATTEND = attend;
        VARIANTS = java.util.Collections.unmodifiableSet(variants);
        UNAVAILABLE = reason;
    }

    private NativeAttention() {}

    /** Whether the native kernel is there. */
    public static boolean available() {
        return ATTEND != null;
    }

    /** Why it is not (null when it is). */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    /** Whether the kernel, where it is available, takes this layer's heads of this size. */
    public static boolean fits(Layer layer, int headSize) {
        return available() && headSize > 0 && (layer.type() != KvCacheType.Q8_0 || headSize % Q8_0_HEAD_SIZE_UNIT == 0);
    }

    /** The implementations this build has (the scalar reference, 256-bit, and 512-bit where the build CPU had AVX-512). */
    static Set<Variant> variants() {
        return VARIANTS;
    }

    /**
     * One layer of a KV cache of {@code contextSize} positions, keys and values of {@code kvDim}
     * elements, laid out as the kernel reads it: keys transposed (element d of the key at
     * position p at index d * contextSize + p), values one position after another (element d at
     * p * kvDim + d). A Q8_0 layer holds int8 elements and F16 scales, one per 32 elements: the
     * key's at index (d / 32) * contextSize + p (transposed as the keys), the value's at
     * p * (kvDim / 32) + d / 32. Make one with {@link #f32}, {@link #f16} or {@link #q8_0}.
     */
    public record Layer(KvCacheType type, MemorySegment keys, MemorySegment keyScales, MemorySegment values,
                        MemorySegment valueScales, int contextSize, int kvDim) {

        public Layer {
            if (contextSize < 1 || kvDim < 1) throw new IllegalArgumentException("a layer of " + contextSize + " positions x " + kvDim);
            long elements = (long) contextSize * kvDim;
            long bytes = switch (type) {
                case F32 -> 4;
                case F16 -> 2;
                case Q8_0 -> 1;
            };
            if (keys.byteSize() < elements * bytes || values.byteSize() < elements * bytes) {
                throw new IllegalArgumentException(
                        "keys or values hold fewer than " + contextSize + " x " + kvDim + " " + type + " elements");
            }
            boolean scaled = type == KvCacheType.Q8_0;
            if (scaled && kvDim % 32 != 0) {
                throw new IllegalArgumentException("a q8_0 layer needs kvDim a multiple of 32, not " + kvDim);
            }
            if (!scaled && (keyScales.byteSize() != 0 || valueScales.byteSize() != 0)) {
                throw new IllegalArgumentException(type + " has no scales");
            }
            long halves = scaled ? elements / 32 : 0;
            if (keyScales.byteSize() < 2 * halves || valueScales.byteSize() < 2 * halves) {
                throw new IllegalArgumentException(type + " takes scales of " + halves + " halves");
            }
        }

        public static Layer f32(float[] keys, float[] values, int contextSize, int kvDim) {
            return new Layer(KvCacheType.F32, MemorySegment.ofArray(keys), NO_SCALES, MemorySegment.ofArray(values), NO_SCALES,
                    contextSize, kvDim);
        }

        /** Elements as IEEE binary16 bits. */
        public static Layer f16(short[] keys, short[] values, int contextSize, int kvDim) {
            return new Layer(KvCacheType.F16, MemorySegment.ofArray(keys), NO_SCALES, MemorySegment.ofArray(values), NO_SCALES,
                    contextSize, kvDim);
        }

        /** int8 elements, F16 scales (binary16 bits). */
        public static Layer q8_0(byte[] keys, short[] keyScales, byte[] values, short[] valueScales, int contextSize, int kvDim) {
            return new Layer(KvCacheType.Q8_0, MemorySegment.ofArray(keys), MemorySegment.ofArray(keyScales),
                    MemorySegment.ofArray(values), MemorySegment.ofArray(valueScales), contextSize, kvDim);
        }

        /** The library's type code: the GGML type id of the elements (as NativeKernels passes). */
        int code() {
            return switch (type) {
                case F32 -> GgmlType.F32.id();
                case F16 -> GgmlType.F16.id();
                case Q8_0 -> GgmlType.Q8_0.id();
            };
        }
    }

    /**
     * For the {@code count} query heads q[qOffset + j * headSize, + headSize) that share the
     * key/value head at elements [kvOffset, kvOffset + headSize) of every key and value, over
     * positions [from, to) of the layer: head j's output, normalized over those positions, into
     * out[outOffset + j * headSize, + headSize), and the log-sum-exp of its scores (q . k * scale)
     * into lse[lseOffset + j]. {@code scores} is scratch of at least count * (to - from) floats.
     *
     * @throws IllegalArgumentException for a head size that does not {@link #fits fit}, or
     *                                  ranges outside the arrays or the layer
     * @throws IllegalStateException    where the kernel is not {@link #available()}
     */
    public static void attend(Layer layer, float[] q, int qOffset, int count, int kvOffset, int headSize, float scale, int from, int to,
                              float[] out, int outOffset, float[] lse, int lseOffset, float[] scores) {
        attend(BEST, layer, q, qOffset, count, 1, kvOffset, headSize, scale, from, to, out, outOffset, lse, lseOffset, scores);
    }

    /**
     * {@link #attend} for {@code groups} key/value heads side by side, in one call: group g is
     * the {@code count} query heads from q[qOffset + g * count * headSize] over the key/value head
     * at kvOffset + g * headSize, its outputs from out[outOffset + g * count * headSize] and its
     * log-sum-exps from lse[lseOffset + g * count]: a layer's heads as a decode step lays them
     * out. {@code scores} as for one group (the groups take turns with it).
     */
    public static void attendGroups(Layer layer, float[] q, int qOffset, int count, int groups, int kvOffset, int headSize, float scale,
                                    int from, int to, float[] out, int outOffset, float[] lse, int lseOffset, float[] scores) {
        attend(BEST, layer, q, qOffset, count, groups, kvOffset, headSize, scale, from, to, out, outOffset, lse, lseOffset, scores);
    }

    /** {@link #attend} by the named implementation, which must be one of {@link #variants()}: for tests. */
    static void attend(Variant variant, Layer layer, float[] q, int qOffset, int count, int kvOffset, int headSize, float scale,
                       int from, int to, float[] out, int outOffset, float[] lse, int lseOffset, float[] scores) {
        if (!VARIANTS.contains(variant)) throw new IllegalArgumentException("this build has no " + variant + " attention");
        attend(variant.code, layer, q, qOffset, count, 1, kvOffset, headSize, scale, from, to, out, outOffset, lse, lseOffset, scores);
    }

    private static void attend(int variant, Layer layer, float[] q, int qOffset, int count, int groups, int kvOffset, int headSize,
                               float scale, int from, int to, float[] out, int outOffset, float[] lse, int lseOffset, float[] scores) {
        if (ATTEND == null) throw new IllegalStateException("native attention unavailable: " + UNAVAILABLE);
        check(layer, q, qOffset, count, groups, kvOffset, headSize, from, to, out, outOffset, lse, lseOffset, scores);
        int rc;
        try {
            rc = (int) ATTEND.invokeExact(variant, layer.code(), layer.keys(), layer.keyScales(), layer.values(), layer.valueScales(),
                    layer.contextSize(), layer.kvDim(), kvOffset, headSize, HeapSegments.of(q).asSlice(4L * qOffset), count, groups,
                    scale, from, to, HeapSegments.of(out).asSlice(4L * outOffset), HeapSegments.of(lse).asSlice(4L * lseOffset),
                    HeapSegments.of(scores));
        } catch (Throwable t) {
            throw new IllegalStateException("native attention failed", t);
        }
        if (rc != 0) throw new IllegalStateException("native attention refused " + layer.type() + " heads of " + headSize);
    }

    /** Every index the kernel will touch lies in its array: a wrong one would corrupt the heap, not throw. */
    private static void check(Layer layer, float[] q, int qOffset, int count, int groups, int kvOffset, int headSize, int from, int to,
                              float[] out, int outOffset, float[] lse, int lseOffset, float[] scores) {
        if (headSize <= 0) throw new IllegalArgumentException("head size " + headSize + " is not positive");
        if (layer.type() == KvCacheType.Q8_0 && (headSize % Q8_0_HEAD_SIZE_UNIT != 0 || kvOffset % Q8_0_HEAD_SIZE_UNIT != 0)) {
            throw new IllegalArgumentException("a Q8_0 cache's heads of " + headSize + " at " + kvOffset + " do not start and end on its blocks of "
                    + Q8_0_HEAD_SIZE_UNIT);
        }
        if (count < 1) throw new IllegalArgumentException("no query heads (" + count + ")");
        if (groups < 1) throw new IllegalArgumentException("no key/value heads (" + groups + ")");
        if (kvOffset < 0 || kvOffset > layer.kvDim() - (long) groups * headSize) {
            throw new IllegalArgumentException(groups + " heads at " + kvOffset + " of " + headSize + " lie outside keys of " + layer.kvDim());
        }
        if (from < 0 || from >= to || to > layer.contextSize()) {
            throw new IllegalArgumentException("positions " + from + ".." + to + " outside 0.." + layer.contextSize() + " or empty");
        }
        long values = (long) groups * count * headSize;
        if (qOffset < 0 || qOffset + values > q.length || outOffset < 0 || outOffset + values > out.length || lseOffset < 0
                || lseOffset + (long) groups * count > lse.length || (long) count * (to - from) > scores.length) {
            throw new IllegalArgumentException(groups + " x " + count + " heads of " + headSize + " over " + (to - from)
                    + " positions do not fit the arrays");
        }
    }
}
