package io.toks.bench.estimate;

import io.toks.bench.hw.HardwareProbe;
import io.toks.core.estimate.HardwareLimits;
import io.toks.core.hardware.Precision;
import io.toks.core.manifest.MachineFacts;

/** This machine's limits for an estimate, measured here (never from a spec sheet). */
public final class MachineLimits {

    private static final long BUFFER_BYTES = 1L << 30;

    private MachineLimits() {}

    /**
     * Read bandwidth (best of five 1 GiB passes) and peak FP32 FMA (best of three runs) at
     * {@code threads}, measured now: a few seconds.
     */
    public static HardwareLimits measure(int threads) {
        var bandwidth = HardwareProbe.memoryReadBandwidth(threads, BUFFER_BYTES, 5);
        var fma = HardwareProbe.peakFmaGflops(threads, 3);
        return new HardwareLimits("this machine, " + threads + (threads == 1 ? " thread" : " threads"), HardwareLimits.Origin.MEASURED, 1,
                bandwidth.best() * 1e9, fma.best() * 1e9, Precision.FP32, MachineFacts.memoryBytes(),
                "measured now: best of 5 reads of 1 GiB, best of 3 FP32 FMA runs");
    }
}
