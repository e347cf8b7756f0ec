package io.toks.engine.kernel;

import io.toks.engine.tensor.BlockMatrix;
import io.toks.engine.tensor.FloatMatrix;
import io.toks.engine.tensor.GgmlType;

/**
 * A matrix whose products run in the native kernel library: matrix x vector (decode) for every
 * type the library has, and the batched product (prefill) where it has a batched kernel for the
 * type. Row decoding (embedding lookups) and the products it lacks stay with the Java matrix it
 * wraps. Callers that split rows across threads prepare the activations once per product
 * ({@link #quantizeInput}, {@link #prepareInputs}) and pass them to every row range.
 */
public final class NativeMatrix implements FloatMatrix {

    /** Batches smaller than this go through the matrix x vector kernel, one vector at a time. */
    public static final int MIN_BATCH = 6; // the measured crossover: docs/performance.md, "Native batched product: smallest batch"
    /** Rows the quantized batched and tiled kernels take at once; row ranges should be multiples of it. */
    public static final int ROW_TILE = TiledWeights.TILE_ROWS;
    /** Per worker thread: the batched kernel's output before it is spread over the token vectors. */
    private static final ThreadLocal<float[]> BATCH_OUT = ThreadLocal.withInitial(() -> new float[0]);
    /** Per calling thread: the activations of {@link #matVec(float[], float[], int, int)} on a tiled matrix. */
    private static final ThreadLocal<NativeInputs> ROUNDED = ThreadLocal.withInitial(NativeInputs::new);

    private final BlockMatrix matrix;
    /** The matrix repacked into the library's tiles (Q4_0, Q8_0 where the build has the product); else null. */
    private final TiledWeights tiled;

    private NativeMatrix(BlockMatrix matrix) {
        this.matrix = matrix;
        this.tiled = TiledWeights.of(matrix);
    }

    /** m with native decode kernels where the library is loaded and has its type; else m itself. */
    public static FloatMatrix wrap(FloatMatrix m) {
        if (m instanceof NativeMatrix) return m;
        if (m instanceof BlockMatrix b && NativeKernels.available() && NativeKernels.TYPES.contains(b.type())) return new NativeMatrix(b);
        return m;
    }

    /** The Java matrix behind a native one; any other matrix itself. */
    public static FloatMatrix unwrap(FloatMatrix m) {
        return m instanceof NativeMatrix n ? n.matrix : m;
    }

    /** Whether the products run on the matrix repacked into tiles of {@link #ROW_TILE} rows (row ranges best aligned to them). */
    public boolean tiled() {
        return tiled != null;
    }

    /** The Java matrix this one wraps. */
    public BlockMatrix unwrapped() {
        return matrix;
    }

    @Override public int rows() { return matrix.rows(); }
    @Override public int cols() { return matrix.cols(); }
    @Override public GgmlType type() { return matrix.type(); }
    @Override public long byteSize() { return matrix.byteSize(); }

    /** Natively for the {@link NativeKernels#DECODE_TYPES}, else the Java product. */
    @Override
    public void matVec(float[] x, float[] out, int fromRow, int toRow) {
        if (tiled != null) { // rounded here, per call: the same products as a caller's quantizeInput then matVec
            NativeInputs rounded = ROUNDED.get();
            NativeKernels.quantize(x, matrix.cols(), rounded);
            tiled.matMul(rounded, out, 0, 0, fromRow, toRow);
        } else if (NativeKernels.DECODE_TYPES.contains(matrix.type())) {
            NativeKernels.matVec(matrix.type(), matrix.data(), matrix.rowBytes(), x, out, fromRow, toRow, matrix.cols());
        } else {
            matrix.matVec(x, out, fromRow, toRow);
        }
    }

    /** Rounds x for {@link #matVec(NativeInputs, float[], int, int)} (quantized types): once per product, before splitting the rows. */
    public void quantizeInput(float[] x, NativeInputs into) {
        NativeKernels.quantize(x, matrix.cols(), into);
    }

    /** out[r] = row(r) . x for r in [fromRow, toRow), x quantized by {@link #quantizeInput}. */
    public void matVec(NativeInputs x, float[] out, int fromRow, int toRow) {
        if (tiled != null) {
            tiled.matMul(x, out, 0, 0, fromRow, toRow);
            return;
        }
        NativeKernels.matVec(matrix.type(), matrix.data(), matrix.rowBytes(), x, 0, out, fromRow, toRow, matrix.cols());
    }

    /**
     * Whether a batch of n vectors is best multiplied natively ({@link #prepareInputs} then
     * {@link #matMul(NativeInputs, float[][], int, int)}). Quantized types: below {@link #MIN_BATCH}
     * vectors by the matrix x vector kernel per vector (unpacking a row tile for the batched
     * kernel costs about one vector's products), above it where the library has the type's
     * batched kernel; tiled matrices ({@link #tiled()}): any batch, one product for all. Float
     * types: from {@link #MIN_BATCH} vectors where it has one. Otherwise
     * {@link #matMul(float[][], float[][], int, int, int, float[])}.
     */
    public boolean multipliesNatively(int n) {
        if (tiled != null) return true;
        if (roundsActivations()) return n < MIN_BATCH || NativeKernels.hasBatched(matrix.type());
        return n >= MIN_BATCH && NativeKernels.hasBatched(matrix.type()) && matrix.cols() % 32 == 0;
    }

    /** Whether the native products take activations rounded to int8 (quantized types) rather than floats. */
    public boolean roundsActivations() {
        return NativeKernels.ROUNDING_TYPES.contains(matrix.type());
    }

    /**
     * Prepares xs[0, n) for {@link #matMul(NativeInputs, float[][], int, int)}, once per product:
     * rounded to int8 for quantized weights, gathered (and as BF16 or F16 for those weights) for float ones.
     */
    public void prepareInputs(float[][] xs, int n, NativeInputs into) {
        if (roundsActivations()) NativeKernels.quantize(xs, n, matrix.cols(), into);
        else NativeKernels.prepareFloats(xs, n, matrix.cols(), matrix.type(), into);
    }

    /** out[t][r] = row(r) . x_t for every vector of xs (prepared by {@link #prepareInputs}) and r in [fromRow, toRow). */
    public void matMul(NativeInputs xs, float[][] out, int fromRow, int toRow) {
        int n = xs.count();
        if (n == 1 && tiled != null) {
            tiled.matMul(xs, out[0], 0, 0, fromRow, toRow);
            return;
        }
        if (n < MIN_BATCH && roundsActivations() && tiled == null) {
            for (int t = 0; t < n; t++) {
                NativeKernels.matVec(matrix.type(), matrix.data(), matrix.rowBytes(), xs, t, out[t], fromRow, toRow, matrix.cols());
            }
            return;
        }
        int rows = toRow - fromRow;
        float[] flat = BATCH_OUT.get();
        if (flat.length < n * rows) {
            flat = new float[n * rows];
            BATCH_OUT.set(flat);
        }
        if (tiled != null) tiled.matMul(xs, flat, rows, fromRow, fromRow, toRow);
        else if (roundsActivations()) NativeKernels.matMul(matrix.type(), matrix.data(), matrix.rowBytes(), xs, flat, fromRow, toRow, matrix.cols());
        else NativeKernels.matMulFloat(matrix.type(), matrix.data(), matrix.rowBytes(), xs, flat, fromRow, toRow, matrix.cols());
        for (int t = 0; t < n; t++) System.arraycopy(flat, t * rows, out[t], fromRow, rows);
    }

    @Override
    public void copyRow(int row, float[] dst) {
        matrix.copyRow(row, dst);
    }

    /**
     * The batch product on float activations: a few vectors one at a time through {@link #matVec},
     * more through the Java product (which decodes each row once for the whole batch).
     */
    @Override
    public void matMul(float[][] xs, float[][] out, int n, int fromRow, int toRow, float[] scratch) {
        if (n < MIN_BATCH) {
            for (int t = 0; t < n; t++) matVec(xs[t], out[t], fromRow, toRow);
        } else {
            matrix.matMul(xs, out, n, fromRow, toRow, scratch);
        }
    }
}
