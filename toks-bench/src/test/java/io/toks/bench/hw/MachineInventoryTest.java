package io.toks.bench.hw;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.hardware.HardwareSpec;
import io.toks.core.hardware.SpecCatalog;
import io.toks.core.manifest.TargetFacts;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineInventoryTest {

    static final SpecCatalog CATALOG = SpecCatalog.builtIn();

    @Test
    void theCpuModelIsMatchedToTheCatalogsCpusOnly() {
        assertThat(MachineInventory.cpuSpec("AMD EPYC 9654 96-Core Processor", CATALOG)).extracting(HardwareSpec::id).isEqualTo("epyc-9654");
        assertThat(MachineInventory.cpuSpec("Intel(R) Xeon(R) Platinum 8480+", CATALOG)).extracting(HardwareSpec::id).isEqualTo("xeon-8480");
        assertThat(MachineInventory.cpuSpec("Intel(R) Xeon(R) Processor", CATALOG)).isNull();
        assertThat(MachineInventory.cpuSpec("NVIDIA L4", CATALOG)).as("a GPU is no CPU's sheet").isNull();
    }

    @Test
    void everyPartIsThereOrSaysWhy(@TempDir Path root) {
        var gpus = NvidiaSmi.query(FakeNvidiaSmi.in(root, "nvidia-smi-h100-l4.csv", null), CATALOG);
        var probes = List.of(new TargetFacts.Hardware.Probe("peak_fma", "Java Vector API FMA, 512-bit, 12 chains", null));
        TargetFacts.Hardware facts = MachineInventory.of(probes, root, gpus, "AMD EPYC 9654 96-Core Processor", CATALOG);
        assertThat(facts.probes()).isEqualTo(probes);
        assertThat(facts.caches()).isEmpty();
        assertThat(facts.cachesMissing()).startsWith("no /sys/devices/system/cpu/cpu0/cache");
        assertThat(facts.numaMissing()).startsWith("no /sys/devices/system/node");
        assertThat(facts.gpus()).hasSize(2);
        assertThat(facts.gpusFrom()).startsWith("nvidia-smi --query-gpu");
        assertThat(facts.gpusMissing()).isNull();
        assertThat(facts.cpuSpec().id()).isEqualTo("epyc-9654");
    }
}
