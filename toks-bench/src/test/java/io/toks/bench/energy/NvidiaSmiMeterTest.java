package io.toks.bench.energy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.toks.core.events.Clock;
import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvidiaSmiMeterTest {

    @TempDir
    Path dir;

    @Test
    void constantPowerOfTwoGpusIntegratesToTheirSumTimesTheTime() throws InterruptedException {
        Path smi = FakeNvidiaSmi.sampling(dir, "0, 100.00\n1, 50.00", 0, 0);
        try (EnergyMeter meter = NvidiaSmiMeter.detect(smi, Clock.SYSTEM)) {
            assertThat(meter.available()).as(meter.unavailableReason()).isTrue();
            assertThat(meter.source()).isEqualTo("nvidia-smi power.draw, 2 GPUs");
            EnergyMeter.Span span = meter.start();
            Thread.sleep(150);
            EnergyReading r = span.stop();
            assertThat(r.seconds()).isGreaterThanOrEqualTo(0.15);
            // Constant power: whatever the sample times, the integral is power x time.
            assertThat(r.joules()).isCloseTo(150 * r.seconds(), within(1e-6));
            assertThat(r.averageWatts()).isCloseTo(150, within(1e-6));
            assertThat(meter.failure()).isNull();
        }
    }

    @Test
    void aGpuWithoutPowerReadingsIsLeftOutAndNamed() throws InterruptedException {
        Path smi = FakeNvidiaSmi.sampling(dir, "0, 71.25\n1, [N/A]\n2, [Not Supported]", 0, 0);
        try (EnergyMeter meter = NvidiaSmiMeter.detect(smi, Clock.SYSTEM)) {
            assertThat(meter.source()).isEqualTo("nvidia-smi power.draw, 1 of 3 GPUs (no power reported by GPU 1, 2)");
            EnergyMeter.Span span = meter.start();
            Thread.sleep(50);
            EnergyReading r = span.stop();
            assertThat(r.averageWatts()).isCloseTo(71.25, within(1e-6));
        }
    }

    @Test
    void noGpuWithPowerIsUnavailable() {
        EnergyMeter meter = NvidiaSmiMeter.detect(FakeNvidiaSmi.sampling(dir, "0, [N/A]", 0, 0), Clock.SYSTEM);
        assertThat(meter.available()).isFalse();
        assertThat(meter.unavailableReason()).isEqualTo("nvidia-smi reports no power draw for GPU 0");
    }

    @Test
    void aFailingNvidiaSmiIsUnavailableInItsOwnWords() {
        EnergyMeter meter = NvidiaSmiMeter.detect(FakeNvidiaSmi.failing(dir), Clock.SYSTEM);
        assertThat(meter.available()).isFalse();
        assertThat(meter.unavailableReason()).startsWith("nvidia-smi failed: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver");
    }

    @Test
    void aSamplerThatDiesMakesLaterSpansUnknownAndSaysWhy() throws InterruptedException {
        Path smi = FakeNvidiaSmi.sampling(dir, "0, 30.5", 3, 4);
        try (EnergyMeter meter = NvidiaSmiMeter.detect(smi, Clock.SYSTEM)) {
            assertThat(meter.available()).isTrue();
            EnergyMeter.Span span = meter.start();
            for (int i = 0; i < 500 && meter.failure() == null; i++) Thread.sleep(10);
            assertThat(meter.failure()).isEqualTo("nvidia-smi stopped sampling (exit status 4: "
                    + "Unable to determine the device handle for GPU0: Unknown Error)");
            assertThat(span.stop().known()).isFalse();
        }
    }

    @Test
    void missingExecutablesAreUnavailable() {
        assertThat(NvidiaSmiMeter.detect(null, Clock.SYSTEM).unavailableReason()).isEqualTo("no nvidia-smi on PATH");
        assertThat(NvidiaSmiMeter.detect(dir.resolve("nvidia-smi"), Clock.SYSTEM).unavailableReason())
                .isEqualTo("no nvidia-smi at " + dir.resolve("nvidia-smi"));
    }

    @Test
    void thePathIsSearchedInOrder() {
        assertThat(NvidiaSmiMeter.onPath(dir + File.pathSeparator + "/nonexistent")).isNull();
        Path smi = FakeNvidiaSmi.failing(dir);
        assertThat(NvidiaSmiMeter.onPath("/nonexistent" + File.pathSeparator + dir)).isEqualTo(smi);
        assertThat(NvidiaSmiMeter.onPath(null)).isNull();
    }

    @Test
    void linesParseAsNvidiaSmiWritesThem() {
        assertThat(NvidiaSmiMeter.Sample.parse("0, 71.23")).isEqualTo(new NvidiaSmiMeter.Sample(0, 71.23));
        assertThat(NvidiaSmiMeter.Sample.parse("3, 250.00 W")).isEqualTo(new NvidiaSmiMeter.Sample(3, 250.0));
        assertThat(NvidiaSmiMeter.Sample.parse("1, [N/A]").watts()).isNaN();
        assertThat(NvidiaSmiMeter.Sample.parse("1, [Not Supported]").watts()).isNaN();
        assertThat(NvidiaSmiMeter.Sample.parse("No devices were found")).isNull();
        assertThat(NvidiaSmiMeter.Sample.parse("index, power.draw [W]")).isNull();
    }

    @Test
    void powerIntegralAddsTrapezoidsAndHoldsTheLastSample() {
        PowerIntegral p = new PowerIntegral();
        assertThat(p.sampled()).isFalse();
        p.add(1_000_000_000L, 100);
        p.add(2_000_000_000L, 200); // 1 s from 100 W to 200 W: 150 J
        p.add(2_500_000_000L, 200); // 0.5 s at 200 W: 100 J
        assertThat(p.joulesAt(2_500_000_000L)).isEqualTo(250.0);
        assertThat(p.joulesAt(3_000_000_000L)).isEqualTo(350.0); // held at 200 W
        assertThat(p.joulesAt(2_250_000_000L)).isEqualTo(200.0); // inside the last interval: its part before
        assertThat(p.joulesAt(1_500_000_000L)).isEqualTo(150.0); // before it: the interval's start, never less
    }
}
