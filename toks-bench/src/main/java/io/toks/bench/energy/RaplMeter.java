package io.toks.bench.energy;

import io.toks.core.events.Clock;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * RAPL energy counters of the CPU packages, as Linux's powercap framework exposes them (Intel,
 * and AMD since Linux 5.11): {@code intel-rapl:N/energy_uj}, microjoules since an arbitrary
 * start, wrapping to 0 after {@code max_energy_range_uj}.
 * <p>
 * Only the top-level zones named {@code package-N} are read: their subzones ({@code core},
 * {@code uncore}, {@code dram} as {@code intel-rapl:N:M}) are parts of the package, and a
 * top-level {@code psys} zone (the whole platform) contains the packages; adding either would
 * count the same joules twice.
 * <p>
 * A counter wraps within minutes at full load (about 262 kJ: 22 minutes at 200 W), so every read
 * adds the distance travelled since the previous one into a running total, and a background
 * thread reads every {@link #POLL_SECONDS} seconds while the meter is in use: a span of any
 * length sees every wrap.
 */
final class RaplMeter implements EnergyMeter {

    /** Reads between spans; a wrap is missed only if a package draws its whole range in this time (over 20 kW). */
    static final int POLL_SECONDS = 10;

    private static final Pattern TOP_LEVEL_ZONE = Pattern.compile("intel-rapl:\\d+");

    /** Reads a counter file; tests substitute one that fails or moves on its own. */
    @FunctionalInterface
    interface CounterReader {
        String read(Path file) throws IOException;

        CounterReader FILES = Files::readString;
    }

    /**
     * One package counter.
     *
     * @param name       the zone's name, {@code package-0}
     * @param counter    its {@code energy_uj}
     * @param rangeMicro its {@code max_energy_range_uj}: where the counter wraps to 0
     */
    record Zone(String name, Path counter, long rangeMicro) {}

    private final List<Zone> zones;
    private final Clock clock;
    private final CounterReader reader;
    private final long[] lastRaw;
    private long totalMicrojoules;
    private Thread poller;
    private volatile String failure;

    RaplMeter(List<Zone> zones, Clock clock, CounterReader reader) throws IOException {
        this.zones = List.copyOf(zones);
        this.clock = clock;
        this.reader = reader;
        this.lastRaw = new long[zones.size()];
        for (int i = 0; i < lastRaw.length; i++) lastRaw[i] = raw(zones.get(i));
    }

    /** The package zones under {@code root}, or an unavailable meter saying why there are none to read. */
    static EnergyMeter detect(Path root, Clock clock) {
        return detect(root, clock, CounterReader.FILES);
    }

    static EnergyMeter detect(Path root, Clock clock, CounterReader reader) {
        try (Stream<Path> entries = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            List<Path> topLevel = entries.filter(p -> TOP_LEVEL_ZONE.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(RaplMeter::zoneNumber)).toList();
            List<Zone> zones = new ArrayList<>();
            for (Path zone : topLevel) {
                String name = reader.read(zone.resolve("name")).strip();
                if (!name.startsWith("package")) continue;
                zones.add(new Zone(name, zone.resolve("energy_uj"), number(reader, zone.resolve("max_energy_range_uj"))));
            }
            if (zones.isEmpty()) return EnergyMeter.unavailable("no RAPL counters under " + root);
            return new RaplMeter(zones, clock, reader);
        } catch (AccessDeniedException e) {
            // Since Linux 5.10 energy_uj is root's only (a side channel on what the CPU computes).
            return EnergyMeter.unavailable("RAPL counters under " + root + " are readable only by root (permission denied: "
                    + relative(root, e.getFile()) + ")");
        } catch (FileSystemException e) {
            return EnergyMeter.unavailable("cannot read RAPL counter " + relative(root, e.getFile()) + ": "
                    + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason()));
        } catch (IOException e) {
            return EnergyMeter.unavailable("cannot read RAPL counters under " + root + ": " + e.getMessage());
        }
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public String source() {
        return "RAPL " + zones.stream().map(Zone::name).collect(Collectors.joining("+"));
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public String failure() {
        return failure;
    }

    @Override
    public Span start() {
        startPolling();
        long startMicro = totalMicrojoules(), startNanos = clock.nanoTime();
        return () -> {
            long endMicro = totalMicrojoules(), endNanos = clock.nanoTime();
            double seconds = (endNanos - startNanos) / 1e9;
            return new EnergyReading(endMicro < 0 || startMicro < 0 ? Double.NaN : (endMicro - startMicro) / 1e6, seconds);
        };
    }

    /**
     * Microjoules drawn by all packages since this meter was made; -1 once a counter cannot be
     * read (a figure with a hole in it would look plausible and be wrong).
     */
    synchronized long totalMicrojoules() {
        if (failure != null) return -1;
        try {
            for (int i = 0; i < zones.size(); i++) {
                long raw = raw(zones.get(i));
                totalMicrojoules += advance(lastRaw[i], raw, zones.get(i).rangeMicro());
                lastRaw[i] = raw;
            }
            return totalMicrojoules;
        } catch (IOException e) {
            failure = "RAPL counters stopped reading: " + e.getMessage();
            return -1;
        }
    }

    /** How far a counter moved from {@code before} to {@code after}, across one wrap at {@code range}. */
    static long advance(long before, long after, long range) {
        return after >= before ? after - before : range - before + after;
    }

    private long raw(Zone zone) throws IOException {
        return number(reader, zone.counter());
    }

    private static long number(CounterReader reader, Path file) throws IOException {
        String text = reader.read(file).strip();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IOException(file.getFileName() + " holds '" + text + "', not a count of microjoules");
        }
    }

    private synchronized void startPolling() {
        if (poller != null) return;
        poller = Thread.ofPlatform().daemon().name("toks-rapl-poll").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(POLL_SECONDS * 1000L);
                    totalMicrojoules();
                }
            } catch (InterruptedException e) {
                // closed
            }
        });
    }

    @Override
    public synchronized void close() {
        if (poller != null) poller.interrupt();
        poller = null;
    }

    private static int zoneNumber(Path zone) {
        String name = zone.getFileName().toString();
        return Integer.parseInt(name.substring(name.indexOf(':') + 1));
    }

    private static String relative(Path root, String file) {
        if (file == null) return root.toString();
        Path p = Path.of(file);
        return p.startsWith(root) ? root.relativize(p).toString() : file;
    }
}
