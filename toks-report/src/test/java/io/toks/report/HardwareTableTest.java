package io.toks.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.hardware.SpecCatalog;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.manifest.TargetFacts;
import io.toks.core.manifest.TargetFacts.Hardware;
import io.toks.core.result.HardwareRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.Unit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The toks hw table: every peak or why not, then each machine section labelled measured, reported or spec sheet. */
class HardwareTableTest {

    static final SpecCatalog CATALOG = SpecCatalog.builtIn();

    static String render(ResultDocument document) {
        var bytes = new ByteArrayOutputStream();
        Renderers.render(document, Format.MD, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static HardwareRun run(int threads) {
        return new HardwareRun(threads + " threads", threads, 1L << 30, Map.of(
                Metric.READ_BANDWIDTH, MetricSummary.ofSamples(Unit.GIGABYTES_PER_SECOND, 40, 50),
                Metric.PEAK_FMA, MetricSummary.ofSamples(Unit.GIGAFLOPS, 100, 120),
                Metric.PEAK_INT8_DOT, MetricSummary.ofSamples(Unit.GIGAOPS, 400, 480)));
    }

    @Test
    void peaksPerThreadsThenCachesNumaAndGpusWithTheirSpecSheets() {
        var facts = new Hardware(
                List.of(new Hardware.Probe("peak_int8_dot", "VPDPBUSD zmm (AVX512_VNNI), native loop", null),
                        new Hardware.Probe("peak_bf16_dot", null, "CPU lacks AVX512_BF16")),
                List.of(new Hardware.Cache(1, "Data", 48 << 10, "0,96"), new Hardware.Cache(3, "Unified", 32L << 20, "0-47,96-143")), null,
                List.of(new Hardware.NumaNode(0, "0-47,96-143", 384L << 30), new Hardware.NumaNode(1, "48-95,144-191", 384L << 30)), null,
                List.of(new Hardware.Gpu(0, "NVIDIA H100 80GB HBM3", "GPU-1", 81559, 700, 1980, 2619, "550.54.15", "00000000:18:00.0",
                                CATALOG.find("NVIDIA H100 80GB HBM3").orElseThrow()),
                        new Hardware.Gpu(1, "NVIDIA Prototype", null, Double.NaN, Double.NaN, 1500, Double.NaN, "550.54.15", null, null)),
                "nvidia-smi -q -x", null, CATALOG.find("AMD EPYC 9654 96-Core Processor").orElseThrow());
        String out = render(ResultDocument.of("hw", MachineFacts.manifest(facts, Map.of()), List.of(run(1), run(2))));
        assertThat(out).contains(
                "| threads | read bandwidth GB/s | FP32 FMA GFLOP/s | BF16 dot GFLOP/s | INT8 dot GOP/s |",
                "|       2 | 50.0 (45.0 ± 7.1) | 120.0 (110.0 ± 14.1) | not available (CPU lacks AVX512_BF16) | 480.0 (440.0 ± 56.6) |",
                "- peak_int8_dot: VPDPBUSD zmm (AVX512_VNNI), native loop",
                "CPU caches of cpu0 (reported by the OS, /sys):", "| L3 | Unified | 32.00 MiB | 0-47,96-143 |",
                "NUMA nodes (reported by the OS, /sys):", "| 1 | 48-95,144-191 | 384.00 GiB |",
                "CPU spec sheet (not measured): AMD EPYC 9654 (Genoa, 96 cores): memory bandwidth 460.8 GB/s, fp32 7.37 TFLOP/s, TDP 360 W. Source: https://www.amd.com/",
                "GPUs (reported by the driver: nvidia-smi -q -x):",
                "| 1 | NVIDIA Prototype | n/a | n/a | 1500 | n/a | 550.54.15 | n/a |",
                "GPU spec sheets (not measured; dense peaks, the catalog's figures and their source):",
                "| gpu | catalog entry | memory bandwidth GB/s | bf16 TFLOP/s | fp16 TFLOP/s | fp8 TFLOP/s | int8 TOP/s | TDP W | source |",
                "| 0 | NVIDIA H100 SXM5 80GB (h100-sxm) | 3350 | 989.5 | 989.5 | 1979 | 1979 | 700 | https://www.nvidia.com/en-us/data-center/h100/ |",
                "| 1 | not in the catalog |");
        // The measured table comes first, then the read sections, the spec sheets last.
        assertThat(out.indexOf("|       1 |")).isLessThan(out.indexOf("CPU caches")).isLessThan(out.indexOf("GPU spec sheets"));
    }

    @Test
    void partsNotReadSayWhyAndAnOldDocumentShowsItsRowsOnly() {
        var facts = new Hardware(List.of(), List.of(), "no /sys/devices/system/cpu/cpu0/cache (not Linux, or /sys is hidden)", List.of(),
                "no /sys/devices/system/node (not Linux, or a kernel without NUMA)", List.of(), null, "no nvidia-smi on PATH", null);
        String out = render(ResultDocument.of("hw", MachineFacts.manifest(facts, Map.of()), List.of(run(1))));
        assertThat(out).contains("CPU caches: not read (no /sys/devices/system/cpu/cpu0/cache", "NUMA nodes: not read (no /sys/devices/system/node",
                "CPU spec sheet: this CPU model is not in toks's catalog.", "GPUs: none found (no nvidia-smi on PATH)");
        assertThat(out).as("no probe says why BF16 is missing").contains("| not measured |");

        String old = render(ResultDocument.of("hw", MachineFacts.manifest(null, Map.of()), List.of(run(1))));
        assertThat(old).contains("|       1 | 50.0 (45.0 ± 7.1)").doesNotContain("GPUs", "CPU caches");
    }
}
