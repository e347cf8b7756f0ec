package io.toks.bench.hw;

import io.toks.core.manifest.TargetFacts.Hardware.Probe;
import io.toks.core.result.Metric;
import io.toks.core.stats.Statistics;
import io.toks.core.stats.Summary;
import io.toks.engine.kernel.DotProduct;
import io.toks.engine.kernel.Kernels;
import io.toks.engine.kernel.PeakDotLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Measures the two limits a token rate is judged against: memory read bandwidth (decode reads
 * every weight once per token) and peak FP32 FMA throughput (prefill is compute-bound); and the
 * peaks of the dot-product instructions the native prefill kernels multiply with (BF16, int8),
 * where the CPU has them. Each figure is the best of several repetitions (the machine's
 * capability; noise only ever slows a run down), reported with the spread of all repetitions.
 */
public final class HardwareProbe {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** One measured limit: the best pass, all passes summarized, and every pass in order. */
    public record Limit(int threads, double best, Summary all, double[] samples) {}

    private HardwareProbe() {}

    /**
     * Read bandwidth in GB/s (10^9 bytes/s), best of {@code repetitions} passes over a buffer of
     * {@code bufferBytes} (see {@link BandwidthSampler}).
     */
    public static Limit memoryReadBandwidth(int threads, long bufferBytes, int repetitions) {
        return best(threads, new BandwidthSampler(bufferBytes), repetitions);
    }

    /** Read bandwidth in GB/s, best of {@code repetitions} samples from {@code sampler}. */
    public static Limit best(int threads, BandwidthSampler sampler, int repetitions) {
        double[] samples = new double[repetitions];
        for (int r = 0; r < repetitions; r++) samples[r] = sampler.sampleGbs(threads);
        return limit(threads, samples);
    }

    /** Peak FP32 FMA throughput in GFLOP/s (an FMA counts 2 FLOPs per lane). */
    public static Limit peakFmaGflops(int threads, int repetitions) {
        long iterations = 20_000_000;
        compileFmaLoop();
        double[] samples = new double[repetitions];
        for (int r = -1; r < repetitions; r++) { // r = -1: untimed, brings the cores to their vector clock
            long nanos = runParallel(threads, t -> sink += fmaLoop(iterations));
            double flops = 2.0 * F.length() * 12 * iterations * threads;
            if (r >= 0) samples[r] = flops / nanos;
        }
        return limit(threads, samples);
    }

    /**
     * Peak throughput of a dot-product instruction, through the native library's loop of it on
     * each thread: GFLOP/s for {@link DotProduct#BF16}, GOP/s for {@link DotProduct#INT8} (as
     * {@link PeakDotLoop#run} counts them).
     *
     * @throws IllegalStateException where the loop is not available
     */
    public static Limit peakDot(PeakDotLoop loop, int threads, int repetitions) {
        // About 0.1 s per pass on a current core (16 chains x 20M rounds at 1 to 2 instructions per cycle).
        long iterations = 20_000_000;
        double[] samples = new double[repetitions];
        for (int r = -1; r < repetitions; r++) { // r = -1: untimed, brings the cores to their vector clock
            long[] ops = new long[threads];
            long nanos = runParallel(threads, t -> ops[t] = loop.run(iterations));
            if (r >= 0) samples[r] = Arrays.stream(ops).sum() / (double) nanos;
        }
        return limit(threads, samples);
    }

    /** How each limit is measured on this machine, or why one cannot be, for the record. */
    public static List<Probe> probes() {
        List<Probe> probes = new ArrayList<>();
        probes.add(new Probe(Metric.READ_BANDWIDTH.key(), BandwidthSampler.method(), null));
        probes.add(new Probe(Metric.PEAK_FMA.key(), "Java Vector API FMA, " + F.vectorBitSize() + "-bit, 12 chains", null));
        for (DotProduct dot : DotProduct.values()) {
            PeakDotLoop loop = Kernels.peakDotLoop(dot);
            probes.add(new Probe(metric(dot).key(), loop.available() ? loop.instruction() + ", native loop" : null, loop.unavailableReason()));
        }
        return probes;
    }

    /** The metric a dot product's peak is reported under. */
    public static Metric metric(DotProduct dot) {
        return switch (dot) {
            case BF16 -> Metric.PEAK_BF16_DOT;
            case INT8 -> Metric.PEAK_INT8_DOT;
        };
    }

    private static Limit limit(int threads, double[] samples) {
        Summary s = Statistics.summarize(samples);
        return new Limit(threads, s.max(), s, samples.clone());
    }

    /** Prevents the JIT from discarding the measured work. */
    static volatile float sink;

    /**
     * Calls the loop often enough (short calls) that the JIT compiles the method itself: with one
     * untimed long call only its loop was compiled, on stack, and the first timed pass ran at 2
     * GFLOP/s against 110-170 for the next (1 thread, this VM), the Vector API uncompiled. Once
     * compiled, the calls take milliseconds.
     */
    private static void compileFmaLoop() {
        for (int i = 0; i < 2_000; i++) sink += fmaLoop(2_000);
    }

    /** Twelve independent FMA chains: enough to cover FMA latency x units on current x86 cores. */
    private static float fmaLoop(long iterations) {
        FloatVector m = FloatVector.broadcast(F, 0.999999f), c = FloatVector.broadcast(F, 1e-7f);
        FloatVector v0 = FloatVector.broadcast(F, 1f), v1 = v0.add(1), v2 = v0.add(2), v3 = v0.add(3), v4 = v0.add(4), v5 = v0.add(5);
        FloatVector v6 = v0.add(6), v7 = v0.add(7), v8 = v0.add(8), v9 = v0.add(9), v10 = v0.add(10), v11 = v0.add(11);
        for (long i = 0; i < iterations; i++) {
            v0 = v0.fma(m, c); v1 = v1.fma(m, c); v2 = v2.fma(m, c); v3 = v3.fma(m, c);
            v4 = v4.fma(m, c); v5 = v5.fma(m, c); v6 = v6.fma(m, c); v7 = v7.fma(m, c);
            v8 = v8.fma(m, c); v9 = v9.fma(m, c); v10 = v10.fma(m, c); v11 = v11.fma(m, c);
        }
        return v0.add(v1).add(v2).add(v3).add(v4).add(v5).add(v6).add(v7).add(v8).add(v9).add(v10).add(v11)
                .reduceLanes(VectorOperators.ADD);
    }

    /** Runs work(threadIndex) on threads started together; returns the wall time of the slowest. */
    static long runParallel(int threads, java.util.function.IntConsumer work) {
        var start = new CyclicBarrier(threads + 1);
        var done = new CyclicBarrier(threads + 1);
        List<Thread> list = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            list.add(Thread.ofPlatform().daemon().start(() -> {
                try {
                    start.await();
                    work.accept(index);
                    done.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        try {
            start.await();
            long t0 = System.nanoTime();
            done.await();
            return System.nanoTime() - t0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
