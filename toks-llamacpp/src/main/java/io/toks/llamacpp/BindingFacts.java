package io.toks.llamacpp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Which llama.cpp the binding on the class path is, and what its CPU code was compiled for here.
 * <p>
 * The binding offers no call that reports its build or instruction sets: llama.cpp prints them
 * in its log ("system info: ... CPU : SSE3 = 1 | ... | AVX2 = 1 | ..."), which toks switches off
 * because it writes to the process's standard error. So they are facts of the binding's release,
 * kept here per platform as that log printed them; BindingFactsTest loads the library with its log
 * on in a child JVM and checks this platform's entry against what it prints. A platform with no
 * entry is reported as unknown, never guessed.
 *
 * @param binding       how toks calls it: {@code de.kherud:llama 4.2.0 (JNI)}
 * @param llamaCppBuild the llama.cpp build the binding bundles ({@code b4916}); null when not known
 * @param platform      the binding's name for this platform's library folder, e.g. {@code Linux/x86_64}
 * @param cpuFeatures   what llama.cpp's system info lists for the CPU backend of that library; empty when not known
 * @param hostAvx512    whether this CPU has AVX-512 (its {@code avx512f} flag); null when not known
 */
public record BindingFacts(String binding, String llamaCppBuild, String platform, List<String> cpuFeatures, Boolean hostAvx512) {

    /** The binding's library folders and file names (its jar has them all; toks's jar leaves some out). */
    private static final List<String> LIBRARIES = List.of("Linux/x86_64/libjllama.so", "Linux/aarch64/libjllama.so",
            "Linux-Android/aarch64/libjllama.so", "Mac/x86_64/libjllama.dylib", "Mac/aarch64/libjllama.dylib",
            "Windows/x86_64/jllama.dll", "Windows/x86/jllama.dll");

    /** The llama.cpp build each binding release bundles (its CMakeLists.txt's GIT_TAG). */
    private static final Map<String, String> LLAMA_CPP_BUILDS = Map.of("4.2.0", "b4916");

    /**
     * The CPU backend's features, as the library's system info printed them, by binding release and
     * platform. The Linux x86_64 library was compiled for the AVX2 generation: no AVX-512 code.
     */
    private static final Map<String, List<String>> CPU_FEATURES = Map.of(
            "4.2.0 Linux/x86_64", List.of("SSE3", "SSSE3", "AVX", "AVX2", "F16C", "FMA", "BMI2", "LLAMAFILE", "OPENMP", "AARCH64_REPACK"));

    public BindingFacts {
        cpuFeatures = List.copyOf(cpuFeatures);
    }

    /** The binding on the class path, on this machine. */
    public static BindingFacts here() {
        String version = bindingVersion();
        String platform = platform(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
        return new BindingFacts("de.kherud:llama " + version + " (JNI)", LLAMA_CPP_BUILDS.get(version), platform,
                CPU_FEATURES.getOrDefault(version + " " + platform, List.of()), hostAvx512(Path.of("/proc/cpuinfo")));
    }

    /** Whether the library is x86 code whose features are known and include no AVX-512. */
    public boolean lacksAvx512() {
        return platform.endsWith("x86_64") && !cpuFeatures.isEmpty() && cpuFeatures.stream().noneMatch(f -> f.startsWith("AVX512"));
    }

    /**
     * One line for a result's kernels field and the table's footer, e.g.
     * "llama.cpp b4916 via de.kherud:llama 4.2.0 (JNI), CPU build AVX2 FMA F16C, no AVX-512".
     */
    public String describe() {
        String build = llamaCppBuild == null ? "llama.cpp (build unknown)" : "llama.cpp " + llamaCppBuild;
        String cpu = cpuFeatures.isEmpty() ? ", CPU build not known for " + platform
                : ", CPU build " + String.join(" ", vectorFeatures()) + (lacksAvx512() ? ", no AVX-512" : "");
        return build + " via " + binding + cpu;
    }

    /** What a reader comparing llama.cpp's figures with toks's must know; empty if nothing. */
    public List<String> notes() {
        if (!lacksAvx512()) return List.of();
        String host = Boolean.TRUE.equals(hostAvx512)
                ? ": this CPU has AVX-512, which a llama.cpp compiled for this machine would use"
                : "";
        return List.of("the binding's " + platform + " library has no AVX-512 code (compiled for AVX2)" + host);
    }

    /** The vector instruction sets among the features (not OPENMP, LLAMAFILE, ...), widest last. */
    private List<String> vectorFeatures() {
        return cpuFeatures.stream().filter(f -> f.startsWith("AVX") || f.equals("FMA") || f.equals("F16C") || f.startsWith("NEON")
                || f.startsWith("SVE") || f.equals("DOTPROD") || f.equals("MATMUL_INT8")).toList();
    }

    /** The platforms whose library is on the class path, e.g. "Linux/x86_64, Mac/aarch64". */
    static String shippedPlatforms() {
        return LIBRARIES.stream().filter(l -> BindingFacts.class.getResource("/de/kherud/llama/" + l) != null)
                .map(l -> l.substring(0, l.lastIndexOf('/'))).collect(java.util.stream.Collectors.joining(", "));
    }

    /** The binding's version from its jar's Maven properties (kept in toks's jar); "unknown" if absent. */
    static String bindingVersion() {
        try (InputStream in = BindingFacts.class.getResourceAsStream("/META-INF/maven/de.kherud/llama/pom.properties")) {
            if (in == null) return "unknown";
            var properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The binding's folder name for an OS and architecture (its OSInfo's mapping, for the platforms it ships). */
    static String platform(String osName, String osArch) {
        String os = osName.startsWith("Windows") ? "Windows"
                : osName.startsWith("Mac") || osName.startsWith("Darwin") ? "Mac"
                : osName.startsWith("Linux") ? "Linux" : osName.replace(' ', '_');
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64", "em64t", "universal" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "x86", "i386", "i486", "i586", "i686", "pentium" -> "x86";
            default -> osArch;
        };
        return os + "/" + arch;
    }

    /** Whether a /proc/cpuinfo lists avx512f; null where there is no such file (not Linux). */
    static Boolean hostAvx512(Path cpuinfo) {
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("flags")) return List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")).contains("avx512f");
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
