package io.toks.cli;

import io.toks.bench.hw.HardwareCache;
import io.toks.bench.hw.HardwareProbe;
import io.toks.bench.hw.MachineInventory;
import io.toks.core.ToksException;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.manifest.TargetFacts;
import io.toks.core.result.HardwareRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.Unit;
import io.toks.engine.kernel.DotProduct;
import io.toks.engine.kernel.Kernels;
import io.toks.engine.kernel.PeakDotLoop;
import io.toks.report.Format;
import io.toks.report.Renderers;
import io.toks.report.ResultWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "hw", header = "This machine's limits: bandwidth, FMA/BF16/int8 peaks, caches, GPUs.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures this machine's limits for 1..N threads: memory read bandwidth (GB/s), peak",
                "FP32 FMA throughput (GFLOP/s) and, where the CPU has the instructions, peak BF16 dot",
                "product (VDPBF16PS, GFLOP/s) and int8 dot product (VPDPBUSD, GOP/s) through the native",
                "kernels; a peak the CPU cannot run says why. Decode speed is judged against the",
                "bandwidth, prefill against the peaks (see mbu and mfu in docs/metrics.md).",
                "Also reports, read and not measured: cpu0's caches and the NUMA nodes (Linux /sys), the",
                "GPUs nvidia-smi lists (model, memory, power limit, clocks, driver), and the spec-sheet",
                "figures toks's catalog has for the CPU and each GPU, with their source.",
                "The result is kept as this machine's latest limits in ~/.toks/hardware (another folder:",
                "TOKS_HARDWARE_CACHE or -Dtoks.hardware-cache; none keeps nothing) for other commands to use;",
                "the path is printed on stderr. nvidia-smi is the one on PATH (another: -Dtoks.nvidia-smi)."})
final class HwCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Up to this many threads. Default: all available processors.")
    Integer threads;

    @Option(names = "--buffer-mib", defaultValue = "1024", paramLabel = "MIB",
            description = "Buffer read for bandwidth; must be far larger than the caches. Default: ${DEFAULT-VALUE}.")
    int bufferMib;

    @Option(names = {"-r", "--repetitions"}, defaultValue = "5", paramLabel = "R", description = "Repetitions (best is reported). Default: ${DEFAULT-VALUE}.")
    int repetitions;

    @Mixin
    OutputOptions outputOptions;

    @Mixin
    HistoryOptions historyOptions;

    @Override
    public Integer call() {
        // Opened before any slow work: a --history that cannot be opened fails here.
        try (HistoryOptions.Recording recording = historyOptions.open(spec.commandLine().getErr())) {
            return measure(recording);
        }
    }

    private Integer measure(HistoryOptions.Recording recording) {
        Format format = outputOptions.format("hw");
        int max = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (max < 1 || bufferMib < 16 || repetitions < 1) throw new IllegalArgumentException("threads >= 1, --buffer-mib >= 16 and repetitions >= 1 are required");
        long bufferBytes = (long) bufferMib << 20, memory = Runtime.getRuntime().maxMemory();
        if (bufferBytes > memory / 2) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "--buffer-mib %d is more than half of what this JVM may allocate (%d MiB; raise it with TOKS_JVM_OPTS=-Xmx...)",
                    bufferMib, memory >> 20));
        }
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("threads", max);
        parameters.put("buffer_mib", bufferMib);
        parameters.put("repetitions", repetitions);
        // Read before measuring: the facts are in the manifest from the first line of output.
        var facts = MachineInventory.read(HardwareProbe.probes());
        long lastLevelCache = facts.caches().stream().mapToLong(TargetFacts.Hardware.Cache::sizeBytes).max().orElse(0);
        // A buffer the caches can hold measures them, not memory: fine to look at, wrong to keep as the machine's limit.
        boolean cacheSized = bufferBytes < 2 * lastLevelCache;
        if (cacheSized) {
            spec.commandLine().getErr().printf(java.util.Locale.ROOT, "toks hw: warning: a %d MiB buffer is less than twice the %d MiB"
                    + " last-level cache: the bandwidth read is partly the cache's; these limits will not be kept%n", bufferMib,
                    lastLevelCache >> 20);
        }
        var writer = new ResultWriter("hw", MachineFacts.manifest(facts, parameters), Renderers.of("hw", format, out), recording.sinks());
        FinishOnInterrupt onInterrupt = FinishOnInterrupt.register("hw", writer, spec.commandLine().getErr());
        List<PeakDotLoop> dots = Arrays.stream(DotProduct.values()).map(Kernels::peakDotLoop).filter(PeakDotLoop::available).toList();
        ResultDocument document;
        try {
            for (int t = 1; t <= max; t++) {
                Map<Metric, MetricSummary> metrics = new EnumMap<>(Metric.class);
                metrics.put(Metric.READ_BANDWIDTH, MetricSummary.ofSamples(Unit.GIGABYTES_PER_SECOND,
                        HardwareProbe.memoryReadBandwidth(t, bufferBytes, repetitions).samples()));
                metrics.put(Metric.PEAK_FMA, MetricSummary.ofSamples(Unit.GIGAFLOPS, HardwareProbe.peakFmaGflops(t, repetitions).samples()));
                for (PeakDotLoop dot : dots) {
                    Metric metric = HardwareProbe.metric(dot.dot());
                    metrics.put(metric, MetricSummary.ofSamples(metric.unit(), HardwareProbe.peakDot(dot, t, repetitions).samples()));
                }
                writer.accept(new HardwareRun(t + (t == 1 ? " thread" : " threads"), t, bufferBytes, metrics));
            }
        } finally {
            document = writer.finish();
            onInterrupt.close();
        }
        if (cacheSized) spec.commandLine().getErr().println("toks hw: limits not kept (the buffer fits the caches; use a larger --buffer-mib)");
        else keep(document);
        return 0;
    }

    /** Saves the measurement as this machine's latest limits; a failure to save is a warning, the result is already out. */
    private void keep(ResultDocument document) {
        var err = spec.commandLine().getErr();
        var cache = HardwareCache.configured();
        if (cache.isEmpty()) {
            err.println("toks hw: limits not kept (hardware cache set to none)");
            return;
        }
        try {
            Path file = cache.get().save(document);
            err.println("toks hw: limits saved to " + file + " (this machine's latest, for commands that use its limits)");
        } catch (ToksException e) {
            err.println("toks hw: warning: " + e.getMessage());
        }
    }
}
