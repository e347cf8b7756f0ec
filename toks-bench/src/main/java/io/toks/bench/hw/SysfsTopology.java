package io.toks.bench.hw;

import io.toks.core.manifest.TargetFacts.Hardware.Cache;
import io.toks.core.manifest.TargetFacts.Hardware.NumaNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * cpu0's caches and the NUMA nodes as Linux lists them under {@code /sys}, read below a root
 * ({@code /} on a live system, a folder of fixture files in tests). Where a part cannot be read
 * (not Linux, a container hiding /sys, a file in an unknown form) it is empty with the reason:
 * these are facts to report, and a wrong one is worse than none.
 */
public final class SysfsTopology {

    static final String CACHES = "sys/devices/system/cpu/cpu0/cache";
    static final String NODES = "sys/devices/system/node";

    private static final Pattern INDEX = Pattern.compile("index(\\d+)");
    private static final Pattern NODE = Pattern.compile("node(\\d+)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMG]?)");
    private static final Pattern MEM_TOTAL = Pattern.compile("Node\\s+\\d+\\s+MemTotal:\\s+(\\d+)\\s*kB");

    /** What was found, or why nothing was: exactly one of {@code items} non-empty and {@code missing} non-null. */
    public record Found<T>(List<T> items, String missing) {
        public Found {
            items = List.copyOf(items);
        }

        static <T> Found<T> none(String why) {
            return new Found<>(List.of(), why);
        }
    }

    private SysfsTopology() {}

    /** cpu0's caches, in the kernel's index order (L1 data, L1 instruction, L2, L3, ...). */
    public static Found<Cache> caches(Path root) {
        Path dir = root.resolve(CACHES);
        if (!Files.isDirectory(dir)) return Found.none("no /" + CACHES + " (not Linux, or /sys is hidden)");
        try {
            List<Cache> caches = new ArrayList<>();
            for (Path index : numbered(dir, INDEX)) {
                caches.add(new Cache(Integer.parseInt(read(index.resolve("level"))), read(index.resolve("type")),
                        sizeBytes(index.resolve("size")), read(index.resolve("shared_cpu_list"))));
            }
            return caches.isEmpty() ? Found.none("/" + CACHES + " lists no caches") : new Found<>(caches, null);
        } catch (IOException | IllegalArgumentException e) {
            return Found.none("cannot read /" + CACHES + ": " + why(e, dir));
        }
    }

    /** The NUMA nodes, by number. */
    public static Found<NumaNode> numaNodes(Path root) {
        Path dir = root.resolve(NODES);
        if (!Files.isDirectory(dir)) return Found.none("no /" + NODES + " (not Linux, or a kernel without NUMA)");
        try {
            List<NumaNode> nodes = new ArrayList<>();
            for (Path node : numbered(dir, NODE)) {
                nodes.add(new NumaNode(number(node, NODE), read(node.resolve("cpulist")), memTotal(node.resolve("meminfo"))));
            }
            return nodes.isEmpty() ? Found.none("/" + NODES + " lists no nodes") : new Found<>(nodes, null);
        } catch (IOException | IllegalArgumentException e) {
            return Found.none("cannot read /" + NODES + ": " + why(e, dir));
        }
    }

    /** The entries of {@code dir} named like {@code pattern} (prefix + number), by number. */
    private static List<Path> numbered(Path dir, Pattern pattern) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> pattern.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt(p -> number(p, pattern))).toList();
        }
    }

    private static int number(Path p, Pattern pattern) {
        Matcher m = pattern.matcher(p.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The failure in a line, a missing file named below {@code dir}. */
    private static String why(Exception e, Path dir) {
        if (e instanceof java.nio.file.NoSuchFileException missing) return "no " + dir.relativize(Path.of(missing.getFile()));
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).strip();
    }

    /** A cache size as the kernel writes it: {@code 48K}, {@code 2048K}, {@code 32M}. */
    static long sizeBytes(Path file) throws IOException {
        String text = read(file);
        Matcher m = SIZE.matcher(text.toUpperCase(Locale.ROOT));
        if (!m.matches()) throw new IllegalArgumentException(file.getParent().getFileName() + "/size: '" + text + "' is not a size");
        long shift = switch (m.group(2)) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            default -> 0;
        };
        return Long.parseLong(m.group(1)) << shift;
    }

    /** MemTotal from a node's meminfo ({@code Node 0 MemTotal:  4155164 kB}). */
    private static long memTotal(Path meminfo) throws IOException {
        for (String line : Files.readAllLines(meminfo)) {
            Matcher m = MEM_TOTAL.matcher(line.strip());
            if (m.matches()) return Long.parseLong(m.group(1)) * 1024;
        }
        throw new IllegalArgumentException(meminfo.getParent().getFileName() + "/meminfo has no MemTotal line");
    }
}
