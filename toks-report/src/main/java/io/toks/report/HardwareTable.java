package io.toks.report;

import io.toks.core.manifest.Manifest;
import io.toks.core.result.HardwareRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.Run;
import java.io.PrintStream;
import java.util.Locale;

/** This machine's limits per thread count: the best pass, and mean ± stdev of all passes. */
final class HardwareTable implements ResultRenderer {

    private final PrintStream out;

    HardwareTable(PrintStream out) {
        this.out = out;
    }

    @Override
    public void begin(Manifest manifest) {
        out.printf(Locale.ROOT, "%s, %d cores available, vector width %d bits%n", manifest.machine().cpuModel(),
                manifest.machine().cores(), manifest.jvm().vectorBits());
        out.printf(Locale.ROOT, "| threads | read bandwidth GB/s (best, mean ± stdev) | FP32 FMA GFLOP/s (best, mean ± stdev) |%n");
        out.printf(Locale.ROOT, "| ------: | --------------------------------------: | -----------------------------------: |%n");
        out.flush();
    }

    @Override
    public void run(Manifest manifest, Run run) {
        if (!(run instanceof HardwareRun h)) return;
        MetricSummary bw = h.metric(Metric.READ_BANDWIDTH);
        MetricSummary fl = h.metric(Metric.PEAK_FMA);
        out.printf(Locale.ROOT, "| %7d | %16.1f (%6.1f ± %5.1f)           | %15.1f (%6.1f ± %5.1f)          |%n", h.threads(),
                bw.max(), bw.mean(), bw.stdev(), fl.max(), fl.mean(), fl.stdev());
        out.flush();
    }
}
