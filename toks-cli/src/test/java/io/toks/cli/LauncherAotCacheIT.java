package io.toks.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher and the JDK's AOT cache (scripts/launcher-lib.sh): it maps a cache only when the
 * cache was made for this JDK, jar and flags; otherwise, or when the JVM refuses the file, toks
 * runs without it and prints the same output. Runs ./toks after package built the jar.
 */
class LauncherAotCacheIT {

    @TempDir
    Path tmp;

    private Path cacheDir;

    private String expectedOutput;

    record Run(int code, String out, String err) {}

    @BeforeEach
    void outputWithoutAnyCache() throws Exception {
        cacheDir = Files.createDirectory(tmp.resolve("aot"));
        Run plain = toks(Map.of("TOKS_AOT", "0"), "tokenize", "hello");
        assertThat(plain.code()).as(plain.err()).isZero();
        assertThat(plain.err()).contains("toks: aot cache: not used (TOKS_AOT=0)");
        expectedOutput = plain.out();
        assertThat(expectedOutput).contains("hello");
    }

    @Test
    void theCacheTheBuildMadeFitsAndIsUsed() throws Exception {
        Path built = ReadmeCommandsIT.root().resolve("toks-cli/target/toks.aot");
        assumeTrue(Files.isRegularFile(built), "the build made no cache (-Dtoks.aot.skip=true)");
        Run run = toksWithEnv(Map.of("TOKS_AOT", "use"), false, "tokenize", "hello");
        assertThat(run.err()).contains("toks: aot cache: used");
        assertThat(run.out()).isEqualTo(expectedOutput);
    }

    @Test
    void noCacheRunsWithoutOneAndUseNeverMakesOne() throws Exception {
        Run run = toks(Map.of("TOKS_AOT", "use"), "tokenize", "hello");
        assertThat(run.err()).contains("toks: aot cache: not used (no cache yet)");
        assertThat(run.out()).isEqualTo(expectedOutput);
        try (var files = Files.list(cacheDir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aCacheMadeForAnotherJdkIsNotMapped() throws Exception {
        String key = currentKey();
        assertThat(key).contains("runtime=");
        Files.writeString(cacheDir.resolve("toks.aot.key"), key.replaceFirst("runtime=\\S+", "runtime=24.0.2+12") + "\n");
        Files.write(cacheDir.resolve("toks.aot"), new byte[4096]);
        Run run = toks(Map.of("TOKS_AOT", "use"), "tokenize", "hello");
        assertThat(run.err()).contains("toks: aot cache: not used (made for another JDK, jar or JVM flags)");
        assertThat(run.out()).isEqualTo(expectedOutput);
    }

    @Test
    void aCacheTheJvmRefusesStillRunsWithCleanOutput() throws Exception {
        // The key fits, the file does not (truncated): the JVM's own check is the second line of defence.
        Files.writeString(cacheDir.resolve("toks.aot.key"), currentKey() + "\n");
        Files.write(cacheDir.resolve("toks.aot"), "not an AOT cache".getBytes(StandardCharsets.US_ASCII));
        Run run = toks(Map.of("TOKS_AOT", "use"), "tokenize", "hello");
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.err()).contains("toks: aot cache: used");
        assertThat(run.out()).as("the JVM's complaint goes to stderr, never into the output").isEqualTo(expectedOutput);
    }

    @Test
    void runUsesC1AloneWhereTheNativeKernelsLoadAndC2ForJavaKernels() throws Exception {
        Run native_ = toks(Map.of("TOKS_AOT", "0"), "run", "-n", "4", "--temperature", "0");
        assertThat(native_.code()).as(native_.err()).isZero();
        List<String> kernels = Files.readAllLines(cacheDir.resolve("toks.kernels"));
        assertThat(kernels).hasSize(2);
        assertThat(kernels.get(1)).isIn("native", "java");
        boolean loads = kernels.get(1).equals("native");
        assertThat(native_.err()).contains(loads ? "toks: jit: c1 only" : "toks: jit: c1 and c2");
        assertThat(native_.out()).as("the JVM's CompileCommand echo stays off stdout").doesNotContain("CompileCommand");
        Run overridden = toks(Map.of("TOKS_AOT", "0", "TOKS_JVM_OPTS", "-XX:CompileCommand=CompileThresholdScaling,io.toks.*::*,1.0"),
                "run", "-n", "4", "--temperature", "0");
        assertThat(overridden.code()).as(overridden.err()).isZero();
        assertThat(overridden.out()).as("a user's CompileCommand is quiet too").doesNotContain("CompileCommand");
        Run java = toks(Map.of("TOKS_AOT", "0"), "run", "-n", "4", "--temperature", "0", "--kernels", "java");
        assertThat(java.err()).as("the Vector API kernels need C2").contains("toks: jit: c1 and c2");
        Run asked = toks(Map.of("TOKS_AOT", "0", "TOKS_JIT", "c2"), "run", "-n", "4", "--temperature", "0");
        assertThat(asked.err()).contains("toks: jit: c1 and c2");
        Run nativeOff = toks(Map.of("TOKS_AOT", "0", "TOKS_JVM_OPTS", "-Dtoks.native=off"), "run", "-n", "4", "--temperature", "0");
        assertThat(nativeOff.err()).as("the probe did not see the user's choice of library").contains("toks: jit: c1 and c2");
        assertThat(toks(Map.of("TOKS_AOT", "0"), "bench", "--help").err()).contains("toks: jit: c1 and c2");
    }

    /** The key the launcher computes for this JDK and jar (scripts/launcher-lib.sh's aot_key). */
    private String currentKey() throws Exception {
        Path root = ReadmeCommandsIT.root();
        Process p = new ProcessBuilder("bash", "-c", "root=\"$1\"; . \"$root/scripts/launcher-lib.sh\"; aot_key \"$(find_jdk25)\"", "key", root.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String key = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return key;
    }

    private Run toks(Map<String, String> env, String... args) throws Exception {
        return toksWithEnv(env, true, args);
    }

    private Run toksWithEnv(Map<String, String> env, boolean scratchCache, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", ReadmeCommandsIT.root().resolve("toks").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "launcher-out", ".txt");
        Path err = Files.createTempFile(tmp, "launcher-err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        pb.environment().put("TOKS_AOT_DEBUG", "1");
        if (scratchCache) pb.environment().put("TOKS_AOT_DIR", cacheDir.toString());
        Process p = pb.start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        // The launcher's own line is written before the JVM starts: complete once the process ends.
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
