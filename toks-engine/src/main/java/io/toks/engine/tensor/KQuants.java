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

    static int u8(MemorySegment data, long at) {
        return data.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }
}
