package io.toks.engine.kernel;

import io.toks.engine.gguf.GgmlType;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Set;

/**
 * The optional native kernel library (src/main/c/toks_kernels.c, compiled by the build with gcc
 * for the build machine's CPU and packed into the jar), called through the FFM API. Absent when
 * the build had no gcc or the platform is not Linux x86-64; then {@link #available()} is false,
 * {@link #unavailableReason()} says why, and the Java kernels run.
 * <p>
 * {@code -Dtoks.native=off} disables it; {@code -Dtoks.native=/path/lib.so} loads another build.
 */
public final class NativeKernels {

    static final String RESOURCE = "/native/linux-x86_64/libtoks_kernels.so";
    /** Types with a native matrix x vector product. */
    public static final Set<GgmlType> TYPES = Set.of(GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q6_K);

    private static final MethodHandle MATVEC;
    private static final String ISA;
    private static final String UNAVAILABLE;

    static {
        MethodHandle matVec = null;
        String isa = null, reason = null;
        try {
            SymbolLookup lib = load();
            Linker linker = Linker.nativeLinker();
            // critical: the call is short and never blocks, so Java arrays may be passed in place
            // (no copy) and no thread-state transition is paid per call.
            matVec = linker.downcallHandle(lib.findOrThrow("toks_matvec"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                            ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT),
                    Linker.Option.critical(true));
            MethodHandle isaName = linker.downcallHandle(lib.findOrThrow("toks_kernels_isa"), FunctionDescriptor.of(ValueLayout.ADDRESS));
            isa = ((MemorySegment) isaName.invokeExact()).reinterpret(64).getString(0);
        } catch (Throwable t) {
            matVec = null;
            reason = t.getMessage() == null ? t.toString() : t.getMessage();
        }
        MATVEC = matVec;
        ISA = isa;
        UNAVAILABLE = reason;
    }

    private NativeKernels() {}

    private static SymbolLookup load() throws IOException {
        String setting = System.getProperty("toks.native", "");
        if (setting.equals("off")) throw new IllegalStateException("disabled with -Dtoks.native=off");
        if (!setting.isEmpty()) return SymbolLookup.libraryLookup(Path.of(setting), Arena.global());
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT), arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("no native kernels for " + os + "/" + arch);
        }
        try (InputStream in = NativeKernels.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("not built (the build found no gcc, or the CPU lacks AVX2/FMA/F16C)");
            Path file = Files.createTempFile("toks_kernels", ".so");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return SymbolLookup.libraryLookup(file, Arena.global());
        }
    }

    public static boolean available() {
        return MATVEC != null;
    }

    /** Why the library is not there (null when it is). */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    /** The integer dot product the library was built with: avx512-vnni, avx-vnni or avx2. */
    public static String isa() {
        return ISA;
    }

    /**
     * out[r] = row(r) . x for r in [from, to), rows {@code rowBytes} apart in {@code weights}. x is
     * quantized to int8 per 32 values first (one scale each), so results differ from the float
     * product by that rounding: at most sum |w_i| * scale(block of i) / 2.
     */
    public static void matVec(GgmlType type, MemorySegment weights, long rowBytes, float[] x, float[] out, int from, int to, int cols) {
        int code = switch (type) {
            case Q8_0 -> 8;
            case Q4_0 -> 2;
            case Q4_K -> 12;
            case Q6_K -> 14;
            default -> throw new IllegalArgumentException("no native kernel for " + type);
        };
        if (x.length < cols || out.length < to || from < 0 || from > to || rowBytes * to > weights.byteSize()) {
            throw new IndexOutOfBoundsException("rows " + from + ".." + to + " of " + cols + " columns do not fit the arrays");
        }
        int rc;
        try {
            rc = (int) MATVEC.invokeExact(code, weights, rowBytes, MemorySegment.ofArray(x), MemorySegment.ofArray(out), from, to, cols);
        } catch (Throwable t) {
            throw new IllegalStateException("native kernel failed", t);
        }
        if (rc != 0) throw new IllegalStateException("native kernel refused " + type + " with " + cols + " columns (or out of memory)");
    }
}
