package io.toks.bench.hw;

import io.toks.core.manifest.Manifest;
import io.toks.core.manifest.TargetFacts;
import io.toks.core.result.HardwareRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.ResultDocument;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A machine's limits as {@code toks hw} last measured them, read back from the
 * {@link HardwareCache}: the best pass of each limit per thread count, the machine's facts, and
 * when they were measured (limits drift with firmware, kernel and neighbours: say how old they are).
 *
 * @param file       the cached result document
 * @param measuredAt when the measurement started
 * @param machine    the machine as its manifest states it
 * @param facts      caches, NUMA nodes, GPUs and spec sheets; null for a document written before toks recorded them
 * @param limits     per thread count, fewest threads first
 */
public record MeasuredHardware(Path file, Instant measuredAt, Manifest.Machine machine, TargetFacts.Hardware facts, List<Limits> limits) {

    public MeasuredHardware {
        limits = limits.stream().sorted(Comparator.comparingInt(Limits::threads)).toList();
    }

    /**
     * The best pass of each limit at one thread count; NaN where it was not measured (a CPU
     * without the instruction, no native library).
     */
    public record Limits(int threads, double readBandwidthGbs, double peakFmaGflops, double peakBf16DotGflops, double peakInt8DotGops) {}

    /** The limits at exactly {@code threads}, if they were measured. */
    public Optional<Limits> at(int threads) {
        return limits.stream().filter(l -> l.threads() == threads).findFirst();
    }

    /** The limits at the most threads measured. */
    public Limits mostThreads() {
        return limits.getLast();
    }

    /** What a toks hw document says: its runs' best passes, its manifest's facts. */
    static MeasuredHardware of(Path file, ResultDocument document) {
        if (!document.command().equals("hw")) throw new IllegalArgumentException("a " + document.command() + " document, not toks hw's");
        List<Limits> limits = document.runs(HardwareRun.class).stream().map(run -> new Limits(run.threads(), best(run, Metric.READ_BANDWIDTH),
                best(run, Metric.PEAK_FMA), best(run, Metric.PEAK_BF16_DOT), best(run, Metric.PEAK_INT8_DOT))).toList();
        if (limits.isEmpty()) throw new IllegalArgumentException("no measured thread count");
        Manifest m = document.manifest();
        return new MeasuredHardware(file, Instant.parse(m.createdAt()), m.machine(),
                m.target() instanceof TargetFacts.Hardware h ? h : null, limits);
    }

    private static double best(HardwareRun run, Metric metric) {
        MetricSummary s = run.metric(metric);
        return s == null ? Double.NaN : s.max();
    }
}
