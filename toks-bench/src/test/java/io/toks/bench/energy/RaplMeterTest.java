package io.toks.bench.energy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.toks.core.events.Clock;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaplMeterTest {

    @TempDir
    Path root;

    /** A clock a test moves by hand. */
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final Clock clock = nanos::get;

    void elapse(double seconds) {
        nanos.addAndGet(Math.round(seconds * 1e9));
    }

    @Test
    void readsTheTopLevelPackagesOnlyAndAddsThem() {
        RaplFixture rapl = RaplFixture.twoSockets(root);
        EnergyMeter meter = RaplMeter.detect(root, clock);
        assertThat(meter.available()).isTrue();
        assertThat(meter.source()).isEqualTo("RAPL package-0+package-1");

        EnergyMeter.Span span = meter.start();
        rapl.advance("intel-rapl:0", 30_000_000);
        rapl.advance("intel-rapl:1", 12_500_000);
        // Parts and wholes of the same packages: counting them too would count the same joules twice.
        rapl.advance("intel-rapl:0:0", 20_000_000);
        rapl.advance("intel-rapl:2", 50_000_000);
        rapl.advance("intel-rapl-mmio:0", 30_000_000);
        elapse(2);
        EnergyReading r = span.stop();
        meter.close();

        assertThat(r.joules()).isEqualTo(42.5);
        assertThat(r.seconds()).isEqualTo(2.0);
        assertThat(r.averageWatts()).isEqualTo(21.25);
    }

    @Test
    void aCounterThatWrapsIsCountedAcrossTheWrap() {
        RaplFixture rapl = new RaplFixture(root).zone("intel-rapl:0", "package-0", RaplFixture.RANGE - 1_000_000);
        EnergyMeter meter = RaplMeter.detect(root, clock);
        EnergyMeter.Span span = meter.start();
        rapl.advance("intel-rapl:0", 3_000_000); // past the range: the counter now reads 2_000_000
        elapse(1);
        assertThat(rapl.counter("intel-rapl:0")).isEqualTo(2_000_000);
        assertThat(span.stop().joules()).isEqualTo(3.0);
        meter.close();
    }

    @Test
    void everyReadCarriesTheWrapSoASpanLongerThanOneRangeIsWhole() {
        RaplFixture rapl = new RaplFixture(root).zone("intel-rapl:0", "package-0", 0);
        RaplMeter meter = (RaplMeter) RaplMeter.detect(root, clock);
        EnergyMeter.Span span = meter.start();
        long step = RaplFixture.RANGE * 2 / 3;
        for (int i = 0; i < 3; i++) { // twice round the counter, read between (the poller's job)
            rapl.advance("intel-rapl:0", step);
            meter.totalMicrojoules();
        }
        assertThat(span.stop().joules()).isEqualTo(3 * step / 1e6);
        meter.close();
    }

    @Test
    void advanceIsTheDistanceAcrossAtMostOneWrap() {
        assertThat(RaplMeter.advance(100, 350, 1000)).isEqualTo(250);
        assertThat(RaplMeter.advance(900, 50, 1000)).isEqualTo(150);
        assertThat(RaplMeter.advance(7, 7, 1000)).isZero();
    }

    @Test
    void idlePowerAndEnergyAboveIdleFromCountersThatMove() {
        RaplFixture rapl = new RaplFixture(root).zone("intel-rapl:0", "package-0", 5_000_000);
        EnergyMeter meter = RaplMeter.detect(root, clock);

        EnergyMeter.Span idle = meter.start();
        rapl.advance("intel-rapl:0", 36_000_000); // 18 W for 2 s
        elapse(2);
        double idleWatts = idle.stop().averageWatts();
        assertThat(idleWatts).isEqualTo(18.0);

        EnergyMeter.Span work = meter.start();
        rapl.advance("intel-rapl:0", 123_000_000); // 41 W for 3 s
        elapse(3);
        Map<Metric, MetricSummary> m = EnergyMonitor.figures(work.stop(), idleWatts, 369);
        meter.close();

        assertThat(m.get(Metric.ENERGY).mean()).isEqualTo(123.0);
        assertThat(m.get(Metric.AVERAGE_POWER).mean()).isEqualTo(41.0);
        assertThat(m.get(Metric.IDLE_POWER).mean()).isEqualTo(18.0);
        assertThat(m.get(Metric.ENERGY_ABOVE_IDLE).mean()).isCloseTo(123.0 - 18.0 * 3, within(1e-9));
        assertThat(m.get(Metric.TOKENS_PER_JOULE).mean()).isEqualTo(3.0);
        assertThat(m.get(Metric.ENERGY).unit().symbol()).isEqualTo("J");
    }

    @Test
    void idleWattsReadsTheCounterAcrossTheSleep() throws IOException {
        new RaplFixture(root).zone("intel-rapl:0", "package-0", 0);
        // Each read of the counter finds it 7 J further on, each look at the clock 0.5 s later.
        AtomicLong counter = new AtomicLong();
        RaplMeter.CounterReader moving = file -> file.getFileName().toString().equals("energy_uj")
                ? Long.toString(counter.addAndGet(7_000_000)) : Files.readString(file);
        AtomicLong time = new AtomicLong();
        EnergyMeter meter = RaplMeter.detect(root, () -> time.addAndGet(500_000_000L), moving);
        assertThat(meter.idleWatts(Duration.ofMillis(1))).isEqualTo(14.0);
        meter.close();
    }

    @Test
    void noPowercapFolderOrNoPackageIsUnavailableWithTheReason() {
        EnergyMeter missing = RaplMeter.detect(root.resolve("nowhere"), clock);
        assertThat(missing.available()).isFalse();
        assertThat(missing.unavailableReason()).isEqualTo("no RAPL counters under " + root.resolve("nowhere"));
        assertThat(missing.source()).isNull();

        new RaplFixture(root).zone("intel-rapl:0", "psys", 0).zone("intel-rapl-mmio:0", "package-0", 0);
        assertThat(RaplMeter.detect(root, clock).unavailableReason()).isEqualTo("no RAPL counters under " + root);
    }

    @Test
    void aCounterOnlyRootMayReadIsUnavailableForThatReason() {
        RaplFixture.twoSockets(root);
        // Tests run as root, who reads everything: the kernel's refusal is played by the reader.
        RaplMeter.CounterReader rootOnly = file -> {
            if (file.getFileName().toString().equals("energy_uj")) throw new AccessDeniedException(file.toString());
            return Files.readString(file);
        };
        EnergyMeter meter = RaplMeter.detect(root, clock, rootOnly);
        assertThat(meter.available()).isFalse();
        assertThat(meter.unavailableReason()).isEqualTo("RAPL counters under " + root
                + " are readable only by root (permission denied: intel-rapl:0/energy_uj)");
    }

    @Test
    void aMalformedCounterIsUnavailableNamingIt() throws IOException {
        new RaplFixture(root).zone("intel-rapl:0", "package-0", 0);
        Files.writeString(root.resolve("intel-rapl:0/energy_uj"), "lots\n");
        EnergyMeter meter = RaplMeter.detect(root, clock);
        assertThat(meter.unavailableReason()).startsWith("cannot read RAPL counters under " + root).contains("energy_uj holds 'lots'");
    }

    @Test
    void aCounterThatVanishesMidwayMakesTheSpanUnknownAndSaysWhy() throws IOException {
        new RaplFixture(root).zone("intel-rapl:0", "package-0", 0);
        EnergyMeter meter = RaplMeter.detect(root, clock);
        EnergyMeter.Span span = meter.start();
        Files.delete(root.resolve("intel-rapl:0/energy_uj"));
        elapse(1);
        EnergyReading r = span.stop();
        assertThat(r.known()).isFalse();
        assertThat(meter.failure()).startsWith("RAPL counters stopped reading");
        assertThat(EnergyMonitor.figures(r, 10, 100)).isEmpty();
        meter.close();
    }
}
