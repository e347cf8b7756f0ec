package io.toks.cli;

import static io.toks.cli.CliTest.assertOneLineError;
import static io.toks.cli.CliTest.shared;
import static io.toks.cli.CliTest.toks;
import static org.assertj.core.api.Assertions.assertThat;

import io.toks.core.result.Metric;
import io.toks.core.result.QualityRun;
import io.toks.core.result.ResultJson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** toks perplexity from the command line: the table, references, and one-line errors before any work. */
class PerplexityCliTest {

    static final String TEXT = shared("corpus/tinystories/tinystories_sample.txt").toString();

    @TempDir
    Path tmp;

    @Test
    void theEmbeddedModelIsScoredWithNothingButAText() {
        CliTest.Result r = toks("perplexity", TEXT, "--ctx", "128", "-t", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| stories260K ", "| F32 ", " ± ", "1879 tokens of", "llama.cpp's method")
                .containsPattern("\\|\\s+128 \\|\\s+14 \\|\\s+882 \\|");
    }

    @Test
    void theSameWeightsAsGgufAndAsLlama2cAgree() {
        // stories260K.gguf is llama.cpp's conversion of the llama2.c checkpoint embedded in toks
        CliTest.Result r = toks("perplexity", TEXT, "--ctx", "128", "--chunks", "4", "-t", "1",
                "--reference", shared("models/stories260K/stories260K.gguf").toString(), "-o", "json");
        assertThat(r.code()).as(r.err()).isZero();
        var runs = ResultJson.read(r.out()).runs();
        assertThat(runs).hasSize(2);
        QualityRun reference = (QualityRun) runs.get(0), model = (QualityRun) runs.get(1);
        assertThat(model.perplexity()).isCloseTo(reference.perplexity(), org.assertj.core.data.Offset.offset(1e-4));
        assertThat(model.metric(Metric.KL_DIVERGENCE).mean()).isLessThan(1e-6);
        assertThat(model.metric(Metric.TOP1_AGREEMENT).mean()).isEqualTo(1.0);
        assertThat(model.reference()).endsWith("stories260K.gguf");
    }

    @Test
    void logitsSavedOnceMeasureAnotherPrecisionLater() {
        Path logits = tmp.resolve("f32.logits");
        assertThat(toks("perplexity", TEXT, "--ctx", "64", "--chunks", "5", "-t", "1", "--save-logits", logits.toString()).code()).isZero();
        assertThat(logits).exists();
        CliTest.Result q4 = toks("perplexity", TEXT, "--ctx", "64", "--chunks", "5", "-t", "1", "--types", "q4_0",
                "--kl-from", logits.toString(), "-o", "json");
        assertThat(q4.code()).as(q4.err()).isZero();
        QualityRun run = (QualityRun) ResultJson.read(q4.out()).runs().get(0);
        assertThat(run.metric(Metric.KL_DIVERGENCE).mean()).isPositive();
        assertThat(run.metric(Metric.DELTA_PERPLEXITY)).isNotNull();
        assertOneLineError(toks("perplexity", TEXT, "--ctx", "32", "--chunks", "5", "--kl-from", logits.toString()), 1,
                "was made with --ctx 64");
    }

    @Test
    void benchPutsQualityBesideSpeedInOneTable() {
        CliTest.Result r = toks("bench", "-p", "8", "-n", "4", "-r", "1", "-t", "1", "--warmup", "0", "--jit-warmup-ms", "0", "--no-roofline",
                "--types", "f32,q4_0", "--quality", TEXT, "--quality-ctx", "64");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("speed and quality (64-token chunks; KLD and top-1 against stories260K F32):",
                "pp8 t/s", "tg4 t/s", "(reference)");
        assertThat(r.out().lines().filter(l -> l.startsWith("| stories260K ") && l.contains("| Q4_0 ") && l.endsWith("% |"))).hasSize(1);
        CliTest.Result json = toks("bench", "-p", "8", "-n", "4", "-r", "1", "-t", "1", "--warmup", "0", "--jit-warmup-ms", "0", "--no-roofline",
                "--types", "f32,q4_0", "--quality", TEXT, "--quality-ctx", "64", "-o", "json");
        var runs = ResultJson.read(json.out()).runs();
        assertThat(runs.stream().filter(QualityRun.class::isInstance)).hasSize(2);
        assertOneLineError(toks("bench", "--synthetic", "smollm2-135m:q4_0", "--quality", TEXT), 1, "random weights");
        assertOneLineError(toks("bench", "--quality", TEXT, "--quality-ctx", "4096"), 1, "exceeds stories260K's context of 512");
    }

    @Test
    void aServerScoresTheSameTextToTheSamePerplexity() throws Exception {
        // toks serve, in this process, on the embedded model: its prompt log-probabilities over HTTP
        try (var served = ServeFixture.start()) {
            CliTest.Result remote = toks("perplexity", TEXT, "--ctx", "128", "--chunks", "5", "--url", served.baseUrl(), "-o", "json");
            assertThat(remote.code()).as(remote.err()).isZero();
            CliTest.Result local = toks("perplexity", TEXT, "--ctx", "128", "--chunks", "5", "-t", "1", "-o", "json");
            QualityRun r = (QualityRun) ResultJson.read(remote.out()).runs().get(0), l = (QualityRun) ResultJson.read(local.out()).runs().get(0);
            assertThat(r.modelType()).isEqualTo("server");
            assertThat(r.tokensScored()).isEqualTo(l.tokensScored());
            assertThat(r.perplexity()).isCloseTo(l.perplexity(), org.assertj.core.data.Offset.offset(1e-4 * l.perplexity()));
            assertOneLineError(toks("perplexity", TEXT, "--url", served.baseUrl(), "--types", "q8_0"), 1, "--url scores perplexity only");
        }
        assertOneLineError(toks("perplexity", TEXT, "--ctx", "128", "--url", "http://127.0.0.1:1/v1", "--model", "m"), 1,
                "cannot reach http://127.0.0.1:1/v1/completions: connection refused");
        // a server that streams completions but states no prompt log probabilities
        try (var plain = new io.toks.http.testserver.ScriptedOpenAiServer(n -> io.toks.http.testserver.ResponsePlan.ok(8,
                java.util.List.of(new io.toks.http.testserver.ResponsePlan.Chunk(1_000_000, 1))))) {
            CliTest.Result r = toks("perplexity", TEXT, "--ctx", "128", "--url", plain.baseUrl(), "--model", "m");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err().strip().lines()).hasSize(1);
            assertThat(r.err()).contains("/v1/completions").containsAnyOf("did not return the prompt's log probabilities", "not JSON", "HTTP");
        }
    }

    @Test
    void badInputIsOneLineBeforeAnyWork() throws Exception {
        assertOneLineError(toks("perplexity", "no-such.txt"), 1, "text file not found: no-such.txt");
        Path tiny = Files.writeString(tmp.resolve("tiny.txt"), "Once upon a time.");
        assertOneLineError(toks("perplexity", tiny.toString(), "--ctx", "64"), 1, "needs at least 128");
        assertOneLineError(toks("perplexity", TEXT, "--chunks", "0"), 1, "--chunks must be at least 1");
        assertOneLineError(toks("perplexity", TEXT, "--ctx", "2"), 1, "--ctx must be at least 4");
        assertOneLineError(toks("perplexity", TEXT, "--reference", "a.gguf", "--kl-from", "b.logits"), 1, "not both");
        assertOneLineError(toks("perplexity", TEXT, "--kl-from", "missing.logits"), 1, "--kl-from: no such file");
        assertOneLineError(toks("perplexity", "missing.gguf", TEXT), 1, "model file not found: missing.gguf");
        Path binary = Files.write(tmp.resolve("bin.txt"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertOneLineError(toks("perplexity", binary.toString()), 1, "is not UTF-8 text");
    }
}
