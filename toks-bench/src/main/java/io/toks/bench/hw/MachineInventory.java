package io.toks.bench.hw;

import io.toks.core.hardware.HardwareSpec;
import io.toks.core.hardware.SpecCatalog;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.manifest.TargetFacts;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code toks hw} records about the machine beside its measured limits (the manifest's
 * hardware target): how each limit is measured, cpu0's caches and the NUMA nodes from sysfs, the
 * GPUs from nvidia-smi, and the spec sheets the catalog has for the CPU and each GPU. Read in well
 * under a second; nothing here is measured.
 */
public final class MachineInventory {

    private MachineInventory() {}

    /** This machine, with {@code probes} saying how its limits are measured. */
    public static TargetFacts.Hardware read(List<TargetFacts.Hardware.Probe> probes) {
        return of(probes, Path.of("/"), NvidiaSmi.query(), MachineFacts.cpuModel(), SpecCatalog.builtIn());
    }

    /** The facts under {@code root}, the GPUs {@code gpus} reports, and the catalog's sheet for {@code cpuModel}. */
    static TargetFacts.Hardware of(List<TargetFacts.Hardware.Probe> probes, Path root, NvidiaSmi.Report gpus, String cpuModel,
                                   SpecCatalog catalog) {
        var caches = SysfsTopology.caches(root);
        var nodes = SysfsTopology.numaNodes(root);
        return new TargetFacts.Hardware(probes, caches.items(), caches.missing(), nodes.items(), nodes.missing(),
                gpus.gpus(), gpus.from(), gpus.missing(), cpuSpec(cpuModel, catalog));
    }

    /** The catalog's CPU (or SoC) entry for the model name the OS reports; null when it has none. */
    static HardwareSpec cpuSpec(String cpuModel, SpecCatalog catalog) {
        return catalog.find(cpuModel).filter(s -> s.kind() != HardwareSpec.Kind.GPU).orElse(null);
    }
}
