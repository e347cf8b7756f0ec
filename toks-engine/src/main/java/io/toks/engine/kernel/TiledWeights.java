package io.toks.engine.kernel;

import io.toks.engine.tensor.BlockMatrix;
import io.toks.engine.tensor.GgmlType;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.stream.IntStream;

/**
 * A Q4_0, Q8_0, Q4_K or Q6_K matrix repacked once, off heap, into the native library's tiles of 16 rows
 * (toks_kernels.h, "Pre-tiled weights"): one product for a single token (decode) and for batches
 * (several sequences, prefill), each tile's values unpacked once for every token
 * (docs/performance.md, "Pre-tiled weights"). Costs a copy of the matrix in memory; the
 * mapped file stays for row lookups (embeddings).
 * <p>
 * Only where the library has the tiled product (AVX-512 VNNI); {@code -Dtoks.tiles=off} keeps the
 * row-major kernels (to compare the two). A matrix is packed once however often it is wrapped.
 */
final class TiledWeights {

    /** Rows per tile: row ranges that are multiples of it compute no row twice. */
    static final int TILE_ROWS = 16;
    private static final Set<GgmlType> TYPES = Set.of(GgmlType.Q4_0, GgmlType.Q8_0, GgmlType.Q4_K, GgmlType.Q6_K);
    /** Tiles packed per task when packing in parallel. */
    private static final int PACK_CHUNK = 256;

    private static final Map<BlockMatrix, TiledWeights> PACKED = Collections.synchronizedMap(new WeakHashMap<>());

    /** The library's tile functions, bound at the first quantized matrix (NativeKernels says why handles wait for their use). */
    private static final class Handles {
        static final MethodHandle BYTES;
        static final MethodHandle PACK;
        static final MethodHandle MATMUL;
        static final FunctionDescriptor PRODUCT;

        static {
            var i = ValueLayout.JAVA_INT;
            var l = ValueLayout.JAVA_LONG;
            var a = ValueLayout.ADDRESS;
            BYTES = NativeKernels.plainHandle("toks_tiles_bytes", FunctionDescriptor.of(l, i, i, i));
            // Plain, not critical: packing a large matrix's share takes tens of milliseconds.
            PACK = NativeKernels.plainHandle("toks_tiles_pack", FunctionDescriptor.of(i, i, a, l, i, i, a, i, i));
            PRODUCT = FunctionDescriptor.of(i, i, a, i, a, a, a, i, a, l, l, i, i);
            MATMUL = NativeKernels.criticalHandle("toks_tiles_matmul", PRODUCT);
        }
    }

    /** The plain-C product, for tests. */
    private static final class Reference {
        static final MethodHandle MATMUL = NativeKernels.criticalHandle("toks_tiles_matmul_reference", Handles.PRODUCT);
    }

    private final GgmlType type;
    private final int rows;
    private final int cols;
    private final MemorySegment tiles;

    private TiledWeights(GgmlType type, int rows, int cols, MemorySegment tiles) {
        this.type = type;
        this.rows = rows;
        this.cols = cols;
        this.tiles = tiles;
    }

    /** The tiled form of m (packed on first use, then shared); null where m's type, shape or the build has none, or tiles are off. */
    static TiledWeights of(BlockMatrix m) {
        if (!TYPES.contains(m.type()) || "off".equals(System.getProperty("toks.tiles")) || bytes(m) < 0) return null;
        synchronized (PACKED) {
            return PACKED.computeIfAbsent(m, TiledWeights::pack);
        }
    }

    /**
     * The types whose matrices this process tiles: none where tiles are off or the library lacks
     * the product (it needs AVX-512 VNNI). Asks the library for a matrix of one tile of 256
     * columns (a whole number of every type's blocks).
     */
    static java.util.Set<GgmlType> types() {
        if (!NativeKernels.available() || "off".equals(System.getProperty("toks.tiles"))) return java.util.Set.of();
        var tiled = java.util.EnumSet.noneOf(GgmlType.class);
        for (GgmlType t : TYPES) {
            if (bytes(t, TILE_ROWS, 256) >= 0) tiled.add(t);
        }
        return tiled;
    }

    private static long bytes(BlockMatrix m) {
        return bytes(m.type(), m.rows(), m.cols());
    }

    private static long bytes(GgmlType type, int rows, int cols) {
        if (Handles.BYTES == null) return -1;
        try {
            return (long) Handles.BYTES.invokeExact(NativeKernels.code(type), rows, cols);
        } catch (Throwable t) {
            throw new IllegalStateException("native kernel failed", t);
        }
    }

    private static TiledWeights pack(BlockMatrix m) {
        MemorySegment tiles = Arena.ofAuto().allocate(bytes(m), 64);
        int count = (m.rows() + TILE_ROWS - 1) / TILE_ROWS;
        int code = NativeKernels.code(m.type());
        IntStream.range(0, (count + PACK_CHUNK - 1) / PACK_CHUNK).parallel().forEach(chunk -> {
            int from = chunk * PACK_CHUNK, to = Math.min(count, from + PACK_CHUNK);
            int rc;
            try {
                rc = (int) Handles.PACK.invokeExact(code, m.data(), m.rowBytes(), m.rows(), m.cols(), tiles, from, to);
            } catch (Throwable t) {
                throw new IllegalStateException("native kernel failed", t);
            }
            if (rc != 0) throw new IllegalStateException("native kernel refused to tile " + m.type() + " " + m.rows() + "x" + m.cols());
        });
        return new TiledWeights(m.type(), m.rows(), m.cols(), tiles);
    }

    /**
     * out[t * ld + r - outRow0] = row(r) . x_t for every token of x (rounded by
     * {@link NativeKernels#quantize}) and rows [from, to).
     */
    void matMul(NativeInputs x, float[] out, long ld, long outRow0, int from, int to) {
        product(Handles.MATMUL, x, out, ld, outRow0, from, to);
    }

    /** {@link #matMul} computed value by value in plain C: the reference the tests hold the vector kernel to. */
    void matMulReference(NativeInputs x, float[] out, long ld, long outRow0, int from, int to) {
        product(Reference.MATMUL, x, out, ld, outRow0, from, to);
    }

    private void product(MethodHandle kernel, NativeInputs x, float[] out, long ld, long outRow0, int from, int to) {
        if (x.form != NativeInputs.Form.ROUNDED || x.length != cols) {
            throw new IllegalArgumentException("activations not rounded for " + cols + " columns");
        }
        if (from < 0 || from > to || to > rows || from < outRow0) throw new IndexOutOfBoundsException("rows " + from + ".." + to + " of " + rows);
        long last = (x.count - 1) * ld + (to - 1 - outRow0);
        if (x.count > 0 && to > from && last >= out.length) {
            throw new IndexOutOfBoundsException("rows " + from + ".." + to + " x " + x.count + " tokens do not fit the output");
        }
        int rc;
        try {
            rc = (int) kernel.invokeExact(NativeKernels.code(type), tiles, cols, HeapSegments.of(x.q), HeapSegments.of(x.d),
                    HeapSegments.of(x.dsum), x.count, HeapSegments.of(out), ld, outRow0, from, to);
        } catch (Throwable t) {
            throw new IllegalStateException("native kernel failed", t);
        }
        if (rc != 0) throw new IllegalStateException("native tiled kernel refused " + type + " with " + cols + " columns");
    }
}
