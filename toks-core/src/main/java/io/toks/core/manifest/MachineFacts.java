package io.toks.core.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;

/** Reads the facts of the machine and JVM that go into every {@link Manifest}. */
public final class MachineFacts {

    private MachineFacts() {}

    /** A manifest of this machine, this JVM and this toks build, started now. */
    public static Manifest manifest(TargetFacts target, Map<String, Object> parameters) {
        Properties build = buildInfo();
        var toks = new Manifest.ToksBuild(build.getProperty("version", "unknown"),
                System.getProperty("toks.commit", build.getProperty("commit", "unknown")));
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch");
        var machine = new Manifest.Machine(cpuModel(), Runtime.getRuntime().availableProcessors(), memoryBytes(), os, hostName());
        var compilation = ManagementFactory.getCompilationMXBean();
        var jvm = new Manifest.Jvm(System.getProperty("java.vm.vendor"), System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), compilation == null ? "none" : compilation.getName(), vectorBits());
        return new Manifest(toks, Instant.now().toString(), machine, jvm, target, parameters);
    }

    /** The version of toks, from the build. */
    public static String toksVersion() {
        return buildInfo().getProperty("version", "unknown");
    }

    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc is hidden: fall through to the JVM's coarser answer.
        }
        return System.getProperty("os.arch");
    }

    /**
     * The Vector API's preferred float width, read reflectively: toks-core must load without the
     * incubator module (library users need not add it), and then there is no width to report.
     */
    public static int vectorBits() {
        try {
            Object species = Class.forName("jdk.incubator.vector.FloatVector").getField("SPECIES_PREFERRED").get(null);
            // Through the public interface: the species' own class is package-private.
            return (int) Class.forName("jdk.incubator.vector.VectorSpecies").getMethod("vectorBitSize").invoke(species);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return 0;
        }
    }

    /**
     * This machine's name: HOSTNAME when the shell exports it, else the kernel's (Linux: no DNS
     * lookup, which can hang on a badly configured host), else the JVM's; null when none answers
     * (the name is a label, never needed to measure).
     */
    public static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env.strip();
        try {
            String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!kernel.isEmpty()) return kernel;
        } catch (IOException | RuntimeException e) {
            // Not Linux: ask the JVM.
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    public static long memoryBytes() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return -1;
    }

    private static Properties buildInfo() {
        Properties p = new Properties();
        try (InputStream in = MachineFacts.class.getResourceAsStream("/toks-build.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // A missing build stamp only costs the version in the manifest.
        }
        return p;
    }
}
