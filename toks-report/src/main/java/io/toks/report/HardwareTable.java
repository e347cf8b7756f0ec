package io.toks.report;

import io.toks.core.manifest.Manifest;
import io.toks.core.manifest.TargetFacts;
import io.toks.core.result.HardwareRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.Run;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * This machine's limits per thread count, as measured: the best pass, and mean ± stdev of all
 * passes; a limit the machine cannot measure says why. Then what was read, not measured, about
 * the machine (caches, NUMA nodes, GPUs) and the spec-sheet figures the catalog has for it
 * ({@link MachineFactsSections}).
 */
final class HardwareTable implements ResultRenderer {

    /** The columns after the thread count: each metric and its header. */
    private static final List<Metric> COLUMNS = List.of(Metric.READ_BANDWIDTH, Metric.PEAK_FMA, Metric.PEAK_BF16_DOT, Metric.PEAK_INT8_DOT);
    private static final List<String> HEADERS = List.of("read bandwidth GB/s", "FP32 FMA GFLOP/s", "BF16 dot GFLOP/s", "INT8 dot GOP/s");

    private final PrintStream out;

    HardwareTable(PrintStream out) {
        this.out = out;
    }

    @Override
    public void begin(Manifest manifest) {
        out.printf(Locale.ROOT, "%s, %d cores available, vector width %d bits%n", manifest.machine().cpuModel(),
                manifest.machine().cores(), manifest.jvm().vectorBits());
        out.println("Measured here: best pass (mean ± stdev of all passes).");
        out.println();
        out.println("| threads | " + String.join(" | ", HEADERS) + " |");
        out.println("| ------: | " + String.join(" | ", HEADERS.stream().map(h -> "-".repeat(h.length() - 1) + ":").toList()) + " |");
        out.flush();
    }

    @Override
    public void run(Manifest manifest, Run run) {
        if (!(run instanceof HardwareRun h)) return;
        TargetFacts.Hardware facts = manifest.target() instanceof TargetFacts.Hardware f ? f : null;
        List<String> cells = new ArrayList<>();
        for (Metric m : COLUMNS) cells.add(cell(h.metric(m), facts, m));
        out.printf(Locale.ROOT, "| %7d | %s |%n", h.threads(), String.join(" | ", cells));
        out.flush();
    }

    /** A figure as {@code best (mean ± stdev)}; not measured: why, where the document says. */
    private static String cell(MetricSummary s, TargetFacts.Hardware facts, Metric metric) {
        if (s != null) return String.format(Locale.ROOT, "%.1f (%.1f ± %.1f)", s.max(), s.mean(), s.stdev());
        TargetFacts.Hardware.Probe probe = facts == null ? null : facts.probe(metric.key());
        return probe != null && probe.unavailable() != null ? "not available (" + probe.unavailable() + ")" : "not measured";
    }

    @Override
    public void end(ResultDocument document) {
        if (document.manifest().target() instanceof TargetFacts.Hardware facts) {
            new MachineFactsSections(out).print(facts);
        }
        out.flush();
    }
}
