package io.toks.core.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** Reads the facts of the machine and JVM that go into every {@link Manifest}. */
public final class MachineFacts {

    private MachineFacts() {}

    public static Manifest manifest(Map<String, Object> target, Map<String, Object> parameters) {
        Runtime rt = Runtime.getRuntime();
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch");
        String jvm = System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version");
        var compilation = ManagementFactory.getCompilationMXBean();
        String jit = compilation == null ? "none" : compilation.getName();
        Properties build = buildInfo();
        return new Manifest(build.getProperty("version", "unknown"),
                System.getProperty("toks.commit", build.getProperty("commit", "unknown")),
                Instant.now().toString(), cpuModel(), rt.availableProcessors(), memoryBytes(),
                os, jvm, jit, new LinkedHashMap<>(target), new LinkedHashMap<>(parameters));
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
