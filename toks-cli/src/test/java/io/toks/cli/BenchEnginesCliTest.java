package io.toks.cli;

import static io.toks.cli.CliTest.assertOneLineError;
import static io.toks.cli.CliTest.shared;
import static io.toks.cli.CliTest.toks;
import static org.assertj.core.api.Assertions.assertThat;

import io.toks.cli.CliTest.Result;
import io.toks.core.manifest.TargetFacts;
import io.toks.core.result.EngineRun;
import io.toks.core.result.ResultDocument;
import io.toks.core.result.ResultJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** toks bench --engine toks,llamacpp: both engines on the same tests, side by side. */
class BenchEnginesCliTest {

    static final String GGUF = shared("models/stories260K/stories260K.gguf").toString();
    static final String[] QUICK = {"-p", "16", "-n", "8", "-r", "2", "-t", "1", "--warmup", "0", "--jit-warmup-ms", "0", "--no-roofline"};

    static Result bench(String... args) {
        List<String> all = new ArrayList<>(List.of("bench"));
        all.addAll(List.of(args));
        return toks(all.toArray(String[]::new));
    }

    static String[] with(String[] base, String... more) {
        List<String> all = new ArrayList<>(List.of(base));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void bothEnginesGetARowPerTestAndARatioPerTest() {
        Result r = bench(with(QUICK, GGUF, "--engine", "toks,llamacpp"));
        assertThat(r.code()).as(r.err()).isZero();
        List<String> rows = r.out().lines().filter(l -> l.startsWith("| stories260K")).toList();
        assertThat(rows).hasSize(2 + 2 + 2); // pp16 and tg8: a toks row, a llama.cpp row, a ratio row each
        assertThat(rows.get(0)).containsPattern("\\| (java|native) +\\|").contains("pp16");
        assertThat(rows.get(2)).contains("| llama.cpp |", "pp16");
        assertThat(r.out()).contains("llama.cpp: build b4916 through de.kherud:llama 4.2.0 (JNI)", "toks / llama.cpp, test by test",
                "llama.cpp rows: the same tests");
        if (System.getProperty("os.arch").equals("amd64")) assertThat(r.out()).contains("no AVX-512");
        assertThat(r.err()).doesNotContain("llama_", "gguf_", "Extracted"); // nothing of llama.cpp's own output
    }

    @Test
    void theJsonDocumentCarriesBothEnginesRunsAndReadsBack() {
        Result r = bench(with(QUICK, GGUF, "--engine", "toks,llamacpp", "-o", "json"));
        assertThat(r.code()).as(r.err()).isZero();
        ResultDocument doc = ResultJson.read(r.out());
        assertThat(doc.runs(EngineRun.class)).extracting(run -> run.engine() + " " + run.name())
                .containsExactly("toks-java pp16", "toks-java tg8", "llama.cpp pp16", "llama.cpp tg8");
        var target = (TargetFacts.Engine) doc.manifest().target();
        assertThat(target.externalEngines()).singleElement().satisfies(e -> {
            assertThat(e.engine()).isEqualTo("llama.cpp");
            assertThat(e.version()).isEqualTo("b4916");
        });
        assertThat(doc.manifest().parameters().get("engines")).isEqualTo(List.of("toks", "llamacpp"));
        assertThat(ResultJson.write(ResultJson.read(ResultJson.write(doc)))).isEqualTo(ResultJson.write(doc));
    }

    @Test
    void llamaCppAloneHasNoToksRows() {
        Result r = bench(with(QUICK, GGUF, "--engine", "llamacpp"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("| stories260K"))).hasSize(2).allMatch(l -> l.contains("| llama.cpp |"));
        assertThat(r.out()).doesNotContain("toks / llama.cpp");
    }

    @Test
    void unknownEnginesAndWhatLlamaCppCannotReadAreOneLine(@TempDir Path tmp) {
        assertOneLineError(bench("--engine", "foo"), 1, "unknown engine 'foo' (engines: toks, llamacpp)");
        assertOneLineError(bench("--engine", "llamacpp"), 1, "needs a GGUF model file", "embedded stories260K is a llama2.c model");
        assertOneLineError(bench("--engine", "toks,llamacpp", "--synthetic", "smollm2-135m:q4_0"), 1, "--synthetic", "toks synth");
        assertOneLineError(bench("--engine", "llamacpp", GGUF, "--types", "q8_0"), 1, "--types converts in memory", "toks quantize");
        assertOneLineError(bench("--engine", "llamacpp", GGUF, "-d", "16"), 1, "empty context only");
        assertOneLineError(bench("--engine", "llamacpp", shared("models/stories260K/stories260K.bin").toString(), "-p", "8", "-n", "0"),
                1, "stories260K.bin is llama2.c");
        for (var r : List.of(bench("--engine", "foo"), bench("--engine", "llamacpp"))) assertThat(r.out()).isEmpty();
    }

    /**
     * Where the binding has no native library (simulated in a JVM of its own with the binding's
     * architecture override), toks bench --engine llamacpp says so in one line, before any table.
     */
    @Test
    void aPlatformWithoutTheNativeLibraryIsOneLine() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Dde.kherud.llama.osinfo.architecture=riscv64", "-cp", System.getProperty("java.class.path"),
                Toks.class.getName(), "bench", GGUF, "--engine", "toks,llamacpp", "-p", "8", "-n", "0");
        Path out = Files.createTempFile("toks-out", ".txt");
        Path err = Files.createTempFile("toks-err", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String stderr = Files.readString(err, StandardCharsets.UTF_8).lines()
                    // the JVM's notice of the incubator module, and SLF4J's of no logger on the test class path (not in toks's jar)
                    .filter(l -> !l.startsWith("WARNING: Using incubator modules") && !l.startsWith("SLF4J(W)"))
                    .reduce("", (a, b) -> a + b + "\n");
            assertOneLineError(new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), stderr), 1,
                    "llama.cpp cannot run here", "riscv64");
            assertThat(Files.readString(out)).isEmpty();
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
