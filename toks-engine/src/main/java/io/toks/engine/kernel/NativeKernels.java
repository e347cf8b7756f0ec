package io.toks.engine.kernel;

import io.toks.core.UserCache;
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

    /** Types with a native batched product (prefill), where the build has it. */
    private static final Set<GgmlType> BATCHED_TYPES;
    /** Whether BF16 weights' batched product takes BF16 activations (AVX512_BF16); else they take floats. */
    private static final boolean BF16_PRODUCTS;
    private static final String ISA;
    private static final String UNAVAILABLE;
    /** The loaded library, for {@link NativeAttention}'s and {@link TiledWeights}' functions; null where it did not load. */
    private static final SymbolLookup LIBRARY;
    /** Every function the handles below bind: checked when the library loads, so a handle made later finds its symbol. */
    private static final List<String> FUNCTIONS = List.of("toks_matvec", "toks_matvec_q8", "toks_quantize_q8", "toks_read_sum",
            "toks_matmul_q8", "toks_matmul_f", "toks_to_bf16", "toks_peak_dot", "toks_peak_dot_instruction",
            "toks_kernels_matvec_type", "toks_kernels_batched", "toks_kernels_batched_float", "toks_kernels_isa", "toks_silu_mul");

    static {
        Set<GgmlType> batched = java.util.EnumSet.noneOf(GgmlType.class);
        Set<GgmlType> decode = java.util.EnumSet.noneOf(GgmlType.class);
        String isa = null, reason = null;
        boolean bf16Products = false;
        SymbolLookup lib = null;
        try {
            lib = load();
            for (String name : FUNCTIONS) lib.findOrThrow(name);
            var i = ValueLayout.JAVA_INT;
            MethodHandle hasMatVec = plain(lib, "toks_kernels_matvec_type", FunctionDescriptor.of(i, i));
            for (GgmlType t : TYPES) {
                if ((int) hasMatVec.invokeExact(code(t)) == 1) decode.add(t);
            }
            MethodHandle flag = plain(lib, "toks_kernels_batched", FunctionDescriptor.of(i));
            if ((int) flag.invokeExact() == 1) {
                batched.addAll(Set.of(GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K));
            }
            flag = plain(lib, "toks_kernels_batched_float", FunctionDescriptor.of(i));
            int floats = (int) flag.invokeExact();
            if ((floats & 1) != 0) batched.addAll(Set.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16));
            bf16Products = (floats & 2) != 0;
            isa = ((MemorySegment) plain(lib, "toks_kernels_isa", FunctionDescriptor.of(ValueLayout.ADDRESS)).invokeExact())
                    .reinterpret(64).getString(0);
        } catch (Throwable t) {
            batched = Set.of();
            decode = Set.of();
            lib = null;
            reason = t.getMessage() == null ? t.toString() : t.getMessage();
        }
        LIBRARY = lib;
        BF16_PRODUCTS = bf16Products;
        BATCHED_TYPES = java.util.Collections.unmodifiableSet(batched);
        DECODE_TYPES = java.util.Collections.unmodifiableSet(decode);
        ISA = isa;
        UNAVAILABLE = reason;
    }

    /*
     * The kernels' handles, each group made at its first use (a holder class per group): a fresh
     * JVM spends milliseconds generating the stub of each downcall, and a command needs few of
     * them (toks run on an F32 model: the product and attention; docs/performance.md, "Cold start").
     */

    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout A = ValueLayout.ADDRESS;

    /** Matrix x float vector. */
    private static final class FloatProduct {
        static final MethodHandle MATVEC = critical(LIBRARY, "toks_matvec", FunctionDescriptor.of(I, I, A, L, A, A, I, I, I));
    }

    /** Elementwise activations. */
    private static final class Activations {
        static final MethodHandle SILU_MUL = critical(LIBRARY, "toks_silu_mul", FunctionDescriptor.ofVoid(A, A, I));
    }

    /** Activations rounded to int8, and the products that take them. */
    private static final class RoundedProducts {
        static final MethodHandle QUANTIZE = critical(LIBRARY, "toks_quantize_q8", FunctionDescriptor.ofVoid(A, I, A, A, A));
        static final MethodHandle MATVEC_Q8 = critical(LIBRARY, "toks_matvec_q8", FunctionDescriptor.of(I, I, A, L, A, A, A, A, I, I, I));
        static final MethodHandle MATMUL_Q8 = critical(LIBRARY, "toks_matmul_q8", FunctionDescriptor.of(I, I, A, L, A, A, A, I, A, L, I, I, I));
    }

    /** Batched products of float-type weights and the roundings they take. */
    private static final class FloatBatches {
        static final MethodHandle MATMUL_F = critical(LIBRARY, "toks_matmul_f", FunctionDescriptor.of(I, I, I, A, L, A, I, A, L, I, I, I));
        static final MethodHandle TO_BF16 = critical(LIBRARY, "toks_to_bf16", FunctionDescriptor.ofVoid(A, I, A));
    }

    /** The hardware probes of toks hw. */
    private static final class Probes {
        static final MethodHandle READ_SUM = plain(LIBRARY, "toks_read_sum", FunctionDescriptor.of(ValueLayout.JAVA_FLOAT, A, L));
        // Plain, not critical: a peak loop runs for tens of milliseconds.
        static final MethodHandle PEAK_DOT = plain(LIBRARY, "toks_peak_dot", FunctionDescriptor.of(L, I, L));
        /** Per {@link DotProduct} (by ordinal) the instruction its peak loop runs; null where the build lacks it. */
        static final String[] PEAK_DOT_INSTRUCTIONS = new String[DotProduct.values().length];

        static {
            MethodHandle peakInstruction = plain(LIBRARY, "toks_peak_dot_instruction", FunctionDescriptor.of(A, I));
            try {
                for (DotProduct dot : DotProduct.values()) {
                    MemorySegment name = (MemorySegment) peakInstruction.invokeExact(dot.code());
                    PEAK_DOT_INSTRUCTIONS[dot.ordinal()] = name.equals(MemorySegment.NULL) ? null : name.reinterpret(64).getString(0);
                }
            } catch (Throwable t) {
                throw new IllegalStateException("native kernel failed", t);
            }
        }
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
        byte[] library;
        try (InputStream in = NativeKernels.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("not built (the build found no gcc, or the CPU lacks AVX2/FMA/F16C)");
            library = in.readAllBytes();
        }
        checkCpu();
        return SymbolLookup.libraryLookup(unpacked(library, UserCache.root().resolve("native")), Arena.global());
    }

    /**
     * The library as a file the dynamic loader can open: in {@code dir}, named by its length and
     * CRC-32, written once (atomically) and found by later runs, which check its bytes before
     * using it. A temporary file per run cost a fresh JVM its secure random generator and a
     * write, and stayed behind whenever the JVM was killed.
     */
    static Path unpacked(byte[] library, Path dir) throws IOException {
        var crc = new java.util.zip.CRC32();
        crc.update(library);
        Path file = dir.resolve("libtoks_kernels-" + library.length + "-" + Long.toHexString(crc.getValue()) + ".so");
        if (Files.isRegularFile(file) && Files.size(file) == library.length && java.util.Arrays.equals(Files.readAllBytes(file), library)) {
            return file;
        }
        UserCache.store(file, library);
        return file;
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
        return LIBRARY != null;
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
            rc = (int) FloatProduct.MATVEC.invokeExact(code, weights, rowBytes, HeapSegments.of(x), HeapSegments.of(out), from, to, cols);
        } catch (Throwable t) {
            throw new IllegalStateException("native kernel failed", t);
        }
        if (rc != 0) throw new IllegalStateException("native kernel refused " + type + " with " + cols + " columns (or out of memory)");
    }

    /** gate[i] = silu(gate[i]) * up[i] for i < n (SwiGLU). Only where {@link #available()}. */
    static void siluMul(float[] gate, float[] up, int n) {
        if (n < 0 || n > gate.length || n > up.length) throw new IndexOutOfBoundsException(n + " values do not fit the arrays");
        try {
            Activations.SILU_MUL.invokeExact(HeapSegments.of(gate), HeapSegments.of(up), n);
        } catch (Throwable t) {
            throw new IllegalStateException("native kernel failed", t);
        }
    }

    /**
     * Sum of the floats in {@code bytes} bytes of {@code memory} from {@code offset} (a multiple
     * of 256 bytes), read with wide loads and software prefetch as the decode kernels read
     * weights: what the memory-bandwidth probe times. Only where {@link #available()}.
     */
    public static float readSum(MemorySegment memory, long offset, long bytes) {
        if (!available()) throw new IllegalStateException("native kernels unavailable");
        if (offset < 0 || bytes < 0 || offset + bytes > memory.byteSize()) throw new IndexOutOfBoundsException("outside the memory");
        try {
            return (float) Probes.READ_SUM.invokeExact(memory.asSlice(offset, bytes), bytes / 256 * 64);
        } catch (Throwable t) {
            throw new IllegalStateException("native kernel failed", t);
        }
    }

    /** The instruction the library's peak loop for {@code dot} runs; null where the build lacks it or the library did not load. */
    static String peakDotInstruction(DotProduct dot) {
        return available() ? Probes.PEAK_DOT_INSTRUCTIONS[dot.ordinal()] : null;
    }

    /** Runs the peak loop of {@code dot} (see {@link PeakDotLoop#run}); only where {@link #peakDotInstruction} is not null. */
    static long peakDot(DotProduct dot, long iterations) {
        if (peakDotInstruction(dot) == null) throw new IllegalStateException("no native peak loop for " + dot);
        long ops;
        try {
            ops = (long) Probes.PEAK_DOT.invokeExact(dot.code(), iterations);
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
        MemorySegment q = HeapSegments.of(into.q), d = HeapSegments.of(into.d), dsum = HeapSegments.of(into.dsum);
        if (t > 0) { // locals, not conditionals, as arguments: invokeExact needs them typed exactly MemorySegment
            q = q.asSlice((long) t * cols);
            d = d.asSlice(4 * t * blocks);
            dsum = dsum.asSlice(4 * t * blocks);
        }
        try {
            RoundedProducts.QUANTIZE.invokeExact(HeapSegments.of(x), cols, q, d, dsum);
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
            rc = (int) RoundedProducts.MATVEC_Q8.invokeExact(code, weights, rowBytes, HeapSegments.of(x.q).asSlice((long) token * cols),
                    HeapSegments.of(x.d).asSlice(4 * token * blocks), HeapSegments.of(x.dsum).asSlice(4 * token * blocks),
                    HeapSegments.of(out), from, to, cols);
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
            rc = (int) RoundedProducts.MATMUL_Q8.invokeExact(code, weights, rowBytes, HeapSegments.of(x.q), HeapSegments.of(x.d),
                    HeapSegments.of(x.dsum), x.count, HeapSegments.of(out), (long) (to - from), from, to, cols);
        } catch (Throwable t) {
            throw new IllegalStateException("native kernel failed", t);
        }
        if (rc != 0) throw new IllegalStateException("native batched kernel refused " + type + " with " + cols + " columns (or out of memory)");
    }

    /**
     * Copies xs[t][0, cols) for t < n into {@code into}, in the form the batched product for
     * {@code weights} takes: rounded to BF16 for BF16 weights where the CPU has BF16 products,
     * floats otherwise (F16 rows, and BF16 rows where the CPU lacks BF16 products, are widened to
     * floats by the library, a slice of a group of rows at a time: docs/performance.md, "Batched
     * float product: long rows in slices").
     */
    public static void prepareFloats(float[][] xs, int n, int cols, GgmlType weights, NativeInputs into) {
        boolean halves = weights == GgmlType.BF16 && BF16_PRODUCTS;
        into.ensureFloats(cols, n, halves);
        if (halves) { // rounded straight from each token's vector: BF16 has float's range, nothing falls outside
            MemorySegment all = MemorySegment.ofArray(into.halves);
            try {
                for (int t = 0; t < n; t++) FloatBatches.TO_BF16.invokeExact(HeapSegments.of(xs[t]), cols, all.asSlice(2L * t * cols));
            } catch (Throwable e) {
                throw new IllegalStateException("native kernel failed", e);
            }
            into.form = NativeInputs.Form.BF16;
            return;
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
            case FLOATS -> true;
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
        int activationType = x.form == NativeInputs.Form.BF16 ? 30 : 0; // GGML's type ids of BF16 and F32
        MemorySegment activations = activationType == 0 ? MemorySegment.ofArray(x.floats) : MemorySegment.ofArray(x.halves);
        int rc;
        try {
            rc = (int) FloatBatches.MATMUL_F.invokeExact(code, activationType, weights, rowBytes, activations,
                    x.count, HeapSegments.of(out), (long) (to - from), from, to, cols);
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
