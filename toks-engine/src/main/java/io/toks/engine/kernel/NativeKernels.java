package io.toks.engine.kernel;

import io.toks.engine.tensor.GgmlType;
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
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The optional native kernel library (src/main/c/toks_kernels.c, compiled by the build with gcc
 * for the build machine's CPU and packed into the jar), called through the FFM API. Absent when
 * the build had no gcc or the platform is not Linux x86-64; then {@link #available()} is false,
 * {@link #unavailableReason()} says why, and the Java kernels run.
 * <p>
 * {@code -Dtoks.native=off} disables it; {@code -Dtoks.native=/path/lib.so} loads another build.
 * <p>
 * Package-private: {@link NativeMatrix} runs its products, {@link Kernels#support()} reports what
 * it has.
 */
final class NativeKernels {

    static final String RESOURCE = "/native/linux-x86_64/libtoks_kernels.so";
    private static final String CPU_FLAGS = "/native/linux-x86_64/cpu-flags.txt";
    /** Types with a native product: matrix x vector (decode) for {@link #DECODE_TYPES}, batched (prefill) where {@link #hasBatched}. */
    public static final Set<GgmlType> TYPES = Set.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16,
            GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K);
    /**
     * Types with a native matrix x vector product. F32 and BF16 only where the build has their
     * 512-bit kernels (software prefetch: F32 decode is the most memory-bound product). Empty when
     * the library is absent.
     */
    public static final Set<GgmlType> DECODE_TYPES;
    /** Types whose native products round the activations to int8 per 32 values; the others multiply in float. */
    public static final Set<GgmlType> ROUNDING_TYPES = Set.of(GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q4_K, GgmlType.Q5_K,
            GgmlType.Q6_K);

    private static final MethodHandle MATVEC;
    private static final MethodHandle MATVEC_Q8;
    private static final MethodHandle QUANTIZE;
    private static final MethodHandle MATMUL_Q8;
    private static final MethodHandle MATMUL_F;
    private static final MethodHandle TO_BF16;
    private static final MethodHandle TO_F16;
    private static final MethodHandle READ_SUM;
    private static final MethodHandle PEAK_DOT;
    /** Per {@link DotProduct} (by ordinal) the instruction its peak loop runs; null where the build lacks it. */
    private static final String[] PEAK_DOT_INSTRUCTIONS = new String[DotProduct.values().length];
    /** Types with a native batched product (prefill), where the build has it. */
    private static final Set<GgmlType> BATCHED_TYPES;
    private static final String ISA;
    private static final String UNAVAILABLE;
    /** The loaded library, for {@link NativeAttention}'s and {@link TiledWeights}' functions; null where it did not load. */
    private static final SymbolLookup LIBRARY;

    static {
        MethodHandle matVec = null, matVecQ8 = null, quantize = null, matMul = null, matMulF = null, toBf16 = null, toF16 = null,
                readSum = null, peakDot = null;
        Set<GgmlType> batched = java.util.EnumSet.noneOf(GgmlType.class);
        Set<GgmlType> decode = java.util.EnumSet.noneOf(GgmlType.class);
        String isa = null, reason = null;
        SymbolLookup lib = null;
        try {
            lib = load();
            var i = ValueLayout.JAVA_INT;
            var l = ValueLayout.JAVA_LONG;
            var a = ValueLayout.ADDRESS;
            matVec = critical(lib, "toks_matvec", FunctionDescriptor.of(i, i, a, l, a, a, i, i, i));
            matVecQ8 = critical(lib, "toks_matvec_q8", FunctionDescriptor.of(i, i, a, l, a, a, a, a, i, i, i));
            quantize = critical(lib, "toks_quantize_q8", FunctionDescriptor.ofVoid(a, i, a, a, a));
            readSum = plain(lib, "toks_read_sum", FunctionDescriptor.of(ValueLayout.JAVA_FLOAT, a, l));
            matMul = critical(lib, "toks_matmul_q8", FunctionDescriptor.of(i, i, a, l, a, a, a, i, a, l, i, i, i));
            MethodHandle hasMatVec = plain(lib, "toks_kernels_matvec_type", FunctionDescriptor.of(i, i));
            for (GgmlType t : TYPES) {
                if ((int) hasMatVec.invokeExact(code(t)) == 1) decode.add(t);
            }
            if ((int) plain(lib, "toks_kernels_batched", FunctionDescriptor.of(i)).invokeExact() == 1) {
                batched.addAll(Set.of(GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K));
            }
            if ((int) plain(lib, "toks_kernels_batched_float", FunctionDescriptor.of(i)).invokeExact() == 1) {
                batched.addAll(Set.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16));
                matMulF = critical(lib, "toks_matmul_f", FunctionDescriptor.of(i, i, i, a, l, a, i, a, l, i, i, i));
                toBf16 = critical(lib, "toks_to_bf16", FunctionDescriptor.ofVoid(a, i, a));
                toF16 = critical(lib, "toks_to_f16", FunctionDescriptor.of(i, a, i, a));
            }
            isa = ((MemorySegment) plain(lib, "toks_kernels_isa", FunctionDescriptor.of(a)).invokeExact()).reinterpret(64).getString(0);
            // Plain, not critical: a peak loop runs for tens of milliseconds.
            peakDot = plain(lib, "toks_peak_dot", FunctionDescriptor.of(l, i, l));
            MethodHandle peakInstruction = plain(lib, "toks_peak_dot_instruction", FunctionDescriptor.of(a, i));
            for (DotProduct dot : DotProduct.values()) {
                MemorySegment name = (MemorySegment) peakInstruction.invokeExact(dot.code());
                PEAK_DOT_INSTRUCTIONS[dot.ordinal()] = name.equals(MemorySegment.NULL) ? null : name.reinterpret(64).getString(0);
            }
        } catch (Throwable t) {
            matVec = null;
            matVecQ8 = null;
            quantize = null;
            matMul = null;
            matMulF = null;
            toBf16 = null;
            toF16 = null;
            readSum = null;
            peakDot = null;
            java.util.Arrays.fill(PEAK_DOT_INSTRUCTIONS, null);
            batched = Set.of();
            decode = Set.of();
            lib = null;
            reason = t.getMessage() == null ? t.toString() : t.getMessage();
        }
        LIBRARY = lib;
        MATVEC = matVec;
        MATVEC_Q8 = matVecQ8;
        QUANTIZE = quantize;
        MATMUL_Q8 = matMul;
        MATMUL_F = matMulF;
        TO_BF16 = toBf16;
        TO_F16 = toF16;
        READ_SUM = readSum;
        PEAK_DOT = peakDot;
        BATCHED_TYPES = java.util.Collections.unmodifiableSet(batched);
        DECODE_TYPES = java.util.Collections.unmodifiableSet(decode);
        ISA = isa;
        UNAVAILABLE = reason;
    }

    private NativeKernels() {}

    /**
     * A kernel's handle. Critical: the calls never block and last microseconds (a decode row
     * range) to a few milliseconds (a prefill row range), so Java arrays may be passed in place
     * (no copy) and no thread-state transition is paid per call; a GC waits for them that long.
     */
    private static MethodHandle critical(SymbolLookup lib, String name, FunctionDescriptor descriptor) {
        return Linker.nativeLinker().downcallHandle(lib.findOrThrow(name), descriptor, Linker.Option.critical(true));
    }

    /** The library's function {@code name} as a critical handle (see {@link #critical}); null when the library is absent. */
    static MethodHandle criticalHandle(String name, FunctionDescriptor descriptor) {
        return LIBRARY == null ? null : critical(LIBRARY, name, descriptor);
    }

    /** The library's function {@code name} as a plain handle; null when the library is absent. */
    static MethodHandle plainHandle(String name, FunctionDescriptor descriptor) {
        return LIBRARY == null ? null : plain(LIBRARY, name, descriptor);
    }

    /** A handle for a call made once (a query of the build). */
    private static MethodHandle plain(SymbolLookup lib, String name, FunctionDescriptor descriptor) {
        return Linker.nativeLinker().downcallHandle(lib.findOrThrow(name), descriptor);
    }

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
            checkCpu();
            Path file = Files.createTempFile("toks_kernels", ".so");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return SymbolLookup.libraryLookup(file, Arena.global());
        }
    }

    /**
     * The library is compiled for the build machine's CPU; refuses it (before loading: an
     * unsupported instruction would kill the JVM) where this CPU lacks a vector extension the
     * build CPU had, as recorded by the build in cpu-flags.txt.
     */
    private static void checkCpu() throws IOException {
        Set<String> built;
        try (InputStream in = NativeKernels.class.getResourceAsStream(CPU_FLAGS)) {
            if (in == null) return;
            built = Set.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim().split("\\s+"));
        }
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) return;
        String flagsLine;
        try (var lines = Files.lines(cpuinfo)) {
            flagsLine = lines.filter(line -> line.startsWith("flags")).findFirst().orElse(null);
        }
        if (flagsLine == null) return;
        List<String> missing = missingFlags(built, flagsLine);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("built for a CPU with " + String.join(", ", missing) + ", which this one lacks; rebuild here");
        }
    }

    /** The build CPU's flags that a /proc/cpuinfo "flags : ..." line lacks, sorted. */
    static List<String> missingFlags(Set<String> built, String cpuinfoFlagsLine) {
        Set<String> here = Set.of(cpuinfoFlagsLine.substring(cpuinfoFlagsLine.indexOf(':') + 1).trim().split("\\s+"));
        return built.stream().filter(f -> !f.isEmpty() && !here.contains(f)).sorted().toList();
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
     * out[r] = row(r) . x for r in [from, to), rows {@code rowBytes} apart in {@code weights}. For
     * the {@link #ROUNDING_TYPES} x is quantized to int8 per 32 values first (one scale each), so
     * results differ from the float product by that rounding: at most sum |w_i| * scale(block of
     * i) / 2; F16 multiplies in float. Only the {@link #DECODE_TYPES}.
     */
    public static void matVec(GgmlType type, MemorySegment weights, long rowBytes, float[] x, float[] out, int from, int to, int cols) {
        if (!DECODE_TYPES.contains(type)) throw new IllegalArgumentException("no native matrix x vector product for " + type);
        int code = code(type);
        checkRange(weights, rowBytes, x.length, out, from, to, cols);
        int rc;
        try {
            rc = (int) MATVEC.invokeExact(code, weights, rowBytes, MemorySegment.ofArray(x), MemorySegment.ofArray(out), from, to, cols);
        } catch (Throwable t) {
            throw new IllegalStateException("native kernel failed", t);
        }
        if (rc != 0) throw new IllegalStateException("native kernel refused " + type + " with " + cols + " columns (or out of memory)");
    }

    /**
     * Sum of the floats in {@code bytes} bytes of {@code memory} from {@code offset} (a multiple
     * of 256 bytes), read with wide loads and software prefetch as the decode kernels read
     * weights: what the memory-bandwidth probe times. Only where {@link #available()}.
     */
    public static float readSum(MemorySegment memory, long offset, long bytes) {
        if (READ_SUM == null) throw new IllegalStateException("native kernels unavailable");
        if (offset < 0 || bytes < 0 || offset + bytes > memory.byteSize()) throw new IndexOutOfBoundsException("outside the memory");
        try {
            return (float) READ_SUM.invokeExact(memory.asSlice(offset, bytes), bytes / 256 * 64);
        } catch (Throwable t) {
            throw new IllegalStateException("native kernel failed", t);
        }
    }

    /** The instruction the library's peak loop for {@code dot} runs; null where the build lacks it or the library did not load. */
    static String peakDotInstruction(DotProduct dot) {
        return PEAK_DOT_INSTRUCTIONS[dot.ordinal()];
    }

    /** Runs the peak loop of {@code dot} (see {@link PeakDotLoop#run}); only where {@link #peakDotInstruction} is not null. */
    static long peakDot(DotProduct dot, long iterations) {
        if (peakDotInstruction(dot) == null) throw new IllegalStateException("no native peak loop for " + dot);
        long ops;
        try {
            ops = (long) PEAK_DOT.invokeExact(dot.code(), iterations);
        } catch (Throwable t) {
            throw new IllegalStateException("native kernel failed", t);
        }
        if (ops < 0) throw new IllegalStateException("native peak loop refused " + dot);
        return ops;
    }

    /** Whether the library has a batched product (prefill) for this type (the float types need AVX-512 BF16). */
    public static boolean hasBatched(GgmlType type) {
        return BATCHED_TYPES.contains(type);
    }

    /** Rounds x[0, cols) into {@code into} (int8 per 32 values), once for all row ranges of a product. */
    public static void quantize(float[] x, int cols, NativeInputs into) {
        checkQuantizable(x, 0, cols);
        into.ensureRounded(cols, 1);
        quantizeToken(x, cols, into, 0);
    }

    /** Rounds xs[t][0, cols) for t < n into {@code into}, token after token. */
    public static void quantize(float[][] xs, int n, int cols, NativeInputs into) {
        for (int t = 0; t < n; t++) checkQuantizable(xs[t], t, cols);
        into.ensureRounded(cols, n);
        for (int t = 0; t < n; t++) quantizeToken(xs[t], cols, into, t);
    }

    private static void checkQuantizable(float[] x, int t, int cols) {
        if (cols % 32 != 0) throw new IllegalArgumentException(cols + " values cannot be quantized in blocks of 32");
        if (x.length < cols) throw new IllegalArgumentException("vector " + t + " is shorter than " + cols);
    }

    /** Token t of into: its int8 values at t * cols, its block scales and sums at t * cols / 32. */
    private static void quantizeToken(float[] x, int cols, NativeInputs into, int t) {
        long blocks = cols / 32;
        MemorySegment q = MemorySegment.ofArray(into.q), d = MemorySegment.ofArray(into.d), dsum = MemorySegment.ofArray(into.dsum);
        if (t > 0) { // locals, not conditionals, as arguments: invokeExact needs them typed exactly MemorySegment
            q = q.asSlice((long) t * cols);
            d = d.asSlice(4 * t * blocks);
            dsum = dsum.asSlice(4 * t * blocks);
        }
        try {
            QUANTIZE.invokeExact(MemorySegment.ofArray(x), cols, q, d, dsum);
        } catch (Throwable e) {
            throw new IllegalStateException("native kernel failed", e);
        }
    }

    /**
     * As {@link #matVec(GgmlType, MemorySegment, long, float[], float[], int, int, int)} on
     * token {@code token} of activations quantized by {@link #quantize}.
     */
    public static void matVec(GgmlType type, MemorySegment weights, long rowBytes, NativeInputs x, int token, float[] out,
                              int from, int to, int cols) {
        int code = code(type);
        if (!ROUNDING_TYPES.contains(type) || x.form != NativeInputs.Form.ROUNDED) {
            throw new IllegalArgumentException(type + " with activations that are not rounded");
        }
        if (x.length != cols) throw new IllegalArgumentException("activations hold " + x.length + " values, the matrix has " + cols + " columns");
        if (token < 0 || token >= x.count) throw new IndexOutOfBoundsException("token " + token + " of " + x.count);
        checkRange(weights, rowBytes, x.length, out, from, to, cols);
        long blocks = cols / 32;
        int rc;
        try {
            rc = (int) MATVEC_Q8.invokeExact(code, weights, rowBytes, MemorySegment.ofArray(x.q).asSlice((long) token * cols),
                    MemorySegment.ofArray(x.d).asSlice(4 * token * blocks), MemorySegment.ofArray(x.dsum).asSlice(4 * token * blocks),
                    MemorySegment.ofArray(out), from, to, cols);
        } catch (Throwable t) {
            throw new IllegalStateException("native kernel failed", t);
        }
        if (rc != 0) throw new IllegalStateException("native kernel refused " + type + " with " + cols + " columns");
    }

    /**
     * Batched product: out[t * (to - from) + r - from] = row(r) . x_t for every token of
     * {@code x} and rows [from, to). Only where {@link #hasBatched} holds.
     */
    public static void matMul(GgmlType type, MemorySegment weights, long rowBytes, NativeInputs x, float[] out,
                              int from, int to, int cols) {
        int code = code(type);
        if (!hasBatched(type) || !ROUNDING_TYPES.contains(type)) throw new IllegalStateException("no native batched product for " + type);
        if (x.form != NativeInputs.Form.ROUNDED) throw new IllegalArgumentException("activations not rounded");
        if (x.length != cols) throw new IllegalArgumentException("activations hold " + x.length + " values, the matrix has " + cols + " columns");
        long need = (long) x.count * (to - from);
        if (out.length < need || from < 0 || from > to || rowBytes * to > weights.byteSize()) {
            throw new IndexOutOfBoundsException("rows " + from + ".." + to + " x " + x.count + " tokens do not fit the arrays");
        }
        int rc;
        try {
            rc = (int) MATMUL_Q8.invokeExact(code, weights, rowBytes, MemorySegment.ofArray(x.q), MemorySegment.ofArray(x.d),
                    MemorySegment.ofArray(x.dsum), x.count, MemorySegment.ofArray(out), (long) (to - from), from, to, cols);
        } catch (Throwable t) {
            throw new IllegalStateException("native kernel failed", t);
        }
        if (rc != 0) throw new IllegalStateException("native batched kernel refused " + type + " with " + cols + " columns (or out of memory)");
    }

    /**
     * Copies xs[t][0, cols) for t < n into {@code into}, in the form the batched product for
     * {@code weights} takes: rounded to BF16 for BF16 weights; rounded to F16 for F16 weights (as
     * llama.cpp does: half the bytes, so a register block's rows and tokens stay in L1) unless a
     * value lies outside F16's range, when they stay floats; floats for F32.
     */
    public static void prepareFloats(float[][] xs, int n, int cols, GgmlType weights, NativeInputs into) {
        boolean halves = weights == GgmlType.BF16 || weights == GgmlType.F16;
        into.ensureFloats(cols, n, halves);
        if (halves) {
            // Rounded straight from each token's vector: the gathered floats are needed only when
            // F16 cannot hold a value (copying them every time cost a third of the preparation).
            int outside = 0;
            MemorySegment all = MemorySegment.ofArray(into.halves);
            try {
                for (int t = 0; t < n; t++) {
                    MemorySegment token = all.asSlice(2L * t * cols);
                    if (weights == GgmlType.BF16) TO_BF16.invokeExact(MemorySegment.ofArray(xs[t]), cols, token);
                    else outside += (int) TO_F16.invokeExact(MemorySegment.ofArray(xs[t]), cols, token);
                }
            } catch (Throwable e) {
                throw new IllegalStateException("native kernel failed", e);
            }
            into.form = weights == GgmlType.BF16 ? NativeInputs.Form.BF16 : NativeInputs.Form.F16;
            if (outside == 0) return;
            into.form = NativeInputs.Form.FLOATS;
        }
        if (into.floats.length < n * cols) into.floats = new float[n * cols];
        for (int t = 0; t < n; t++) System.arraycopy(xs[t], 0, into.floats, t * cols, cols);
    }

    /**
     * Batched product for float-type weights: out[t * (to - from) + r - from] = row(r) . x_t, x
     * prepared by {@link #prepareFloats} for this type. Only where {@link #hasBatched} holds.
     */
    public static void matMulFloat(GgmlType type, MemorySegment weights, long rowBytes, NativeInputs x, float[] out,
                                   int from, int to, int cols) {
        int code = code(type);
        if (!hasBatched(type) || ROUNDING_TYPES.contains(type)) throw new IllegalStateException("no native float batched product for " + type);
        boolean matches = switch (x.form) {
            case FLOATS -> type != GgmlType.BF16;
            case F16 -> type == GgmlType.F16;
            case BF16 -> type == GgmlType.BF16;
            case ROUNDED -> false;
        };
        if (!matches || x.length != cols) {
            throw new IllegalArgumentException("activations not prepared for " + type + " with " + cols + " columns");
        }
        long need = (long) x.count * (to - from);
        if (out.length < need || from < 0 || from > to || rowBytes * to > weights.byteSize()) {
            throw new IndexOutOfBoundsException("rows " + from + ".." + to + " x " + x.count + " tokens do not fit the arrays");
        }
        int activationType = switch (x.form) {
            case F16 -> 1;
            case BF16 -> 30;
            default -> 0;
        };
        MemorySegment activations = activationType == 0 ? MemorySegment.ofArray(x.floats) : MemorySegment.ofArray(x.halves);
        int rc;
        try {
            rc = (int) MATMUL_F.invokeExact(code, activationType, weights, rowBytes, activations,
                    x.count, MemorySegment.ofArray(out), (long) (to - from), from, to, cols);
        } catch (Throwable t) {
            throw new IllegalStateException("native kernel failed", t);
        }
        if (rc != 0) throw new IllegalStateException("native batched kernel refused " + type + " with " + cols + " columns");
    }

    /** The library's type code: GGML's type id (the C header's enum ggml_type; NativeTypeIdsTest keeps them equal). */
    static int code(GgmlType type) {
        if (!TYPES.contains(type)) throw new IllegalArgumentException("no native kernel for " + type);
        return type.id();
    }

    private static void checkRange(MemorySegment weights, long rowBytes, int xLength, float[] out, int from, int to, int cols) {
        if (xLength < cols || out.length < to || from < 0 || from > to || rowBytes * to > weights.byteSize()) {
            throw new IndexOutOfBoundsException("rows " + from + ".." + to + " of " + cols + " columns do not fit the arrays");
        }
    }
}
