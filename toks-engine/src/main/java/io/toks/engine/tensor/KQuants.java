package io.toks.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Shared layout facts of the K-quants (super-blocks of 256 values, ggml's {@code QK_K}).
 * Q4_K and Q5_K pack eight 6-bit sub-block scales and eight 6-bit minimums into 12 bytes:
 * for sub-block j < 4, scale = s[j] & 63 and min = s[j + 4] & 63; for j >= 4 the low four bits
 * come from s[j + 4] (scale low nibble, min high nibble) and the top two bits from the top two
 * bits of s[j - 4] (scale) and s[j] (min).
 */
final class KQuants {

    static final int QK = 256;

    private KQuants() {}

    static int scale(MemorySegment data, long scales, int j) {
        if (j < 4) return u8(data, scales + j) & 63;
        return (u8(data, scales + j + 4) & 0xF) | ((u8(data, scales + j - 4) >> 6) << 4);
    }

    static int min(MemorySegment data, long scales, int j) {
        if (j < 4) return u8(data, scales + j + 4) & 63;
        return (u8(data, scales + j + 4) >> 4) | ((u8(data, scales + j) >> 6) << 4);
    }

    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    /** All eight scales and minimums of a super-block at once, from two wide reads (same result as {@link #scale}/{@link #min}). */
    static void unpackScales(MemorySegment data, long scales, int[] scale, int[] min) {
        long lo = data.get(LE_LONG, scales);      // bytes 0..7
        int hi = data.get(LE_INT, scales + 8);    // bytes 8..11
        for (int j = 0; j < 4; j++) {
            int bj = (int) (lo >>> (8 * j)) & 0xFF;          // s[j]
            int bj4 = (int) (lo >>> (8 * (j + 4))) & 0xFF;   // s[j + 4]
            int bj8 = (hi >>> (8 * j)) & 0xFF;               // s[j + 8]
            scale[j] = bj & 63;
            min[j] = bj4 & 63;
            scale[j + 4] = (bj8 & 0xF) | ((bj >> 6) << 4);
            min[j + 4] = (bj8 >> 4) | ((bj4 >> 6) << 4);
        }
    }

    static int u8(MemorySegment data, long at) {
        return data.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }
}
