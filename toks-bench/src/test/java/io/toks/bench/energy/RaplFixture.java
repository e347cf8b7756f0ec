package io.toks.bench.energy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A powercap folder as Linux lays it out, with counters a test sets and advances. */
final class RaplFixture {

    /** The range of a real package counter (an Intel Xeon's max_energy_range_uj). */
    static final long RANGE = 262_143_328_850L;

    final Path root;

    RaplFixture(Path root) {
        this.root = root;
    }

    /** A zone folder ({@code intel-rapl:0}, {@code intel-rapl:0:0}, ...) with its name and counter. */
    RaplFixture zone(String folder, String name, long microjoules) {
        try {
            Path zone = Files.createDirectories(root.resolve(folder));
            Files.writeString(zone.resolve("name"), name + "\n");
            Files.writeString(zone.resolve("max_energy_range_uj"), RANGE + "\n");
            Files.writeString(zone.resolve("energy_uj"), microjoules + "\n");
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The machine of a two-socket server: two packages, their subzones, a platform zone and an MMIO twin of package 0. */
    static RaplFixture twoSockets(Path root) {
        return new RaplFixture(root)
                .zone("intel-rapl:0", "package-0", 1_000_000)
                .zone("intel-rapl:0:0", "core", 500_000)
                .zone("intel-rapl:0:1", "dram", 200_000)
                .zone("intel-rapl:1", "package-1", 7_000_000)
                .zone("intel-rapl:1:0", "core", 300_000)
                .zone("intel-rapl:2", "psys", 9_000_000)
                .zone("intel-rapl-mmio:0", "package-0", 4_000_000);
    }

    long counter(String folder) {
        try {
            return Long.parseLong(Files.readString(root.resolve(folder).resolve("energy_uj")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Moves a zone's counter on by {@code microjoules}, wrapping at the range as the hardware does. */
    void advance(String folder, long microjoules) {
        set(folder, (counter(folder) + microjoules) % RANGE);
    }

    void set(String folder, long microjoules) {
        try {
            Files.writeString(root.resolve(folder).resolve("energy_uj"), microjoules + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
