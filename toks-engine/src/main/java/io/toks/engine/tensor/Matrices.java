package io.toks.engine.tensor;

import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Set;

/** Creates the matrix class for a GGML type. */
public final class Matrices {

    /** The types the engine can multiply. */
    public static final Set<GgmlType> SUPPORTED = EnumSet.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16,
            GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K);

    private Matrices() {}

    public static BlockMatrix of(GgmlType type, MemorySegment data, int rows, int cols) {
        return switch (type) {
            case F32 -> new F32Matrix(data, rows, cols);
            case F16 -> new F16Matrix(data, rows, cols);
            case BF16 -> new BF16Matrix(data, rows, cols);
            case Q8_0 -> new Q8_0Matrix(data, rows, cols);
            case Q4_0 -> new Q4_0Matrix(data, rows, cols);
            case Q4_1 -> new Q4_1Matrix(data, rows, cols);
            case Q4_K -> new Q4_KMatrix(data, rows, cols);
            case Q5_K -> new Q5_KMatrix(data, rows, cols);
            case Q6_K -> new Q6_KMatrix(data, rows, cols);
            default -> throw new IllegalArgumentException("no matrix kernel for " + type);
        };
    }
}
