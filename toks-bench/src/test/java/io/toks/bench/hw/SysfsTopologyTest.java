package io.toks.bench.hw;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.manifest.TargetFacts.Hardware.Cache;
import io.toks.core.manifest.TargetFacts.Hardware.NumaNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caches and NUMA nodes from fixture folders laid out as Linux's sysfs, and a reason where one is missing or odd. */
class SysfsTopologyTest {

    @TempDir
    Path root;

    private void cache(int index, String level, String type, String size, String shared) throws IOException {
        Path dir = Files.createDirectories(root.resolve(SysfsTopology.CACHES).resolve("index" + index));
        Files.writeString(dir.resolve("level"), level + "\n");
        Files.writeString(dir.resolve("type"), type + "\n");
        Files.writeString(dir.resolve("size"), size + "\n");
        Files.writeString(dir.resolve("shared_cpu_list"), shared + "\n");
    }

    private void node(int n, String cpus, long kb) throws IOException {
        Path dir = Files.createDirectories(root.resolve(SysfsTopology.NODES).resolve("node" + n));
        Files.writeString(dir.resolve("cpulist"), cpus + "\n");
        Files.writeString(dir.resolve("meminfo"), "Node " + n + " MemTotal:       " + kb + " kB\nNode " + n + " MemFree:        1000 kB\n");
    }

    @Test
    void cachesInIndexOrderWithTheirSizes() throws IOException {
        cache(0, "1", "Data", "48K", "0,96");
        cache(1, "1", "Instruction", "32K", "0,96");
        cache(2, "2", "Unified", "2048K", "0,96");
        cache(3, "3", "Unified", "32M", "0-47,96-143");
        cache(10, "4", "Unified", "1G", "0-191"); // numeric, not text, order: index10 after index3
        Files.createDirectories(root.resolve(SysfsTopology.CACHES).resolve("uevent"));
        var found = SysfsTopology.caches(root);
        assertThat(found.missing()).isNull();
        assertThat(found.items()).containsExactly(new Cache(1, "Data", 48 << 10, "0,96"), new Cache(1, "Instruction", 32 << 10, "0,96"),
                new Cache(2, "Unified", 2 << 20, "0,96"), new Cache(3, "Unified", 32L << 20, "0-47,96-143"), new Cache(4, "Unified", 1L << 30, "0-191"));
    }

    @Test
    void numaNodesWithTheirCpusAndMemory() throws IOException {
        node(1, "48-95,144-191", 396_000_000L);
        node(0, "0-47,96-143", 395_000_000L);
        Files.writeString(root.resolve(SysfsTopology.NODES).resolve("online"), "0-1\n");
        var found = SysfsTopology.numaNodes(root);
        assertThat(found.missing()).isNull();
        assertThat(found.items()).containsExactly(new NumaNode(0, "0-47,96-143", 395_000_000L * 1024), new NumaNode(1, "48-95,144-191", 396_000_000L * 1024));
    }

    @Test
    void withoutSysfsEachPartSaysWhy() {
        assertThat(SysfsTopology.caches(root).items()).isEmpty();
        assertThat(SysfsTopology.caches(root).missing()).isEqualTo("no /sys/devices/system/cpu/cpu0/cache (not Linux, or /sys is hidden)");
        assertThat(SysfsTopology.numaNodes(root).missing()).startsWith("no /sys/devices/system/node");
    }

    @Test
    void anOddFileMakesThePartMissingWithTheFileNamed() throws IOException {
        cache(0, "1", "Data", "lots", "0");
        assertThat(SysfsTopology.caches(root).missing()).isEqualTo("cannot read /sys/devices/system/cpu/cpu0/cache: index0/size: 'lots' is not a size");
        Files.delete(root.resolve(SysfsTopology.CACHES).resolve("index0").resolve("type"));
        Files.writeString(root.resolve(SysfsTopology.CACHES).resolve("index0").resolve("size"), "48K");
        assertThat(SysfsTopology.caches(root).missing()).isEqualTo("cannot read /sys/devices/system/cpu/cpu0/cache: no index0/type");
        Path dir = Files.createDirectories(root.resolve(SysfsTopology.NODES).resolve("node0"));
        Files.writeString(dir.resolve("cpulist"), "0-1");
        Files.writeString(dir.resolve("meminfo"), "Node 0 MemFree: 5 kB\n");
        assertThat(SysfsTopology.numaNodes(root).missing()).isEqualTo("cannot read /sys/devices/system/node: node0/meminfo has no MemTotal line");
    }

    @Test
    void thisMachineReadsWhereItIsLinux() {
        var caches = SysfsTopology.caches(Path.of("/"));
        // Either facts or a reason, never both, never neither.
        assertThat(caches.items().isEmpty()).isEqualTo(caches.missing() != null);
        if (Files.isDirectory(Path.of("/sys/devices/system/cpu/cpu0/cache"))) assertThat(caches.items()).isNotEmpty();
    }
}
