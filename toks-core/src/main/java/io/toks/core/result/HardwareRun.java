package io.toks.core.result;

import java.util.Map;

/**
 * This machine's limits at one thread count ({@code toks hw}): memory read bandwidth, peak FP32
 * FMA throughput and, where the CPU has the instructions, peak BF16 and int8 dot-product
 * throughput; every repetition kept (the best is what a roofline is drawn against). A metric the
 * machine could not measure is absent; the manifest's hardware target says why.
 *
 * @param threads   threads reading / computing
 * @param bufferBytes bytes of the buffer read for bandwidth
 */
public record HardwareRun(String name, int threads, long bufferBytes, Map<Metric, MetricSummary> metrics) implements Run {

    public HardwareRun {
        metrics = Metric.ordered(metrics);
    }
}
