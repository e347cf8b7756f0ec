package io.toks.engine.quant;

import io.toks.engine.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Round-to-nearest quantization of float rows, step for step as ggml's reference functions
 * ({@code quantize_row_q8_0_ref}, {@code _q4_0_ref}, {@code _q4_1_ref}, and its F16/BF16
 * conversions), so the blocks are bit-identical to what llama.cpp writes for the same input.
 */
public final class RowQuantizer {

    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Types this quantizer writes. */
    public static final java.util.Set<GgmlType> TYPES = java.util.EnumSet.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16,
            GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1);

    private RowQuantizer() {}

    /** Quantizes x[0, n) into out at byte offset {@code at}; n must be a multiple of the block size. */
    public static void quantize(GgmlType type, float[] x, int n, MemorySegment out, long at) {
        switch (type) {
            case F32 -> MemorySegment.copy(x, 0, out, LE_FLOAT, at, n);
            case F16 -> { for (int i = 0; i < n; i++) out.set(LE_SHORT, at + 2L * i, Float.floatToFloat16(x[i])); }
            case BF16 -> { for (int i = 0; i < n; i++) out.set(LE_SHORT, at + 2L * i, toBf16(x[i])); }
            case Q8_0 -> { for (int b = 0; b < n / 32; b++) q8_0(x, b * 32, out, at + 34L * b); }
            case Q4_0 -> { for (int b = 0; b < n / 32; b++) q4_0(x, b * 32, out, at + 18L * b); }
            case Q4_1 -> { for (int b = 0; b < n / 32; b++) q4_1(x, b * 32, out, at + 20L * b); }
            default -> throw new IllegalArgumentException("cannot quantize to " + type);
        }
    }

    /** ggml's FP32 to BF16: round to nearest even; NaN stays NaN (quiet). */
    static short toBf16(float f) {
        int u = Float.floatToRawIntBits(f);
        if ((u & 0x7fffffff) > 0x7f800000) return (short) ((u >>> 16) | 64);
        return (short) ((u + (0x7fff + ((u >>> 16) & 1))) >>> 16);
    }

    /** C's roundf: halfway cases away from zero (Math.round rounds them up). */
    static int roundf(float v) {
        float a = Math.abs(v);
        float r = (float) Math.floor(a);
        if (a - r >= 0.5f) r += 1;
        return (int) Math.copySign(r, v);
    }

    private static void q8_0(float[] x, int from, MemorySegment out, long at) {
        float amax = 0;
        for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[from + j]));
        float d = amax / 127;
        float id = d != 0 ? 1.0f / d : 0.0f;
        out.set(LE_SHORT, at, Float.floatToFloat16(d));
        for (int j = 0; j < 32; j++) out.set(ValueLayout.JAVA_BYTE, at + 2 + j, (byte) roundf(x[from + j] * id));
    }

    private static void q4_0(float[] x, int from, MemorySegment out, long at) {
        float amax = 0, max = 0;
        for (int j = 0; j < 32; j++) {
            float v = x[from + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -8;
        float id = d != 0 ? 1.0f / d : 0.0f;
        out.set(LE_SHORT, at, Float.floatToFloat16(d));
        for (int j = 0; j < 16; j++) {
            int q0 = Math.min(15, (int) (byte) (int) (x[from + j] * id + 8.5f));
            int q1 = Math.min(15, (int) (byte) (int) (x[from + 16 + j] * id + 8.5f));
            out.set(ValueLayout.JAVA_BYTE, at + 2 + j, (byte) (q0 | (q1 << 4)));
        }
    }

    private static void q4_1(float[] x, int from, MemorySegment out, long at) {
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (int j = 0; j < 32; j++) {
            float v = x[from + j];
            if (v < min) min = v;
            if (v > max) max = v;
        }
        float d = (max - min) / 15;
        float id = d != 0 ? 1.0f / d : 0.0f;
        out.set(LE_SHORT, at, Float.floatToFloat16(d));
        out.set(LE_SHORT, at + 2, Float.floatToFloat16(min));
        for (int j = 0; j < 16; j++) {
            int q0 = Math.min(15, (int) (byte) (int) ((x[from + j] - min) * id + 0.5f));
            int q1 = Math.min(15, (int) (byte) (int) ((x[from + 16 + j] - min) * id + 0.5f));
            out.set(ValueLayout.JAVA_BYTE, at + 4 + j, (byte) (q0 | (q1 << 4)));
        }
    }
}
