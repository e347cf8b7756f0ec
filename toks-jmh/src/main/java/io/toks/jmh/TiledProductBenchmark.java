package io.toks.jmh;

import io.toks.engine.kernel.NativeInputs;
import io.toks.engine.kernel.NativeMatrix;
import io.toks.engine.synth.RandomWeights;
import io.toks.engine.tensor.BlockMatrix;
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
 * One thread, one matrix of a llama-3.2-1b FFN shape (8192 x 2048), the native product of n
 * token vectors already rounded to int8 (as a decode step of n sequences, or a prefill chunk,
 * prepares them once): on the pre-tiled matrix ({@code tiles=on}) against the row-major kernels
 * ({@code tiles=off}: the matrix x vector kernel per token below NativeMatrix.MIN_BATCH, the
 * batched kernel from it). Divide the type's bytes by the time for GB/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class TiledProductBenchmark {

    @Param({"Q4_0", "Q8_0", "Q4_K", "Q6_K"})
    public String type;

    @Param({"1", "4", "16"})
    public int n;

    @Param({"on", "off"})
    public String tiles;

    @Param({"8192"})
    public int rows;

    @Param({"2048"})
    public int cols;

    NativeMatrix matrix;
    NativeInputs inputs = new NativeInputs();
    float[][] out;

    @Setup
    public void setUp() {
        System.setProperty("toks.tiles", tiles);
        GgmlType t = GgmlType.valueOf(type);
        MemorySegment data = Arena.ofAuto().allocate(t.bytesFor((long) rows * cols), 64);
        RandomWeights.fill(t, data, (long) rows * cols, 0.05f, 1);
        BlockMatrix m = Matrices.of(t, data, rows, cols);
        if (!(NativeMatrix.wrap(m) instanceof NativeMatrix nm)) throw new IllegalStateException("no native kernels here");
        matrix = nm;
        if (matrix.tiled() != tiles.equals("on")) throw new IllegalStateException("tiles=" + tiles + " but the matrix is " + (matrix.tiled() ? "" : "not ") + "tiled");
        float[][] xs = new float[n][cols];
        for (int k = 0; k < n; k++) for (int i = 0; i < cols; i++) xs[k][i] = (float) Math.sin(i + 31 * k);
        matrix.prepareInputs(xs, n, inputs);
        out = new float[n][rows];
    }

    @Benchmark
    public float[][] product() {
        matrix.matMul(inputs, out, 0, rows);
        return out;
    }
}
