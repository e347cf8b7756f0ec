package io.toks.cli;

import static io.toks.cli.CliTest.toks;
import static org.assertj.core.api.Assertions.assertThat;

import io.toks.bench.hw.HardwareCache;
import io.toks.bench.hw.MeasuredHardware;
import io.toks.bench.hw.NvidiaSmi;
import io.toks.engine.kernel.DotProduct;
import io.toks.engine.kernel.Kernels;
import io.toks.engine.kernel.PeakDotLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * toks hw end to end with a stand-in nvidia-smi (a script printing an H100 SXM and an L4 in
 * nvidia-smi's CSV query format, not recorded from hardware) and the hardware cache in a
 * temporary folder.
 */
class HwCliTest {

    static final String CSV = """
            0, NVIDIA H100 80GB HBM3, GPU-5e2b8a6c-0f43-4c1b-9d2e-7a1f3c9b4d10, 81559, 700.00, 1980, 2619, 550.54.15, 00000000:18:00.0
            1, NVIDIA L4, GPU-a81c3f27-66d9-4e0b-b3c5-2f9e8d7c6b54, 23034, [N/A], 2040, 6251, 550.54.15, 00000000:3B:00.0
            """;

    @TempDir
    Path tmp;

    private Path fakeNvidiaSmi() throws IOException {
        Path csv = Files.writeString(tmp.resolve("gpus.csv"), CSV);
        Path smi = Files.writeString(tmp.resolve("nvidia-smi"),
                "#!/bin/bash\ncase \"$1\" in --query-gpu=*) cat '" + csv + "';; *) echo \"unexpected: $*\"; exit 2;; esac\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        return smi;
    }

    /** Runs with the two system properties set, then restores them. */
    private static <T> T with(String smi, String cache, Supplier<T> body) {
        String beforeSmi = System.getProperty(NvidiaSmi.PROPERTY), beforeCache = System.getProperty(HardwareCache.PROPERTY);
        try {
            System.setProperty(NvidiaSmi.PROPERTY, smi);
            System.setProperty(HardwareCache.PROPERTY, cache);
            return body.get();
        } finally {
            restore(NvidiaSmi.PROPERTY, beforeSmi);
            restore(HardwareCache.PROPERTY, beforeCache);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    @Test
    void theTableShowsEveryPeakThenTheMachineAndItsGpusAndTheLimitsAreKept() throws IOException {
        Path cacheDir = tmp.resolve("cache");
        CliTest.Result r = with(fakeNvidiaSmi().toString(), cacheDir.toString(), () -> toks("hw", "-t", "1", "--buffer-mib", keptBufferMib(), "-r", "1"));
        assertThat(r.code()).as(r.err()).isZero();
        String out = r.out();
        assertThat(out).contains("| threads | read bandwidth GB/s | FP32 FMA GFLOP/s | BF16 dot GFLOP/s | INT8 dot GOP/s |");
        String row = out.lines().filter(l -> l.startsWith("|       1 |")).findFirst().orElseThrow();
        List<String> cells = Arrays.stream(row.split("\\|")).map(String::strip).toList();
        assertDotCell(cells.get(4), DotProduct.BF16);
        assertDotCell(cells.get(5), DotProduct.INT8);
        assertThat(out).contains("How each limit was measured:", "- peak_fma: Java Vector API FMA",
                "GPUs (reported by the driver: nvidia-smi --query-gpu=index,name,uuid,memory.total,power.limit,clocks.max.sm,clocks.max.memory,driver_version,pci.bus_id --format=csv,noheader,nounits):",
                "| 0 | NVIDIA H100 80GB HBM3 | 79.65 GiB | 700 | 1980 | 2619 | 550.54.15 | 00000000:18:00.0 |",
                "| 1 | NVIDIA L4 | 22.49 GiB | n/a | 2040 | 6251 |",
                "GPU spec sheets (not measured",
                "| 0 | NVIDIA H100 SXM5 80GB (h100-sxm) | 3350 | 989.5 | 989.5 | 1979 | 1979 | 700 | https://www.nvidia.com/en-us/data-center/h100/ |",
                "| 1 | NVIDIA L4 (l4) | 300 |",
                "- h100-sxm: tensor-core figures on the sheet are with sparsity; halved here");
        if (Files.isDirectory(Path.of("/sys/devices/system/cpu/cpu0/cache"))) assertThat(out).contains("CPU caches of cpu0 (reported by the OS, /sys):", "| L1 | Data |");
        assertThat(r.err()).contains("toks hw: limits saved to " + cacheDir);

        MeasuredHardware kept = with("", cacheDir.toString(), HardwareCache::load).orElseThrow();
        assertThat(kept.file().getParent()).isEqualTo(cacheDir);
        assertThat(kept.at(1).orElseThrow().readBandwidthGbs()).isPositive();
        assertThat(kept.facts().gpus()).hasSize(2);
        assertThat(kept.facts().gpus().get(0).spec().id()).isEqualTo("h100-sxm");
        PeakDotLoop int8 = Kernels.peakDotLoop(DotProduct.INT8);
        assertThat(Double.isNaN(kept.at(1).orElseThrow().peakInt8DotGops())).isEqualTo(!int8.available());
    }

    private static void assertDotCell(String cell, DotProduct dot) {
        PeakDotLoop loop = Kernels.peakDotLoop(dot);
        if (loop.available()) assertThat(cell).as(dot.name()).matches("[0-9.]+ \\([0-9.]+ ± [0-9.]+\\)");
        else assertThat(cell).isEqualTo("not available (" + loop.unavailableReason() + ")");
    }

    @Test
    void withoutNvidiaSmiOrCacheEachSaysSo() {
        CliTest.Result r = with(tmp.resolve("absent").toString(), "none", () -> toks("hw", "-t", "1", "--buffer-mib", keptBufferMib(), "-r", "1"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("GPUs: none found (no executable nvidia-smi at " + tmp.resolve("absent"));
        assertThat(r.err()).contains("toks hw: limits not kept (hardware cache set to none)");
    }

    /** A buffer the caches hold measures them: said, and not kept as the machine's limits. */
    @Test
    void aBufferTheCachesHoldIsMeasuredButNotKept() {
        long lastLevelMib = lastLevelCacheBytes() >> 20;
        org.junit.jupiter.api.Assumptions.assumeTrue(lastLevelMib >= 16, "this machine reports no last-level cache of 16 MiB or more");
        Path cacheDir = tmp.resolve("small-buffer");
        CliTest.Result r = with(tmp.resolve("absent").toString(), cacheDir.toString(), () -> toks("hw", "-t", "1", "--buffer-mib", "16", "-r", "1"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("toks hw: warning: a 16 MiB buffer is less than twice the " + lastLevelMib + " MiB last-level cache",
                "toks hw: limits not kept (the buffer fits the caches");
        assertThat(cacheDir).doesNotExist();
    }

    @Test
    void aBufferLargerThanTheJvmMayHoldIsRefusedBeforeMeasuring() {
        CliTest.Result r = toks("hw", "-t", "1", "--buffer-mib", "999999", "-r", "1");
        CliTest.assertOneLineError(r, 1, "--buffer-mib 999999 is more than half of what this JVM may allocate");
        assertThat(r.out()).isEmpty();
    }

    /** Twice this machine's largest cache, so the limits are kept (16 MiB where /sys says nothing). */
    private static String keptBufferMib() {
        return Long.toString(Math.max(16, 2 * (lastLevelCacheBytes() >> 20) + 16));
    }

    private static long lastLevelCacheBytes() {
        return io.toks.bench.hw.MachineInventory.read(java.util.List.of()).caches().stream()
                .mapToLong(io.toks.core.manifest.TargetFacts.Hardware.Cache::sizeBytes).max().orElse(0);
    }

    @Test
    void helpDescribesTheNewFigures() {
        String help = toks("hw", "--help").out();
        assertThat(help).contains("VDPBF16PS", "VPDPBUSD", "NUMA", "nvidia-smi", "spec-sheet", "TOKS_HARDWARE_CACHE");
    }
}
