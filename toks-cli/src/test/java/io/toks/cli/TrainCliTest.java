package io.toks.cli;

import static io.toks.cli.CliTest.assertOneLineError;
import static io.toks.cli.CliTest.shared;
import static io.toks.cli.CliTest.toks;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.toks.core.result.ResultJson;
import io.toks.core.result.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code toks train} and {@code toks bench-train} end to end, on the shared TinyStories sample. */
class TrainCliTest {

    @org.junit.jupiter.api.BeforeAll
    static void loadSchema() throws IOException {
        ResultDocumentTest.loadSchema();
    }

    static String stories() {
        return shared("corpus/tinystories").toString();
    }

    @Test
    void trainsSavesAModelTheOtherCommandsLoadAndResumesIt(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("tiny.gguf");
        var first = toks("train", "--data", stories(), "--seq", "32", "--batch", "4", "--steps", "24", "--eval-every", "6", "-t", "1",
                "--checkpoint-every", "10", "-o", model.toString(), "-o", "json", "--no-history", "--progress", "none");
        JsonNode doc = ResultDocumentTest.checked(first, "train");
        TrainingRun run = ResultJson.read(first.out()).runs(TrainingRun.class).getFirst();
        assertThat(run.lastStep()).isEqualTo(24);
        assertThat(run.lossCurve()).hasSize(24);
        assertThat(run.tokensPerStep()).isEqualTo(128);
        assertThat(run.flopsFormula()).startsWith("6·N + 12·L·H·Q·T");
        assertThat(doc.get("runs").get(0).get("metrics").fieldNames()).toIterable().contains("train_tps", "mfu", "train_loss", "validation_loss");
        assertThat(run.lossCurve().stream().filter(p -> !Double.isNaN(p.validationLoss())).count()).isEqualTo(4);
        assertThat(Files.size(model)).isPositive();
        assertThat(Files.exists(dir.resolve("tiny.gguf.optimizer"))).isTrue();

        var generated = toks("run", model.toString(), "-p", "Once upon a time", "-n", "8", "-t", "1");
        assertThat(generated.code()).as(generated.err()).isZero();
        assertThat(generated.out()).startsWith("Once upon a time");

        var resumed = toks("train", "--resume", model.toString(), "--data", stories(), "--steps", "30", "-t", "1", "-o", "json",
                "--no-history", "--progress", "none");
        TrainingRun more = ResultJson.read(ResultDocumentTest.checked(resumed, "train").toString()).runs(TrainingRun.class).getFirst();
        assertThat(more.firstStep()).isEqualTo(24);
        assertThat(more.lastStep()).isEqualTo(30);
    }

    @Test
    void theTablePrintsTheFormulaTheWarmUpAndTheEpoch() {
        var r = toks("train", "--data", stories(), "--seq", "32", "--batch", "2", "--steps", "12", "-t", "1", "--no-history", "--progress", "none");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| tiny ", "train tok/s", "warm-up", "FLOPs/token = 6·N + 12·L·H·Q·T", "MFU = FLOPs/token x tok/s",
                "validation loss", "one epoch = ");
    }

    @Test
    void estimateTimesAFewStepsAndAnswersForATokenCount() {
        var r = toks("train", "--estimate", "--data", stories(), "--seq", "32", "--batch", "2", "--tokens", "10B", "-t", "1",
                "--no-history", "--progress", "none");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("| estimate ", "one epoch = ", "10.00 B tokens = ");
    }

    @Test
    void benchTrainPrintsARowPerConfiguration() throws IOException {
        var r = toks("bench-train", "--preset", "tiny", "--batch", "2", "--seq", "16,32", "--steps", "4", "-t", "1", "-o", "json",
                "--no-history", "--progress", "none");
        JsonNode doc = ResultDocumentTest.checked(r, "bench-train");
        assertThat(doc.get("runs")).hasSize(2);
        assertThat(doc.get("runs").get(1).get("name").asText()).isEqualTo("tiny b2 s32 t1");
        assertThat(doc.get("runs").get(1).get("timing_warmup_steps").asInt()).isEqualTo(3);
    }

    @Test
    void badInputGetsOneLine(@TempDir Path dir) {
        assertOneLineError(toks("train", "--data", dir.resolve("none").toString()), Toks.EXIT_ERROR, "--data: no such file or directory");
        assertOneLineError(toks("train", "--data", stories(), "--preset", "huge"), Toks.EXIT_ERROR, "unknown preset 'huge'");
        assertOneLineError(toks("train", "--data", stories(), "--dim", "32"), Toks.EXIT_ERROR, "shape a --preset custom model");
        assertOneLineError(toks("train", "--data", stories(), "--preset", "custom", "--dim", "36", "--layers", "1", "--heads", "4"),
                Toks.EXIT_ERROR, "head size");
        assertOneLineError(toks("train", "--data", stories(), "--tokens", "1B"), Toks.EXIT_ERROR, "--tokens goes with --estimate");
        assertOneLineError(toks("train", "--data", stories(), "--checkpoint-every", "5"), Toks.EXIT_ERROR, "--checkpoint-every saves to -o FILE.gguf");
        assertOneLineError(toks("train", "--data", stories(), "-o", "yaml"), Toks.EXIT_ERROR, "-o/--output takes FILE.gguf or md, json, jsonl");
        assertOneLineError(toks("train", "--data", stories(), "--seq", "4096", "--progress", "none", "--no-history"), Toks.EXIT_ERROR,
                "the training split has");
        assertOneLineError(toks("train", "--data", stories(), "--tokenizer", "cl100k", "-o", dir.resolve("m.gguf").toString(), "--steps", "2",
                "--seq", "16", "--progress", "none", "--no-history"), Toks.EXIT_ERROR, "cannot be written into a GGUF");
        assertOneLineError(toks("train", "--resume", dir.resolve("none.gguf").toString(), "--data", stories()), Toks.EXIT_ERROR, "none.gguf");
        // terabytes of activations: more than any heap, refused before anything is allocated
        assertOneLineError(toks("train", "--data", stories(), "--batch", "10000000", "--seq", "64", "--progress", "none", "--no-history"),
                Toks.EXIT_ERROR, "training needs about", "a smaller --batch or --seq");
    }
}
