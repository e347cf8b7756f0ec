package io.toks.cli;

import io.toks.bench.hw.HardwareProbe;
import io.toks.core.manifest.MachineFacts;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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

    @Override
    public Integer call() {
        int max = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (max < 1 || bufferMib < 16 || repetitions < 1) throw new IllegalArgumentException("threads >= 1, --buffer-mib >= 16 and repetitions >= 1 are required");
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s, %d cores available, vector width %d bits%n", MachineFacts.cpuModel(),
                Runtime.getRuntime().availableProcessors(), jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize());
        out.printf(Locale.ROOT, "| threads | read bandwidth GB/s (best, mean ± stdev) | FP32 FMA GFLOP/s (best, mean ± stdev) |%n");
        out.printf(Locale.ROOT, "| ------: | --------------------------------------: | -----------------------------------: |%n");
        for (int t = 1; t <= max; t++) {
            var bw = HardwareProbe.memoryReadBandwidth(t, (long) bufferMib << 20, repetitions);
            var fl = HardwareProbe.peakFmaGflops(t, repetitions);
            out.printf(Locale.ROOT, "| %7d | %16.1f (%6.1f ± %5.1f)           | %15.1f (%6.1f ± %5.1f)          |%n", t,
                    bw.best(), bw.all().mean(), bw.all().stdev(), fl.best(), fl.all().mean(), fl.all().stdev());
            out.flush();
        }
        return 0;
    }
}
