package io.toks.bench.hw;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.core.hardware.HardwareSpec;
import io.toks.core.hardware.SpecCatalog;
import io.toks.core.manifest.TargetFacts.Hardware.Gpu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPUs from a stand-in nvidia-smi ({@link FakeNvidiaSmi}) printing an H100 SXM and an L4 in
 * nvidia-smi's CSV and XML formats: both forms give the same facts, each GPU matched to its spec
 * sheet, and what nvidia-smi cannot give is NaN or null, never 0.
 */
class NvidiaSmiTest {

    static final SpecCatalog CATALOG = SpecCatalog.builtIn();

    @TempDir
    Path dir;

    @Test
    void theCsvQueryGivesEveryGpuMatchedToItsSpecSheet() {
        NvidiaSmi.Report report = NvidiaSmi.query(FakeNvidiaSmi.in(dir, "nvidia-smi-h100-l4.csv", null), CATALOG);
        assertThat(report.missing()).isNull();
        assertThat(report.from()).startsWith("nvidia-smi --query-gpu=index,name,uuid,").endsWith("--format=csv,noheader,nounits");
        assertH100AndL4(report);
    }

    @Test
    void theXmlReportIsReadWhereTheCsvQueryFails() {
        NvidiaSmi.Report report = NvidiaSmi.query(FakeNvidiaSmi.in(dir, null, "nvidia-smi-h100-l4.xml"), CATALOG);
        assertThat(report.missing()).isNull();
        assertThat(report.from()).isEqualTo("nvidia-smi -q -x");
        assertH100AndL4(report);
    }

    private static void assertH100AndL4(NvidiaSmi.Report report) {
        assertThat(report.gpus()).extracting(Gpu::index).containsExactly(0, 1);
        Gpu h100 = report.gpus().get(0), l4 = report.gpus().get(1);
        assertThat(h100.name()).isEqualTo("NVIDIA H100 80GB HBM3");
        assertThat(h100.uuid()).isEqualTo("GPU-5e2b8a6c-0f43-4c1b-9d2e-7a1f3c9b4d10");
        assertThat(h100.memoryMib()).isEqualTo(81559);
        assertThat(h100.powerLimitWatts()).isEqualTo(700);
        assertThat(h100.maxSmClockMhz()).isEqualTo(1980);
        assertThat(h100.maxMemoryClockMhz()).isEqualTo(2619);
        assertThat(h100.driverVersion()).isEqualTo("550.54.15");
        assertThat(h100.pciBusId()).isEqualTo("00000000:18:00.0");
        assertThat(h100.spec()).extracting(HardwareSpec::id).isEqualTo("h100-sxm");
        assertThat(l4.memoryMib()).isEqualTo(23034);
        assertThat(l4.powerLimitWatts()).isEqualTo(72);
        assertThat(l4.maxSmClockMhz()).isEqualTo(2040);
        assertThat(l4.spec()).extracting(HardwareSpec::id).isEqualTo("l4");
    }

    @Test
    void anOlderDriversXmlAndAGpuTheCatalogLacks() {
        NvidiaSmi.Report report = NvidiaSmi.query(FakeNvidiaSmi.in(dir, null, "nvidia-smi-r470-v100.xml"), CATALOG);
        Gpu v100 = report.gpus().getFirst();
        assertThat(v100.name()).isEqualTo("Tesla V100-SXM2-16GB");
        assertThat(v100.powerLimitWatts()).as("power_readings/power_limit before driver 530").isEqualTo(300);
        assertThat(v100.maxMemoryClockMhz()).isEqualTo(877);
        assertThat(v100.driverVersion()).isEqualTo("470.129.06");
        assertThat(v100.spec()).isNull();
    }

    @Test
    void valuesNvidiaSmiCannotGiveAreUnknownNotZero() {
        var gpus = NvidiaSmiCsv.parse("0, NVIDIA L4, [N/A], 23034, [Not Supported], [N/A], [Unknown Error], 550.54.15, 00000000:3B:00.0\n");
        Gpu l4 = gpus.getFirst();
        assertThat(l4.uuid()).isNull();
        assertThat(l4.powerLimitWatts()).isNaN();
        assertThat(l4.maxSmClockMhz()).isNaN();
        assertThat(l4.maxMemoryClockMhz()).isNaN();
        assertThat(l4.memoryMib()).isEqualTo(23034);
        var xml = NvidiaSmiXml.parse("<nvidia_smi_log><driver_version>N/A</driver_version><gpu id=\"00000000:01:00.0\">"
                + "<product_name>NVIDIA L4</product_name><fb_memory_usage><total>N/A</total></fb_memory_usage>"
                + "<gpu_power_readings><current_power_limit>N/A</current_power_limit></gpu_power_readings></gpu></nvidia_smi_log>");
        assertThat(xml.getFirst().memoryMib()).isNaN();
        assertThat(xml.getFirst().powerLimitWatts()).isNaN();
        assertThat(xml.getFirst().maxSmClockMhz()).isNaN();
        assertThat(xml.getFirst().driverVersion()).isNull();
        assertThat(xml.getFirst().pciBusId()).as("from the gpu element's id").isEqualTo("00000000:01:00.0");
    }

    @Test
    void outputThatDoesNotParseIsNamed() {
        assertThatThrownBy(() -> NvidiaSmiCsv.parse("0, NVIDIA L4, 23034\n")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 1 has 3 fields, expected 9");
        assertThatThrownBy(() -> NvidiaSmiCsv.parse("0, NVIDIA L4, GPU-1, lots, 72, 2040, 6251, 550, 0:3B\n"))
                .hasMessageContaining("line 1, memory.total: 'lots' is not a number");
        assertThatThrownBy(() -> NvidiaSmiXml.parse("<html/>")).hasMessageContaining("not an nvidia_smi_log");
        assertThatThrownBy(() -> NvidiaSmiXml.parse("{not xml")).hasMessageStartingWith("not XML");
    }

    @Test
    void whenBothFormsFailTheReportSaysWhy() {
        NvidiaSmi.Report report = NvidiaSmi.query(FakeNvidiaSmi.in(dir, null, null), CATALOG);
        assertThat(report.gpus()).isEmpty();
        assertThat(report.from()).isNull();
        assertThat(report.missing()).startsWith("nvidia-smi failed (csv: exit 2: Field \"clocks.max.memory\"")
                .contains("xml: exit 9: NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.");
    }

    @Test
    void noGpuIsSaidSo() throws IOException {
        NvidiaSmi.Report report = NvidiaSmi.query(FakeNvidiaSmi.printing(dir, ""), CATALOG);
        assertThat(report.missing()).isEqualTo("nvidia-smi found no GPU");
    }

    @Test
    void theSystemPropertyChoosesTheExecutable() throws IOException {
        Path smi = FakeNvidiaSmi.in(dir, "nvidia-smi-h100-l4.csv", null);
        String before = System.getProperty(NvidiaSmi.PROPERTY);
        try {
            System.setProperty(NvidiaSmi.PROPERTY, smi.toString());
            assertThat(NvidiaSmi.query().gpus()).hasSize(2);
            System.setProperty(NvidiaSmi.PROPERTY, dir.resolve("absent").toString());
            assertThat(NvidiaSmi.query().missing()).isEqualTo("no executable nvidia-smi at " + dir.resolve("absent") + " (-D" + NvidiaSmi.PROPERTY + ")");
            Path notExecutable = Files.writeString(dir.resolve("plain"), "");
            System.setProperty(NvidiaSmi.PROPERTY, notExecutable.toString());
            assertThat(NvidiaSmi.query().missing()).startsWith("no executable nvidia-smi at");
        } finally {
            if (before == null) System.clearProperty(NvidiaSmi.PROPERTY);
            else System.setProperty(NvidiaSmi.PROPERTY, before);
        }
    }
}
