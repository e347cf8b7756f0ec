package io.toks.engine.kernel;

import io.toks.engine.tensor.GgmlType;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What the kernels of this process can do, as the manifest and the benchmark footer report it:
 * the Java kernels and their vector width, and whether the native library loaded, for which
 * instruction set, and which GGML types it multiplies. Obtained from {@link Kernels#support()}.
 *
 * @param javaKernels             the Java kernels, e.g. {@code java-vector-512bit}
 * @param vectorBits              bits per vector register the Java kernels use
 * @param nativeAvailable         whether the native library loaded
 * @param nativeIsa               the integer dot product the library was built with: avx512-vnni,
 *                                avx-vnni or avx2; null where it did not load
 * @param nativeUnavailableReason why the library did not load; null where it did
 * @param nativeDecodeTypes       types with a native matrix x vector product (decode); empty
 *                                where the library did not load
 * @param nativePrefillTypes      types with a native batched product (prefill); empty where the
 *                                library did not load
 * @param nativeTiledTypes        types whose matrices are repacked into tiles at load (one
 *                                product for decode, batches and prefill); empty where none are
 * @param nativeAttention         whether attention runs natively (F32 and F16 caches, and Q8_0
 *                                ones with heads of a multiple of 32)
 */
public record KernelSupport(String javaKernels, int vectorBits, boolean nativeAvailable, String nativeIsa,
                            String nativeUnavailableReason, Set<GgmlType> nativeDecodeTypes, Set<GgmlType> nativePrefillTypes,
                            Set<GgmlType> nativeTiledTypes, boolean nativeAttention) {

    public KernelSupport {
        nativeDecodeTypes = unmodifiable(nativeDecodeTypes);
        nativePrefillTypes = unmodifiable(nativePrefillTypes);
        nativeTiledTypes = unmodifiable(nativeTiledTypes);
    }

    /**
     * Which kernels ran for a model given {@code kernels}: {@code java-vector-512bit}, or with the
     * native library {@code native-avx512-vnni+java-vector-512bit} (the Java kernels still run
     * the products the library lacks).
     */
    public String describe(Kernels kernels) {
        return kernels == Kernels.NATIVE ? "native-" + nativeIsa + "+" + javaKernels : javaKernels;
    }

    /** In GgmlType order, whatever set was given. */
    private static Set<GgmlType> unmodifiable(Set<GgmlType> types) {
        return Collections.unmodifiableSet(types.isEmpty() ? EnumSet.noneOf(GgmlType.class) : EnumSet.copyOf(types));
    }
}
