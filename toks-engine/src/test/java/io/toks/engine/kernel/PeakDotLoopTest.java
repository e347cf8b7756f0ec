package io.toks.engine.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The native peak loops run the instruction this CPU has (read from /proc/cpuinfo, not from the
 * library) and count operations as docs/metrics.md states: per instruction, lanes x products per
 * lane x 2, times the loop's accumulator chains.
 */
class PeakDotLoopTest {

    /** Operations per round of each loop: chains x lanes x products per lane x 2. */
    private static final Map<String, Long> OPS_PER_ROUND = Map.of(
            "VDPBF16PS zmm (AVX512_BF16)", 16L * 16 * 2 * 2,
            "VPDPBUSD zmm (AVX512_VNNI)", 16L * 16 * 4 * 2,
            "VPDPBUSD ymm (AVX-VNNI)", 12L * 8 * 4 * 2);

    @ParameterizedTest
    @EnumSource(DotProduct.class)
    void availableExactlyWhereTheCpuHasTheInstruction(DotProduct dot) throws IOException {
        assumeTrue(Kernels.support().nativeAvailable(), "native kernels not loaded here");
        Set<String> flags = cpuFlags();
        assumeTrue(!flags.isEmpty(), "no /proc/cpuinfo flags");
        boolean has = switch (dot) {
            case BF16 -> flags.contains("avx512_bf16");
            case INT8 -> flags.contains("avx512_vnni") || flags.contains("avx_vnni");
        };
        PeakDotLoop loop = Kernels.peakDotLoop(dot);
        assertThat(loop.available()).as(loop.toString()).isEqualTo(has);
        if (has) {
            assertThat(loop.instruction()).isIn(OPS_PER_ROUND.keySet());
            if (dot == DotProduct.INT8 && flags.contains("avx512_vnni")) assertThat(loop.instruction()).contains("zmm");
        } else {
            assertThat(loop.unavailableReason()).contains(dot == DotProduct.BF16 ? "AVX512_BF16" : "VNNI");
        }
    }

    @ParameterizedTest
    @EnumSource(DotProduct.class)
    void countsTheOperationsOfEveryRound(DotProduct dot) {
        PeakDotLoop loop = Kernels.peakDotLoop(dot);
        assumeTrue(loop.available(), dot + ": " + loop.unavailableReason());
        long perRound = OPS_PER_ROUND.get(loop.instruction());
        assertThat(loop.run(0)).isZero();
        assertThat(loop.run(1)).isEqualTo(perRound);
        assertThat(loop.run(10_000)).isEqualTo(10_000 * perRound);
    }

    @Test
    void anUnavailableLoopSaysWhyAndRefusesToRun() {
        for (DotProduct dot : DotProduct.values()) {
            PeakDotLoop loop = Kernels.peakDotLoop(dot);
            if (loop.available()) {
                assertThatThrownBy(() -> loop.run(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("iterations");
                continue;
            }
            assertThat(loop.instruction()).isNull();
            assertThatThrownBy(() -> loop.run(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining(loop.unavailableReason());
        }
        assertThatThrownBy(() -> new PeakDotLoop(DotProduct.INT8, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Set<String> cpuFlags() throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) return Set.of();
        try (var lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> Set.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))).orElse(Set.of());
        }
    }
}
