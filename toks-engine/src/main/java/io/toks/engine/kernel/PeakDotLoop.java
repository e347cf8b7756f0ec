package io.toks.engine.kernel;

/**
 * The native library's loop of one dot-product instruction on independent accumulators, bound by
 * the instruction's throughput: what {@code toks hw} times for the BF16 and int8 peaks. Obtained
 * from {@link Kernels#peakDotLoop}.
 *
 * @param dot               the dot product
 * @param instruction       the instruction the loop runs, e.g. {@code VPDPBUSD zmm (AVX512_VNNI)};
 *                          null where it is not available
 * @param unavailableReason why not, e.g. {@code CPU lacks AVX512_BF16}; null where it is available
 */
public record PeakDotLoop(DotProduct dot, String instruction, String unavailableReason) {

    public PeakDotLoop {
        if ((instruction == null) == (unavailableReason == null)) {
            throw new IllegalArgumentException("a peak loop has either an instruction or a reason it is unavailable");
        }
    }

    public boolean available() {
        return instruction != null;
    }

    /**
     * Runs {@code iterations} rounds on the calling thread and returns the operations done: FLOPs
     * for {@link DotProduct#BF16}, integer operations for {@link DotProduct#INT8}. The caller
     * times the call; it takes about {@code iterations} x 10 ns on a current core.
     *
     * @throws IllegalStateException where the loop is not {@link #available()}
     */
    public long run(long iterations) {
        if (!available()) throw new IllegalStateException(dot + " peak loop not available: " + unavailableReason);
        if (iterations < 0) throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        return NativeKernels.peakDot(dot, iterations);
    }
}
