package io.toks.bench.hw;

import io.toks.bench.engine.Roofline;
import io.toks.bench.engine.RooflineSource;
import io.toks.core.manifest.TargetFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * The roofline of {@code toks bench}: memory bandwidth (best of five passes over 1 GiB: on a
 * shared host single passes vary a lot) and peak FLOPs measured before the tests at each thread
 * count, and the same buffer read again around each test's repetitions.
 */
public final class MeasuredRoofline implements RooflineSource {

    private static final long BUFFER_BYTES = 1L << 30;

    private final BandwidthSampler bandwidth = new BandwidthSampler(BUFFER_BYTES);
    private final Map<Integer, Roofline> upFront = new TreeMap<>();
    private final List<TargetFacts.HardwareLimit> limits = new ArrayList<>();

    /** Measures at each thread count; {@code onThreads} is told before each (progress). */
    public MeasuredRoofline(List<Integer> threads, IntConsumer onThreads) {
        for (int t : threads) {
            if (upFront.containsKey(t)) continue;
            onThreads.accept(t);
            var bw = HardwareProbe.best(t, bandwidth, 5);
            var fl = HardwareProbe.peakFmaGflops(t, 3);
            upFront.put(t, new Roofline(bw.best() * 1e9, fl.best() * 1e9));
            limits.add(new TargetFacts.HardwareLimit(t, bw.best(), fl.best()));
        }
    }

    /** The limits measured before the tests, for the manifest. */
    public List<TargetFacts.HardwareLimit> limits() {
        return List.copyOf(limits);
    }

    @Override
    public Roofline upFront(int threads) {
        return upFront.get(threads);
    }

    @Override
    public boolean samples() {
        return true;
    }

    @Override
    public double sampleGbs(int threads) {
        return bandwidth.sampleGbs(threads);
    }
}
