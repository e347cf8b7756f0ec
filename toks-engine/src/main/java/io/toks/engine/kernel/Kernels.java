package io.toks.engine.kernel;

import io.toks.core.ToksException;
import io.toks.engine.math.VectorKernels;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which kernels multiply the weights: the Java Vector API ones, or the native library's where it has the type. */
public enum Kernels {
    JAVA,
    /** The native library's products where it has them for a type ({@link KernelSupport#nativeDecodeTypes()}, and batched ones for prefill); Java for the rest. */
    NATIVE;

    /**
     * java, native, or auto (native where the library loaded, else java).
     *
     * @throws ToksException for another name, or native where the library is not there
     */
    public static Kernels parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> NativeKernels.available() ? NATIVE : JAVA;
            case "java" -> JAVA;
            case "native" -> {
                if (!NativeKernels.available()) throw new ToksException("native kernels unavailable: " + NativeKernels.unavailableReason());
                yield NATIVE;
            }
            default -> throw new ToksException("unknown kernels '" + name + "' (auto, java, native)");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * gate[i] = silu(gate[i]) * up[i] for i < n, silu(g) = g / (1 + e^-g): the feed-forward's
     * SwiGLU activation, by the native library where these are the native kernels and it loaded,
     * else by the Java Vector API.
     */
    public void siluMul(float[] gate, float[] up, int n) {
        if (this == NATIVE && NativeKernels.available()) NativeKernels.siluMul(gate, up, n);
        else VectorKernels.siluMul(gate, up, n);
    }

    /** What this process's kernels can do. The first call loads the native library, if it is not loaded yet. */
    public static KernelSupport support() {
        return Support.INSTANCE;
    }

    /**
     * Sum of the floats in {@code bytes} bytes of {@code memory} from {@code offset} (a multiple
     * of 256 bytes), read by the native library with wide loads and software prefetch, as its
     * decode kernels read weights: what a memory-bandwidth probe times. Only where
     * {@link KernelSupport#nativeAvailable()}.
     *
     * @throws IllegalStateException where the native library did not load
     */
    public static float nativeReadSum(MemorySegment memory, long offset, long bytes) {
        return NativeKernels.readSum(memory, offset, bytes);
    }

    /**
     * The native loop that times {@code dot}'s instruction at its peak throughput; not
     * {@link PeakDotLoop#available()}, with the reason, where the native library did not load or
     * was built without the instruction (it is built for the CPU it runs on, so: this CPU lacks it).
     */
    public static PeakDotLoop peakDotLoop(DotProduct dot) {
        if (!NativeKernels.available()) return new PeakDotLoop(dot, null, "native library not loaded: " + NativeKernels.unavailableReason());
        String instruction = NativeKernels.peakDotInstruction(dot);
        if (instruction != null) return new PeakDotLoop(dot, instruction, null);
        return new PeakDotLoop(dot, null, switch (dot) {
            case BF16 -> "CPU lacks AVX512_BF16";
            case INT8 -> "CPU lacks AVX512_VNNI and AVX-VNNI";
        });
    }

    /** Built on first use: using {@link #JAVA} never loads the native library. */
    private static final class Support {
        static final KernelSupport INSTANCE = new KernelSupport("java-vector-" + VectorKernels.vectorBits() + "bit",
                VectorKernels.vectorBits(), NativeKernels.available(), NativeKernels.isa(), NativeKernels.unavailableReason(),
                NativeKernels.DECODE_TYPES, NativeKernels.TYPES.stream().filter(NativeKernels::hasBatched).collect(Collectors.toSet()),
                TiledWeights.types(), NativeAttention.available());
    }
}
