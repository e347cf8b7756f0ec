package io.toks.report;

import io.toks.core.hardware.HardwareSpec;
import io.toks.core.hardware.Precision;
import io.toks.core.manifest.TargetFacts;
import io.toks.core.manifest.TargetFacts.Hardware.Gpu;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * What {@code toks hw} read about the machine beside its measured limits, one section each: how
 * each limit was measured, cpu0's caches and the NUMA nodes (as the OS reports them), the GPUs (as
 * their driver reports them) and the spec-sheet figures the catalog has for the CPU and each GPU,
 * labelled as such with their source. Every section is printed; one that could not be read says why.
 */
final class MachineFactsSections {

    /** The spec-sheet peaks shown per GPU, in this order. */
    private static final List<Precision> GPU_PEAKS = List.of(Precision.BF16, Precision.FP16, Precision.FP8, Precision.INT8);

    private final PrintStream out;

    MachineFactsSections(PrintStream out) {
        this.out = out;
    }

    void print(TargetFacts.Hardware facts) {
        probes(facts);
        caches(facts);
        numa(facts);
        cpuSpec(facts);
        gpus(facts);
    }

    private void probes(TargetFacts.Hardware facts) {
        if (facts.probes().isEmpty()) return;
        out.println();
        out.println("How each limit was measured:");
        for (TargetFacts.Hardware.Probe p : facts.probes()) {
            out.printf(Locale.ROOT, "- %s: %s%n", p.metric(), p.method() != null ? p.method() : "not available (" + p.unavailable() + ")");
        }
    }

    private void caches(TargetFacts.Hardware facts) {
        out.println();
        if (facts.caches().isEmpty()) {
            out.println("CPU caches: not read (" + facts.cachesMissing() + ")");
            return;
        }
        out.println("CPU caches of cpu0 (reported by the OS, /sys):");
        out.println();
        out.println("| level | type | size | shared by CPUs |");
        out.println("| ----: | ---- | ---: | -------------- |");
        for (TargetFacts.Hardware.Cache c : facts.caches()) {
            out.printf(Locale.ROOT, "| L%d | %s | %s | %s |%n", c.level(), c.type(), Units.bytes(c.sizeBytes()), c.sharedCpus());
        }
    }

    private void numa(TargetFacts.Hardware facts) {
        out.println();
        if (facts.numaNodes().isEmpty()) {
            out.println("NUMA nodes: not read (" + facts.numaMissing() + ")");
            return;
        }
        out.println("NUMA nodes (reported by the OS, /sys):");
        out.println();
        out.println("| node | CPUs | memory |");
        out.println("| ---: | ---- | -----: |");
        for (TargetFacts.Hardware.NumaNode n : facts.numaNodes()) {
            out.printf(Locale.ROOT, "| %d | %s | %s |%n", n.node(), n.cpus(), Units.bytes(n.memoryBytes()));
        }
    }

    private void cpuSpec(TargetFacts.Hardware facts) {
        out.println();
        HardwareSpec s = facts.cpuSpec();
        if (s == null) {
            out.println("CPU spec sheet: this CPU model is not in toks's catalog.");
            return;
        }
        StringBuilder figures = new StringBuilder();
        if (s.memoryBandwidthGbs() > 0) figures.append(String.format(Locale.ROOT, "memory bandwidth %s GB/s", number(s.memoryBandwidthGbs())));
        s.peakTera().forEach((p, tera) -> figures.append(figures.isEmpty() ? "" : ", ").append(p.key()).append(' ')
                .append(number(tera)).append(p == Precision.INT8 ? " TOP/s" : " TFLOP/s"));
        if (s.tdpWatts() > 0) figures.append(figures.isEmpty() ? "" : ", ").append("TDP ").append(number(s.tdpWatts())).append(" W");
        out.printf(Locale.ROOT, "CPU spec sheet (not measured): %s: %s. Source: %s%s%n", s.name(), figures, s.source(), notes(s));
    }

    private void gpus(TargetFacts.Hardware facts) {
        out.println();
        if (facts.gpus().isEmpty()) {
            out.println("GPUs: none found (" + facts.gpusMissing() + ")");
            return;
        }
        out.println("GPUs (reported by the driver: " + facts.gpusFrom() + "):");
        out.println();
        out.println("| gpu | name | memory | power limit W | max SM clock MHz | max memory clock MHz | driver | PCI bus |");
        out.println("| --: | ---- | -----: | ------------: | ---------------: | -------------------: | ------ | ------- |");
        for (Gpu g : facts.gpus()) {
            out.printf(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %s | %s |%n", g.index(), text(g.name()),
                    Double.isNaN(g.memoryMib()) ? "n/a" : Units.bytes((long) (g.memoryMib() * (1 << 20))), number(g.powerLimitWatts()),
                    number(g.maxSmClockMhz()), number(g.maxMemoryClockMhz()), text(g.driverVersion()), text(g.pciBusId()));
        }
        out.println();
        out.println("GPU spec sheets (not measured; dense peaks, the catalog's figures and their source):");
        out.println();
        StringBuilder header = new StringBuilder("| gpu | catalog entry | memory bandwidth GB/s |");
        for (Precision p : GPU_PEAKS) header.append(' ').append(p.key()).append(p == Precision.INT8 ? " TOP/s |" : " TFLOP/s |");
        out.println(header.append(" TDP W | source |"));
        out.println("| --: | ------------- | --------------------: |" + " ---: |".repeat(GPU_PEAKS.size()) + " ----: | ------ |");
        for (Gpu g : facts.gpus()) {
            HardwareSpec s = g.spec();
            if (s == null) {
                out.printf(Locale.ROOT, "| %d | not in the catalog |%s |  |  |%n", g.index(), " |".repeat(GPU_PEAKS.size()));
                continue;
            }
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %d | %s (%s) | %s |", g.index(), s.name(), s.id(),
                    number(s.memoryBandwidthGbs())));
            for (Precision p : GPU_PEAKS) row.append(' ').append(s.peakTera().containsKey(p) ? number(s.peakTera().get(p)) : "n/a").append(" |");
            out.println(row.append(' ').append(s.tdpWatts() > 0 ? number(s.tdpWatts()) : "n/a").append(" | ").append(s.source()).append(" |"));
        }
        facts.gpus().stream().map(Gpu::spec).filter(s -> s != null && !s.notes().isEmpty()).distinct()
                .forEach(s -> out.printf(Locale.ROOT, "- %s: %s%n", s.id(), s.notes()));
    }

    private static String notes(HardwareSpec s) {
        return s.notes().isEmpty() ? "" : " (" + s.notes() + ")";
    }

    /** A figure without trailing zeros: 700, 989.5, 2619; n/a for NaN. */
    private static String number(double v) {
        if (Double.isNaN(v)) return "n/a";
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "");
    }

    private static String text(String s) {
        return s == null ? "n/a" : s;
    }
}
