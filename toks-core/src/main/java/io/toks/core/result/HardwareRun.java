package io.toks.core.result;

import java.util.Map;

/**
 * This machine's limits at one thread count ({@code toks hw}): memory read bandwidth and peak
 * FP32 FMA throughput, every repetition kept (the best is what a roofline is drawn against).
 *
 * @param threads   threads reading / computing
 * @param bufferBytes bytes of the buffer read for bandwidth
 */
public record HardwareRun(String name, int threads, long bufferBytes, Map<Metric, MetricSummary> metrics) implements Run {

    public HardwareRun {
        metrics = Metric.ordered(metrics);
    }
}
