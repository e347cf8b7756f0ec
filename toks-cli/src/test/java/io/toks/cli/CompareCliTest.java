package io.toks.cli;

import static io.toks.cli.CliTest.toks;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.toks.engine.kernel.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code toks compare} end to end: two real benchmark documents, and the command's errors. */
class CompareCliTest {

    /** Decode of a Q4_0 model of real shape, one thread: the native VNNI kernels against Java's. */
    private static final String[] BENCH = {"bench", "--synthetic", "smollm2-135m:q4_0", "-p", "0", "-n", "16", "-r", "6",
            "-t", "1", "--jit-warmup-ms", "500", "--no-roofline", "-o", "json"};

    @Test
    void nativeKernelsCompareFasterThanJavaAndTheReverseFailsTheGate(@TempDir Path dir) throws IOException {
        boolean required = System.getenv("TOKS_REQUIRE_NATIVE") != null;
        assumeTrue(required || Kernels.support().nativeAvailable(), "native kernels not built here");
        Path java = dir.resolve("java.json"), nativ = dir.resolve("native.json");
        CliTest.Result forward = null;
        // A benchmark on a shared machine: measured again (at most twice more) when a neighbour's
        // load hid the difference; the last attempt's output is what fails.
        for (int attempt = 1; attempt <= 3; attempt++) {
            bench(java, "java");
            bench(nativ, "native");
            forward = toks("compare", java.toString(), nativ.toString());
            if (forward.code() == 0 && forward.out().contains("| faster |")) break;
            System.out.printf("java vs native, attempt %d: no significant difference seen%n%s%n", attempt, forward.out());
        }
        assertThat(forward.code()).as(forward.err()).isZero();
        assertThat(forward.out()).contains("engine runs differ in kernels: A java-", ", B native-")
                .contains("tg16 | decode_tps (tok/s) |").contains("| Welch's t |").contains("| faster |")
                .contains("0 regressions (0 beyond the 0% threshold), 1 improvement");

        // The same two documents the other way round, gated at the forward verdict's own 0%: a
        // significant difference of any size, seen above, is a regression beyond it (a 3% gate would
        // fail here whenever a busy host measured native less than 3% faster).
        CliTest.Result reverse = toks("compare", nativ.toString(), java.toString(), "--threshold", "0%");
        assertThat(reverse.code()).as(reverse.out()).isEqualTo(1);
        assertThat(reverse.out()).contains("| slower (beyond threshold) |");
        assertThat(reverse.err()).isEmpty();
    }

    @Test
    void twoMeterResultsCompareCallByCallAndStepByStep(@TempDir Path dir) throws IOException {
        Path before = MeterDocuments.write(dir.resolve("before.json"), "my-model", 1);
        Path after = MeterDocuments.write(dir.resolve("after.json"), "my-model", 1.25);
        CliTest.Result r = toks("compare", before.toString(), after.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| my-model | output_tps (tok/s) |", "| n=1, no test |")
                .contains("| my-model | decode_tps (tok/s) |").contains("| Welch's t |").contains("| faster |")
                .contains("| my-model | ttft_p50 (ms) |").contains("| bootstrap |").contains("| better |")
                .contains("| my-model | train_tps (tok/s) |");
        assertThat(r.err()).isEmpty();

        CliTest.Result reverse = toks("compare", after.toString(), before.toString(), "--threshold", "3%", "-o", "json");
        assertThat(reverse.code()).isEqualTo(1);
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(reverse.out());
        assertThat(json.get("pairs").get(1).get("kind").asText()).isEqualTo("meter");
        assertThat(json.get("pairs").get(1).get("metric").asText()).isEqualTo("decode_tps");
        assertThat(json.get("pairs").get(1).get("beyond_threshold").asBoolean()).isTrue();
    }

    @Test
    void badInputIsOneLine(@TempDir Path dir) throws IOException {
        Path notJson = Files.writeString(dir.resolve("notes.txt"), "hello");
        CliTest.Result r = toks("compare", notJson.toString(), notJson.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("toks: error: " + notJson + ": not a JSON document: "
                + r.err().strip().substring(r.err().strip().indexOf("document: ") + 10)).doesNotContain("\n");
        assertThat(r.out()).isEmpty();

        CliTest.Result missing = toks("compare", dir.resolve("a.json").toString(), notJson.toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err().strip()).isEqualTo("toks: error: " + dir.resolve("a.json") + ": no such file");

        CliTest.Result metric = toks("compare", notJson.toString(), notJson.toString(), "--metric", "speed");
        assertThat(metric.code()).isEqualTo(1);
        assertThat(metric.err()).startsWith("toks: error: --metric: unknown name 'speed' (known: ppN, tgN, prefill_tps");

        CliTest.Result format = toks("compare", notJson.toString(), notJson.toString(), "-o", "csv");
        assertThat(format.code()).isEqualTo(1);
        assertThat(format.err().strip()).isEqualTo("toks: error: -o/--output: compare writes md or json, not csv");

        CliTest.Result threshold = toks("compare", notJson.toString(), notJson.toString(), "--threshold", "x");
        assertThat(threshold.err().strip()).isEqualTo("toks: error: --threshold: expected a percentage >= 0 such as 3%, not 'x'");

        assertThat(toks("compare", notJson.toString()).code()).as("one file only").isEqualTo(2);
        assertThat(toks("compare", "a", "b", "--alpha=x").code()).isEqualTo(2);
    }

    private static void bench(Path into, String kernels) throws IOException {
        String[] args = java.util.Arrays.copyOf(BENCH, BENCH.length + 2);
        args[BENCH.length] = "--kernels";
        args[BENCH.length + 1] = kernels;
        CliTest.Result r = toks(args);
        assertThat(r.code()).as(r.err()).isZero();
        Files.writeString(into, r.out());
    }
}
