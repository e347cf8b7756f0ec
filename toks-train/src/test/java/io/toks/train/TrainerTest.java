package io.toks.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.toks.engine.ModelLoader;
import io.toks.train.checkpoint.GgufCheckpoint;
import io.toks.train.checkpoint.OptimizerStateFile;
import io.toks.train.checkpoint.VocabularyMetadata;
import io.toks.train.data.TextCorpus;
import io.toks.train.data.TokenDataset;
import io.toks.train.model.ModelConfig;
import io.toks.train.model.Parameters;
import io.toks.train.optim.AdamW;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training loop on the shared TinyStories sample with the TinyStories vocabulary (tok512). */
class TrainerTest {

    static final int SEQ = 64;

    static TokenDataset tinyStories() {
        return TokenDataset.of(TextCorpus.read(SharedData.tinyStories()).documents(), ModelLoader.embeddedTokenizer(), 0.1);
    }

    static TrainingSettings tiny(int steps) {
        return new TrainingSettings(ModelConfig.preset("tiny", 512, SEQ, false), 8, SEQ, steps, 3e-3, 3e-4, 10,
                AdamW.Settings.defaults(), 1.0, 1234, 0, 64);
    }

    @Test
    void trainingTinyDrivesTheValidationLossClearlyDown() {
        TokenDataset data = tinyStories();
        TrainingSettings settings = tiny(150);
        var params = new Parameters(settings.model());
        params.initialize(settings.seed());
        List<double[]> validations = new ArrayList<>();
        try (var trainer = new Trainer(settings, params, data, 2)) {
            double before = trainer.validationLoss();
            trainer.train(150, new TrainingListener() {
                @Override public void step(StepRecord step) {}
                @Override public void validation(int step, double loss) { validations.add(new double[] {step, loss}); }
            });
            double after = validations.getLast()[1];
            System.out.printf("tiny on TinyStories: validation loss %.4f -> %.4f after 150 steps%n", before, after);
            assertThat(before).isBetween(Math.log(512) - 0.3, Math.log(512) + 0.3); // a uniform guess at the start
            assertThat(after).isLessThan(before - 1.5);
        }
    }

    /** A learning rate far too high: the run stops at the first non-finite loss with a named error, not NaN statistics. */
    @Test
    void aDivergingRunStopsWithANamedError() {
        TokenDataset data = tinyStories();
        var settings = new TrainingSettings(ModelConfig.preset("tiny", 512, SEQ, false), 8, SEQ, 30, 1e10, 1e9, 0,
                AdamW.Settings.defaults(), 0, 1234, 0, 64);
        var params = new Parameters(settings.model());
        params.initialize(settings.seed());
        List<StepRecord> seen = new ArrayList<>();
        try (var trainer = new Trainer(settings, params, data, 1)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> trainer.train(30, new TrainingListener() {
                @Override public void step(StepRecord step) { seen.add(step); }
                @Override public void validation(int step, double loss) {}
            })).isInstanceOf(io.toks.core.ToksException.class).hasMessageContaining("training diverged at step")
                    .hasMessageContaining("a smaller --lr");
        }
        assertThat(seen).allSatisfy(step -> assertThat(step.loss()).isFinite());
    }

    @Test
    void aRunResumedFromItsCheckpointIsBitIdenticalToAnUninterruptedOne(@TempDir Path dir) {
        TokenDataset data = tinyStories();
        TrainingSettings settings = tiny(12);
        var straight = new Parameters(settings.model());
        straight.initialize(settings.seed());
        List<StepRecord> uninterrupted;
        try (var trainer = new Trainer(settings, straight, data, 1)) {
            uninterrupted = trainer.train(12, TrainingListener.NONE);
        }

        var first = new Parameters(settings.model());
        first.initialize(settings.seed());
        Path checkpoint = dir.resolve("half.gguf");
        try (var trainer = new Trainer(settings, first, data, 1)) {
            trainer.train(5, TrainingListener.NONE);
            GgufCheckpoint.write(checkpoint, "tiny", first, VocabularyMetadata.of(ModelLoader.embeddedTokenizer()), Map.of("step", 5L));
            trainer.optimizerState().write(OptimizerStateFile.beside(checkpoint));
        }
        var loaded = GgufCheckpoint.read(checkpoint);
        var state = OptimizerStateFile.read(OptimizerStateFile.beside(checkpoint));
        List<StepRecord> resumed;
        try (var trainer = new Trainer(TrainingSettings.fromText(state.settings()), loaded.parameters(), data, 1)) {
            trainer.resume(state);
            resumed = trainer.train(12, TrainingListener.NONE);
        }
        assertThat(loaded.trainingFacts()).containsEntry("step", 5L);
        assertThat(resumed).hasSize(7);
        for (int i = 0; i < 7; i++) {
            assertThat(resumed.get(i).step()).isEqualTo(uninterrupted.get(5 + i).step());
            assertThat(resumed.get(i).loss()).as("loss of step %d", 6 + i).isEqualTo(uninterrupted.get(5 + i).loss());
        }
        assertThat(loaded.parameters().values()).isEqualTo(straight.values());
    }
}
