package io.toks.jmh;

import io.toks.engine.math.VectorKernels;
import java.util.Random;
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
 * One thread, the attention kernels of one key/value group of llama-3.2-1b (4 query heads of 64
 * sharing a key/value head, a key cache stored transposed) at {@code positions} cached
 * positions: the scores (query . key for every position) and the weighted sums of the values,
 * one head at a time and 4 heads together. Each call does 4 heads' work; MACs per call =
 * 4 x 64 x positions.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Djdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0"})
public class AttentionBenchmark {

    private static final int HEADS = 4, HEAD_SIZE = 64, KV_DIM = 512;

    @Param({"64", "512", "4096"})
    public int positions;

    float[] q, keys, values, scores, out;

    @Setup
    public void setUp() {
        Random random = new Random(1);
        q = fill(new float[HEADS * HEAD_SIZE], random);
        keys = fill(new float[positions * KV_DIM], random); // transposed: one row of positions per dimension
        values = fill(new float[positions * KV_DIM], random);
        scores = fill(new float[HEADS * positions], random);
        out = new float[HEADS * HEAD_SIZE];
    }

    private static float[] fill(float[] a, Random random) {
        for (int i = 0; i < a.length; i++) a[i] = (float) random.nextGaussian() * 0.1f;
        return a;
    }

    @Benchmark
    public float[] scoresOneHeadAtATime() {
        for (int h = 0; h < HEADS; h++) {
            VectorKernels.transposedDots(q, h * HEAD_SIZE, keys, 0, positions, HEAD_SIZE, positions, 0.125f, scores, h * positions);
        }
        return scores;
    }

    @Benchmark
    public float[] scoresFourHeads() {
        VectorKernels.transposedDots4(HEADS, q, 0, HEAD_SIZE, keys, 0, positions, HEAD_SIZE, positions, 0.125f, scores, 0, positions);
        return scores;
    }

    @Benchmark
    public float[] weightedSumsOneHeadAtATime() {
        for (int h = 0; h < HEADS; h++) {
            VectorKernels.weightedSum(scores, h * positions, positions, values, 0, KV_DIM, HEAD_SIZE, out, h * HEAD_SIZE);
        }
        return out;
    }

    @Benchmark
    public float[] weightedSumsFourHeads() {
        VectorKernels.weightedSum4(HEADS, scores, 0, positions, positions, values, 0, KV_DIM, HEAD_SIZE, out, 0, HEAD_SIZE);
        return out;
    }
}
