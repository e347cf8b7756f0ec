package io.toks.jmh;

import io.toks.engine.kernel.NativeMatrix;
import io.toks.engine.synth.RandomWeights;
import io.toks.engine.tensor.BlockMatrix;
import io.toks.engine.tensor.FloatMatrix;
import io.toks.engine.tensor.GgmlType;
import io.toks.engine.tensor.Matrices;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One thread, one matrix of a llama-3.2-1b FFN shape (8192 x 2048), per type: the fast
 * matrix-vector product (decode), the native library's (where it has the type; quantized types
 * include rounding the activations), its scalar reference, and the row decode used by batched
 * prefill. The matrix is larger than the caches, so the decode figure includes memory traffic;
 * divide the type's bytes by the time for GB/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0"})
public class MatVecBenchmark {

    @Param({"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q4_K", "Q5_K", "Q6_K"})
    public String type;

    @Param({"8192"})
    public int rows;

    @Param({"2048"})
    public int cols;

    BlockMatrix matrix;
    FloatMatrix nativeMatrix;
    float[] x, out, row;

    @Setup
    public void setUp() {
        GgmlType t = GgmlType.valueOf(type);
        MemorySegment data = Arena.ofAuto().allocate(t.bytesFor((long) rows * cols), 64);
        RandomWeights.fill(t, data, (long) rows * cols, 0.05f, 1);
        matrix = Matrices.of(t, data, rows, cols);
        nativeMatrix = NativeMatrix.wrap(matrix);
        x = new float[cols];
        for (int i = 0; i < cols; i++) x[i] = (float) Math.sin(i);
        out = new float[rows];
        row = new float[cols];
    }

    @Benchmark
    public float[] matVec() {
        matrix.matVec(x, out, 0, rows);
        return out;
    }

    /** The native product; the Java one where the library is absent or decodes this type in Java. */
    @Benchmark
    public float[] matVecNative() {
        nativeMatrix.matVec(x, out, 0, rows);
        return out;
    }

    @Benchmark
    @Measurement(iterations = 2, time = 2)
    public float[] matVecScalarReference() {
        matrix.matVecReference(x, out, 0, rows);
        return out;
    }

    @Benchmark
    public float[] decodeRows() {
        for (int r = 0; r < rows; r += 64) matrix.copyRow(r, row);
        return row;
    }
}
