package io.toks.engine.kernel;

import io.toks.core.ToksException;
import java.util.Locale;

/** Which kernels multiply the weights: the Java Vector API ones, or the native library's where it has the type. */
public enum Kernels {
    JAVA,
    /** The native library's products where it has them for a type (NativeKernels.DECODE_TYPES, and batched ones for prefill); Java for the rest. */
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
}
