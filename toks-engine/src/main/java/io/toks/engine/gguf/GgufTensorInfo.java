package io.toks.engine.gguf;

import io.toks.engine.tensor.GgmlType;
import java.util.Arrays;

/**
 * A tensor's entry in the GGUF header. {@code shape[0]} is the innermost (contiguous) dimension,
 * as in ggml: a weight matrix of {@code rows x cols} has shape {@code [cols, rows]}.
 *
 * @param offset absolute byte offset of the data in the file
 */
public record GgufTensorInfo(String name, long[] shape, GgmlType type, long offset) {

    public long elements() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public long byteSize() {
        return type.bytesFor(elements());
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape);
    }
}
