package io.toks.engine.kernel;

/**
 * A dot-product instruction of the native prefill kernels whose peak throughput can be timed
 * ({@link Kernels#peakDotLoop}). The order is the C library's {@code enum toks_dot}.
 */
public enum DotProduct {
    /**
     * VDPBF16PS (AVX512_BF16): two BF16 products added into each FP32 lane; a product and its add
     * count 2 FLOPs, so a 512-bit instruction does 16 x 2 x 2 = 64.
     */
    BF16,
    /**
     * VPDPBUSD (AVX512_VNNI, or AVX-VNNI's 256-bit form): four u8 x s8 products added into each
     * int32 lane; a multiply-add counts 2 operations, so a 512-bit instruction does 16 x 4 x 2 = 128.
     */
    INT8;

    /** The library's code for it ({@code enum toks_dot}). */
    int code() {
        return ordinal();
    }
}
