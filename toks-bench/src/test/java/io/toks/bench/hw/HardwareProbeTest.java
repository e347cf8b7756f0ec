package io.toks.bench.hw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.toks.core.manifest.TargetFacts.Hardware.Probe;
import io.toks.core.result.Metric;
import io.toks.engine.kernel.DotProduct;
import io.toks.engine.kernel.Kernels;
import io.toks.engine.kernel.PeakDotLoop;
import java.util.List;
import org.junit.jupiter.api.Test;

class HardwareProbeTest {

    @Test
    void everyLimitSaysHowItIsMeasuredOrWhyItIsNot() {
        List<Probe> probes = HardwareProbe.probes();
        assertThat(probes).extracting(Probe::metric)
                .containsExactly("read_bandwidth", "peak_fma", "peak_bf16_dot", "peak_int8_dot");
        for (Probe p : probes) assertThat(p.method() == null).as(p.toString()).isEqualTo(p.unavailable() != null);
        for (DotProduct dot : DotProduct.values()) {
            PeakDotLoop loop = Kernels.peakDotLoop(dot);
            Probe p = probes.stream().filter(x -> x.metric().equals(HardwareProbe.metric(dot).key())).findFirst().orElseThrow();
            assertThat(p.unavailable()).isEqualTo(loop.unavailableReason());
        }
    }

    @Test
    void aDotProductPeakIsMeasuredOnEveryThread() {
        PeakDotLoop loop = Kernels.peakDotLoop(DotProduct.INT8);
        assumeTrue(loop.available(), loop.unavailableReason());
        var limit = HardwareProbe.peakDot(loop, 2, 2);
        assertThat(limit.threads()).isEqualTo(2);
        assertThat(limit.samples()).hasSize(2);
        for (double s : limit.samples()) assertThat(s).isPositive();
        assertThat(limit.best()).isEqualTo(Math.max(limit.samples()[0], limit.samples()[1]));
        assertThat(HardwareProbe.metric(DotProduct.INT8)).isEqualTo(Metric.PEAK_INT8_DOT);
    }
}
