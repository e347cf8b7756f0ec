package io.toks.bench.hw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.core.ToksException;
import io.toks.core.manifest.Manifest;
import io.toks.core.manifest.TargetFacts;
import io.toks.core.result.HardwareRun;
import io.toks.core.result.Metric;
import io.toks.core.result.MetricSummary;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.Unit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A toks hw document saved per machine and read back as the limits other commands use. */
class HardwareCacheTest {

    static final Manifest.Machine MACHINE = new Manifest.Machine("AMD EPYC 9654 96-Core Processor", 192, 1L << 40, "Linux 6.1 amd64", "Node-7.lab");

    @TempDir
    Path dir;

    static ResultDocument document(Manifest.Machine machine, TargetFacts target) {
        var manifest = new Manifest(new Manifest.ToksBuild("0.1", "abc"), "2025-03-04T10:00:00Z", machine,
                new Manifest.Jvm("v", "n", "25", "jit", 512), target, Map.of("threads", 2));
        var one = new HardwareRun("1 thread", 1, 1L << 30, Map.of(Metric.READ_BANDWIDTH, MetricSummary.ofSamples(Unit.GIGABYTES_PER_SECOND, 40, 45),
                Metric.PEAK_FMA, MetricSummary.ofSamples(Unit.GIGAFLOPS, 150, 160), Metric.PEAK_INT8_DOT, MetricSummary.ofSamples(Unit.GIGAOPS, 500, 540)));
        var two = new HardwareRun("2 threads", 2, 1L << 30, Map.of(Metric.READ_BANDWIDTH, MetricSummary.ofSamples(Unit.GIGABYTES_PER_SECOND, 70, 80),
                Metric.PEAK_FMA, MetricSummary.ofSamples(Unit.GIGAFLOPS, 300, 310), Metric.PEAK_INT8_DOT, MetricSummary.ofSamples(Unit.GIGAOPS, 1000, 1080)));
        return ResultDocument.of("hw", manifest, List.of(two, one));
    }

    @Test
    void savedLimitsReadBackPerThreadCountWithWhenAndWhat() {
        var facts = new TargetFacts.Hardware(List.of(), List.of(new TargetFacts.Hardware.Cache(1, "Data", 48 << 10, "0")), null,
                List.of(), "no /sys/devices/system/node", List.of(), null, "no nvidia-smi on PATH", null);
        HardwareCache cache = HardwareCache.in(dir.resolve("hardware"));
        Path file = cache.save(document(MACHINE, facts));
        assertThat(file).isEqualTo(cache.fileFor(MACHINE)).exists();
        assertThat(file.getFileName().toString()).matches("node-7\\.lab-[0-9a-f]{12}\\.json");
        assertThat(dir.resolve("hardware")).isDirectoryNotContaining("glob:**.partial");

        MeasuredHardware back = cache.read(MACHINE).orElseThrow();
        assertThat(back.file()).isEqualTo(file);
        assertThat(back.measuredAt()).isEqualTo(Instant.parse("2025-03-04T10:00:00Z"));
        assertThat(back.machine()).isEqualTo(MACHINE);
        assertThat(back.facts()).isEqualTo(facts);
        assertThat(back.limits()).extracting(MeasuredHardware.Limits::threads).containsExactly(1, 2);
        MeasuredHardware.Limits two = back.at(2).orElseThrow();
        assertThat(two.readBandwidthGbs()).isEqualTo(80);
        assertThat(two.peakFmaGflops()).isEqualTo(310);
        assertThat(two.peakInt8DotGops()).isEqualTo(1080);
        assertThat(two.peakBf16DotGflops()).as("not measured").isNaN();
        assertThat(back.mostThreads()).isEqualTo(two);
        assertThat(back.at(3)).isEmpty();
    }

    @Test
    void aNewMeasurementReplacesTheOldAndOtherMachinesHaveTheirOwnFile() {
        HardwareCache cache = HardwareCache.in(dir);
        cache.save(document(MACHINE, null));
        var resized = new Manifest.Machine(MACHINE.cpuModel(), 96, MACHINE.memoryBytes(), MACHINE.os(), MACHINE.host());
        assertThat(cache.fileFor(resized)).isNotEqualTo(cache.fileFor(MACHINE));
        assertThat(cache.read(resized)).isEmpty();
        ResultDocument again = document(MACHINE, null);
        var later = new Manifest(again.manifest().toks(), "2025-04-01T00:00:00Z", MACHINE, again.manifest().jvm(), null, Map.of());
        cache.save(ResultDocument.of("hw", later, again.runs()));
        MeasuredHardware back = cache.read(MACHINE).orElseThrow();
        assertThat(back.measuredAt()).isEqualTo(Instant.parse("2025-04-01T00:00:00Z"));
        assertThat(back.facts()).as("a document without machine facts").isNull();
        var noHost = new Manifest.Machine(MACHINE.cpuModel(), 192, MACHINE.memoryBytes(), MACHINE.os(), null);
        assertThat(cache.fileFor(noHost).getFileName().toString()).startsWith("unknown-host-");
    }

    @Test
    void aBrokenFileIsNamedAndOnlyHwDocumentsAreKept() throws IOException {
        HardwareCache cache = HardwareCache.in(dir);
        Files.writeString(cache.fileFor(MACHINE), "{oops");
        assertThatThrownBy(() -> cache.read(MACHINE)).isInstanceOf(ToksException.class)
                .hasMessage("hardware cache " + cache.fileFor(MACHINE) + ": not a JSON document: " + firstLineOfJacksonError() + "; run toks hw again");
        ResultDocument bench = ResultDocument.of("bench", document(MACHINE, null).manifest(), List.of());
        assertThatThrownBy(() -> cache.save(bench)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not bench");
        Files.writeString(cache.fileFor(MACHINE), io.toks.core.result.ResultJson.write(bench));
        assertThatThrownBy(() -> cache.read(MACHINE)).hasMessageContaining("a bench document, not toks hw's; run toks hw again");
    }

    private static String firstLineOfJacksonError() {
        try {
            io.toks.core.result.ResultJson.read("{oops");
            throw new AssertionError("parsed");
        } catch (ToksException e) {
            return e.getMessage().substring("not a JSON document: ".length());
        }
    }

    @Test
    void theFolderComesFromThePropertyThenTheEnvironmentThenHomeAndNoneKeepsNothing() {
        Path home = dir.resolve("home");
        assertThat(HardwareCache.configured("/a", "/b", home).orElseThrow().directory()).isEqualTo(Path.of("/a"));
        assertThat(HardwareCache.configured(null, "/b", home).orElseThrow().directory()).isEqualTo(Path.of("/b"));
        assertThat(HardwareCache.configured(" ", null, home).orElseThrow().directory()).isEqualTo(home);
        assertThat(HardwareCache.configured("none", "/b", home)).isEmpty();
        assertThat(HardwareCache.configured(null, "NONE", home)).isEmpty();
    }

    @Test
    void thisMachinesFileIsWhereTheBuildPointsTests() {
        // The build sets toks.hardware-cache into target/: tests never write to ~/.toks.
        HardwareCache cache = HardwareCache.configured().orElseThrow();
        assertThat(cache.directory().toString()).contains("target");
        assertThat(cache.fileFor(HardwareCache.thisMachine()).getParent()).isEqualTo(cache.directory());
    }
}
