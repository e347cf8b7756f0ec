package io.toks.cli;

import io.toks.bench.hw.HardwareProbe;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.result.HardwareRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.Unit;
import io.toks.report.Format;
import io.toks.report.Renderers;
import io.toks.report.ResultWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "hw", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures this machine's limits: memory read bandwidth (GB/s) and peak FP32 FMA",
                "throughput (GFLOP/s), for 1..N threads. Decode speed is judged against the first,",
                "prefill against the second (see mbu and mfu in docs/metrics.md)."})
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
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("threads", max);
        parameters.put("buffer_mib", bufferMib);
        parameters.put("repetitions", repetitions);
        var writer = new ResultWriter("hw", MachineFacts.manifest(null, parameters), Renderers.of("hw", format, out), recording.sinks());
        long bufferBytes = (long) bufferMib << 20;
        try {
            for (int t = 1; t <= max; t++) {
                var bw = HardwareProbe.memoryReadBandwidth(t, bufferBytes, repetitions);
                var fl = HardwareProbe.peakFmaGflops(t, repetitions);
                writer.accept(new HardwareRun(t + (t == 1 ? " thread" : " threads"), t, bufferBytes, Map.of(
                        Metric.READ_BANDWIDTH, MetricSummary.ofSamples(Unit.GIGABYTES_PER_SECOND, bw.samples()),
                        Metric.PEAK_FMA, MetricSummary.ofSamples(Unit.GIGAFLOPS, fl.samples()))));
            }
        } finally {
            writer.finish();
        }
        return 0;
    }
}
