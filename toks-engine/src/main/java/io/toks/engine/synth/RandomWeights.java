package io.toks.engine.synth;

import io.toks.engine.tensor.GgmlType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * Fills storage with random but well-formed weights of a GGML type: quantized values uniform
 * over their range and block scales chosen so dequantized values lie within about
 * [-amplitude, amplitude]. Speed measurements do not depend on the values; finite, bounded
 * values keep the arithmetic on its normal path (no NaN or infinity slow paths).
 */
public final class RandomWeights {

    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private RandomWeights() {}

    /** Fills {@code elements} values of {@code type} into {@code out} (which must be exactly that size). */
    public static void fill(GgmlType type, MemorySegment out, long elements, float amplitude, long seed) {
        if (type.bytesFor(elements) != out.byteSize()) {
            throw new IllegalArgumentException(type + " x " + elements + " needs " + type.bytesFor(elements) + " bytes");
        }
        var random = new SplittableRandom(seed);
        switch (type) {
            case F32 -> { for (long i = 0; i < elements; i++) out.set(LE_FLOAT, 4 * i, uniform(random, amplitude)); }
            case F16 -> { for (long i = 0; i < elements; i++) out.set(LE_SHORT, 2 * i, Float.floatToFloat16(uniform(random, amplitude))); }
            case BF16 -> { for (long i = 0; i < elements; i++) out.set(LE_SHORT, 2 * i, (short) (Float.floatToIntBits(uniform(random, amplitude)) >>> 16)); }
            default -> fillBlocks(type, out, elements / type.blockSize(), amplitude, random);
        }
    }

    private static float uniform(SplittableRandom random, float amplitude) {
        return (float) ((random.nextDouble() * 2 - 1) * amplitude);
    }

    private static void fillBlocks(GgmlType type, MemorySegment out, long blocks, float amplitude, SplittableRandom random) {
        randomBytes(out, random);
        int bytes = type.blockBytes();
        for (long b = 0; b < blocks; b++) {
            long at = b * bytes;
            switch (type) {
                case Q8_0 -> {
                    half(out, at, amplitude / 127);
                    for (int j = 0; j < 32; j++) {
                        if (out.get(ValueLayout.JAVA_BYTE, at + 2 + j) == Byte.MIN_VALUE) out.set(ValueLayout.JAVA_BYTE, at + 2 + j, (byte) -127);
                    }
                }
                case Q4_0 -> half(out, at, amplitude / 8);
                case Q4_1 -> {
                    half(out, at, 2 * amplitude / 15);
                    half(out, at + 2, -amplitude);
                }
                case Q4_K -> {
                    half(out, at, 2 * amplitude / (63 * 15));
                    half(out, at + 2, amplitude / 63);
                }
                case Q5_K -> {
                    half(out, at, 2 * amplitude / (63 * 31));
                    half(out, at + 2, amplitude / 63);
                }
                case Q6_K -> half(out, at + 208, amplitude / (127 * 32));
                default -> throw new IllegalArgumentException("cannot make random " + type + " weights");
            }
        }
    }

    private static void half(MemorySegment out, long at, float value) {
        out.set(LE_SHORT, at, Float.floatToFloat16(value));
    }

    private static void randomBytes(MemorySegment out, SplittableRandom random) {
        long n = out.byteSize();
        long i = 0;
        for (; i + 8 <= n; i += 8) out.set(LE_LONG, i, random.nextLong());
        for (; i < n; i++) out.set(ValueLayout.JAVA_BYTE, i, (byte) random.nextInt());
    }
}
