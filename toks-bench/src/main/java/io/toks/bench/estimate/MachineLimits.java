package io.toks.bench.estimate;

import io.toks.bench.hw.HardwareCache;
import io.toks.bench.hw.HardwareProbe;
import io.toks.bench.hw.MeasuredHardware;
import io.toks.core.ToksException;
import io.toks.core.estimate.HardwareLimits;
import io.toks.core.hardware.Precision;
import io.toks.core.manifest.MachineFacts;
import io.toks.engine.kernel.DotProduct;
import io.toks.engine.kernel.Kernels;
import io.toks.engine.kernel.PeakDotLoop;
import java.util.Optional;

/**
 * This machine's limits for an estimate: measured here, never from a spec sheet. The last
 * {@code toks hw} run's limits at the thread count are used where it measured them (its
 * per-machine cache); otherwise they are measured now (a few seconds).
 */
public final class MachineLimits {

    private static final long BUFFER_BYTES = 1L << 30;

    private MachineLimits() {}

    /**
     * Limits at {@code threads} for a peak at {@code precision}: FP32 (FMA), BF16 or INT8 (the
     * native dot-product instructions).
     *
     * @param measureNow ignore what {@code toks hw} kept and measure now
     */
    public static HardwareLimits at(int threads, Precision precision, boolean measureNow) {
        DotProduct dot = dotProduct(precision);
        String label = "this machine, " + threads + (threads == 1 ? " thread" : " threads");
        Optional<MeasuredHardware> file = measureNow ? Optional.empty() : HardwareCache.load();
        Optional<MeasuredHardware.Limits> kept = file.flatMap(h -> h.at(threads));
        if (kept.isPresent()) {
            MeasuredHardware.Limits l = kept.get();
            double peak = switch (precision) {
                case FP32 -> l.peakFmaGflops();
                case BF16 -> l.peakBf16DotGflops();
                default -> l.peakInt8DotGops();
            };
            if (l.readBandwidthGbs() > 0 && peak > 0) {
                return new HardwareLimits(label, HardwareLimits.Origin.MEASURED, 1, l.readBandwidthGbs() * 1e9, peak * 1e9, precision,
                        MachineFacts.memoryBytes(), "toks hw of " + file.get().measuredAt() + " (" + file.get().file() + ")");
            }
        }
        double bandwidth = HardwareProbe.memoryReadBandwidth(threads, BUFFER_BYTES, 5).best();
        double peak;
        String how;
        if (dot == null) {
            peak = HardwareProbe.peakFmaGflops(threads, 3).best();
            how = "FP32 FMA";
        } else {
            PeakDotLoop loop = Kernels.peakDotLoop(dot);
            if (!loop.available()) throw new ToksException("this machine has no " + precision + " peak to bound by: " + loop.unavailableReason());
            peak = HardwareProbe.peakDot(loop, threads, 3).best();
            how = loop.instruction();
        }
        return new HardwareLimits(label, HardwareLimits.Origin.MEASURED, 1, bandwidth * 1e9, peak * 1e9, precision,
                MachineFacts.memoryBytes(), "measured now: best of 5 reads of 1 GiB, best of 3 " + how + " runs");
    }

    /** The dot product whose peak {@code precision} means here; null for FP32 (the FMA peak). */
    private static DotProduct dotProduct(Precision precision) {
        return switch (precision) {
            case FP32 -> null;
            case BF16 -> DotProduct.BF16;
            case INT8 -> DotProduct.INT8;
            default -> throw new ToksException("this machine's peaks are FP32 (FMA), BF16 and INT8 (dot products); not " + precision);
        };
    }
}
