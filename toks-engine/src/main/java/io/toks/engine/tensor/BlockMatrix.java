package io.toks.engine.tensor;

import io.toks.engine.math.ScalarKernels;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * A row-major matrix stored in one GGML type, read in place from a (mapped) segment. Each
 * subclass gives the type's plain dequantization ({@link #dequantizeRow}, the reference) and a
 * fast {@link #matVec}; the reference product is dequantize-then-dot.
 */
public abstract sealed class BlockMatrix implements FloatMatrix
        permits F32Matrix, F16Matrix, BF16Matrix, Q8_0Matrix, Q4_0Matrix, Q4_1Matrix, Q4_KMatrix, Q5_KMatrix, Q6_KMatrix {

    static final ValueLayout.OfShort LE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    protected final MemorySegment data;
    protected final int rows;
    protected final int cols;
    protected final long rowBytes;

    protected BlockMatrix(MemorySegment data, int rows, int cols) {
        GgmlType t = type();
        if (cols % t.blockSize() != 0) {
            throw new IllegalArgumentException(t + " row length " + cols + " is not a multiple of its block size " + t.blockSize());
        }
        this.rowBytes = t.bytesFor(cols);
        if (rowBytes * rows != data.byteSize()) {
            throw new IllegalArgumentException(t + " matrix " + rows + "x" + cols + " needs " + rowBytes * rows
                    + " bytes, segment has " + data.byteSize());
        }
        this.data = data;
        this.rows = rows;
        this.cols = cols;
    }

    @Override public final int rows() { return rows; }
    @Override public final int cols() { return cols; }
    @Override public final long byteSize() { return data.byteSize(); }

    /** Bytes from one row's start to the next. */
    public final long rowBytes() {
        return rowBytes;
    }

    /** The raw storage, e.g. for writing the matrix to a file. */
    public final MemorySegment data() {
        return data;
    }

    /** The reference dequantization of one row into dst[0, cols). */
    public abstract void dequantizeRow(int row, float[] dst);

    /** The fast product where this platform's vector width suits the type, else the reference. */
    @Override
    public final void matVec(float[] x, float[] out, int fromRow, int toRow) {
        if (vectorMatVec()) matVecVector(x, out, fromRow, toRow);
        else matVecReference(x, out, fromRow, toRow);
    }

    /** The fast row decode where this platform's vector width suits the type, else the reference. */
    @Override
    public final void copyRow(int row, float[] dst) {
        if (vectorCopyRow()) copyRowVector(row, dst);
        else dequantizeRow(row, dst);
    }

    /** The Vector API product; called only when {@link #vectorMatVec()} holds. */
    protected abstract void matVecVector(float[] x, float[] out, int fromRow, int toRow);

    /** The Vector API row decode; by default the reference (types where that is fast enough). */
    protected void copyRowVector(int row, float[] dst) {
        dequantizeRow(row, dst);
    }

    /** Whether {@link #matVecVector} works at this platform's vector width. */
    protected boolean vectorMatVec() {
        return true;
    }

    /** Whether {@link #copyRowVector} works at this platform's vector width. */
    protected boolean vectorCopyRow() {
        return true;
    }

    /** The scalar reference of {@link #matVec}: dequantize each row, then a plain dot product. */
    public final void matVecReference(float[] x, float[] out, int fromRow, int toRow) {
        float[] row = new float[cols];
        for (int r = fromRow; r < toRow; r++) {
            dequantizeRow(r, row);
            out[r] = ScalarKernels.dot(row, 0, x, 0, cols);
        }
    }

    /** IEEE half at byte offset {@code at}. */
    final float half(long at) {
        return Float.float16ToFloat(data.get(LE_SHORT, at));
    }

    final int u8(long at) {
        return data.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
    }

    final int s8(long at) {
        return data.get(ValueLayout.JAVA_BYTE, at);
    }
}
