package io.toks.bench.energy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.toks.core.manifest.Manifest;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnergyMonitorTest {

    @TempDir
    Path dir;

    @Test
    void withNeitherSourceDetectionSaysWhyInOnePhrase() {
        EnergyMeter meter = EnergyMeter.detect(dir.resolve("powercap"), null);
        assertThat(meter.available()).isFalse();
        assertThat(meter.unavailableReason()).isEqualTo("no RAPL counters under " + dir.resolve("powercap") + ", no nvidia-smi on PATH");
        assertThatThrownBy(meter::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("no nvidia-smi on PATH");

        try (EnergyMonitor monitor = EnergyMonitor.start(meter, Duration.ofSeconds(2))) {
            assertThat(monitor.measuring()).isFalse();
            assertThat(monitor.facts()).isEqualTo(Manifest.Energy.notMeasured(meter.unavailableReason()));
            EnergyTally tally = monitor.tally();
            tally.begin();
            tally.end();
            assertThat(monitor.metrics(tally.total(), 100)).isEmpty();
        }
    }

    @Test
    void packagesAndGpusTogetherAddUp() throws InterruptedException {
        RaplFixture rapl = new RaplFixture(dir.resolve("powercap")).zone("intel-rapl:0", "package-0", 0);
        Path smi = FakeNvidiaSmi.sampling(dir, "0, 40.00", 0, 0);
        try (EnergyMeter meter = EnergyMeter.detect(rapl.root, smi)) {
            assertThat(meter.source()).isEqualTo("RAPL package-0 + nvidia-smi power.draw, 1 GPU");
            EnergyMeter.Span span = meter.start();
            rapl.advance("intel-rapl:0", 5_000_000);
            Thread.sleep(100);
            EnergyReading r = span.stop();
            assertThat(r.joules()).isCloseTo(5 + 40 * r.seconds(), within(0.01 * 40));
        }
    }

    @Test
    void aMonitorSamplesIdlePowerFirstAndStatesItsSource() {
        RaplFixture rapl = new RaplFixture(dir).zone("intel-rapl:0", "package-0", 0);
        try (EnergyMonitor monitor = EnergyMonitor.start(RaplMeter.detect(rapl.root, io.toks.core.events.Clock.SYSTEM), Duration.ofMillis(20))) {
            assertThat(monitor.measuring()).isTrue();
            assertThat(monitor.idleWatts()).isZero(); // the fixture's counter stood still
            Manifest.Energy facts = monitor.facts();
            assertThat(facts.source()).isEqualTo("RAPL package-0");
            assertThat(facts.idlePower()).isZero();
            assertThat(facts.idleSeconds()).isEqualTo(0.02);
            assertThat(facts.notMeasured()).isNull();

            EnergyTally tally = monitor.tally();
            tally.begin();
            rapl.advance("intel-rapl:0", 2_000_000);
            tally.end();
            tally.begin();
            rapl.advance("intel-rapl:0", 1_000_000);
            tally.end();
            Map<Metric, MetricSummary> m = monitor.metrics(tally.total(), 30);
            assertThat(m.get(Metric.ENERGY).mean()).isEqualTo(3.0);
            assertThat(m.get(Metric.TOKENS_PER_JOULE).mean()).isEqualTo(10.0);
            assertThat(m.get(Metric.IDLE_POWER).mean()).isZero();
        }
    }

    @Test
    void withoutIdleSamplingOrJoulesTheFiguresSayLessNotMore() {
        Map<Metric, MetricSummary> noIdle = EnergyMonitor.figures(new EnergyReading(10, 2), Double.NaN, 40);
        assertThat(noIdle).containsOnlyKeys(Metric.ENERGY, Metric.AVERAGE_POWER, Metric.TOKENS_PER_JOULE);
        assertThat(noIdle.get(Metric.AVERAGE_POWER).mean()).isEqualTo(5.0);

        // A span shorter than the counter's update interval counts no joules: no rate per joule.
        MetricSummary perJoule = EnergyMonitor.figures(new EnergyReading(0, 0.001), 5, 40).get(Metric.TOKENS_PER_JOULE);
        assertThat(perJoule.mean()).isNaN();
        assertThat(perJoule.n()).isZero();
    }

    @Test
    void anOffMonitorStatesItsReason() {
        try (EnergyMonitor off = EnergyMonitor.off("turned off")) {
            assertThat(off.facts().notMeasured()).isEqualTo("turned off");
            assertThat(off.facts().source()).isNull();
            assertThat(off.tally().total().known()).isFalse();
        }
    }

    @Test
    void onlyServersOnThisMachineAreMeasured() {
        assertThat(ServerLocation.onThisMachine(java.net.URI.create("http://127.0.0.1:8000/v1"))).isTrue();
        assertThat(ServerLocation.onThisMachine(java.net.URI.create("http://localhost:8000/v1"))).isTrue();
        assertThat(ServerLocation.onThisMachine(java.net.URI.create("http://[::1]:8000/v1"))).isTrue();
        // Documentation addresses (RFC 5737, 3849): never this machine's, and resolved without a lookup.
        assertThat(ServerLocation.onThisMachine(java.net.URI.create("http://192.0.2.7:8000/v1"))).isFalse();
        assertThat(ServerLocation.onThisMachine(java.net.URI.create("http://[2001:db8::1]:8000/v1"))).isFalse();
        assertThat(ServerLocation.elsewhere(java.net.URI.create("http://192.0.2.7:8000/v1"))).contains("192.0.2.7", "another machine");
    }
}
