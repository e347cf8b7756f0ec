package io.toks.bench.hw;

import io.toks.engine.kernel.Kernels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One buffer, much larger than the caches, read again on every {@link #sampleGbs}: the memory
 * read bandwidth at that moment. Kept for a whole benchmark so that samples can be taken between
 * the repetitions of a test (on a shared host the bandwidth available changes from second to
 * second, so a share of it means something only against samples taken around the same time).
 *
 * <p>Threads sum disjoint parts of the buffer with vector loads: through the native library where
 * it is loaded (software prefetch, as its decode kernels read weights: alternating runs, 2
 * threads, Java 45.1 / 42.7 GB/s, native 55.7 / 48.7; with the Java loop decode figures showed
 * up to 148% mbu), else in Java.
 */
public final class BandwidthSampler {

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** Prevents the JIT from discarding the measured work. */
    static volatile float sink;

    private final MemorySegment buffer;
    private final long bytes;

    /** Allocates and touches the buffer, then reads it once untimed (page faults, JIT). */
    public BandwidthSampler(long bufferBytes) {
        if (bufferBytes < (1L << 20)) throw new IllegalArgumentException("bufferBytes must be at least 1 MiB, got " + bufferBytes);
        this.bytes = bufferBytes;
        this.buffer = Arena.ofAuto().allocate(bufferBytes, 4096);
        buffer.fill((byte) 1); // touch every page so no sample times page faults
        sampleGbs(1);
    }

    /** One timed pass over the buffer with {@code threads} threads: 10^9 bytes per second. */
    public double sampleGbs(int threads) {
        long part = bytes / threads / 256 * 256;
        long nanos = HardwareProbe.runParallel(threads, t ->
                sink += Kernels.support().nativeAvailable() ? Kernels.nativeReadSum(buffer, t * part, part) : sum(buffer, t * part, part));
        return part * threads / (double) nanos;
    }

    /** How the samples read memory on this machine, for the record. */
    public static String method() {
        return Kernels.support().nativeAvailable() ? "native vector loads with software prefetch" : "Java Vector API loads";
    }

    private static float sum(MemorySegment seg, long from, long bytes) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F), a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
        int step = F.vectorByteSize();
        long end = from + bytes - 4L * step;
        for (long at = from; at <= end; at += 4L * step) {
            a0 = a0.add(FloatVector.fromMemorySegment(F, seg, at, ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(FloatVector.fromMemorySegment(F, seg, at + step, ByteOrder.LITTLE_ENDIAN));
            a2 = a2.add(FloatVector.fromMemorySegment(F, seg, at + 2L * step, ByteOrder.LITTLE_ENDIAN));
            a3 = a3.add(FloatVector.fromMemorySegment(F, seg, at + 3L * step, ByteOrder.LITTLE_ENDIAN));
        }
        return a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
    }
}
