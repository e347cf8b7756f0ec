package io.toks.train.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.toks.engine.ModelLoader;
import io.toks.engine.model.InferenceSession;
import io.toks.engine.model.TokenLogProbs;
import io.toks.engine.parallel.WorkerPool;
import io.toks.tokenizer.ByteLevelBpeFiles;
import io.toks.tokenizer.Tokenizer;
import io.toks.train.SharedData;
import io.toks.train.model.ModelConfig;
import io.toks.train.model.Parameters;
import io.toks.train.model.Transformer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GGUF checkpoints: the engine runs the file to the same next-token log-probabilities as the
 * trainer's forward pass (batched prefill included), the vocabulary survives (SentencePiece and
 * byte-level BPE), the weights read back bit for bit, and a damaged optimizer state is named.
 */
class CheckpointTest {

    @TempDir
    Path dir;

    @Test
    void theEngineComputesTheTrainersLogProbabilitiesOnTheExportedFile() {
        // dim 256: the engine prefills in batches at this width, so both of its paths are compared
        for (var config : new ModelConfig[] {new ModelConfig(64, 96, 2, 4, 2, 512, 48, 10000f, 1e-5f, false),
                new ModelConfig(256, 160, 1, 4, 1, 512, 48, 10000f, 1e-5f, true)}) {
            Parameters params = random(config, 5);
            Path file = dir.resolve("m" + config.dim() + ".gguf");
            GgufCheckpoint.write(file, "test", params, VocabularyMetadata.of(ModelLoader.embeddedTokenizer()), Map.of());
            int seq = 48;
            int[] in = new int[seq], target = new int[seq];
            var random = new SplittableRandom(3);
            for (int i = 0; i < seq; i++) {
                in[i] = random.nextInt(512);
                target[i] = random.nextInt(512);
            }
            float[] trainer;
            try (var pool = new WorkerPool(1)) {
                var model = new Transformer(params, pool, 1, seq);
                model.loss(in, target);
                trainer = model.positionLosses().clone();
            }
            var engine = ModelLoader.load(file, null);
            try (var pool = new WorkerPool(1)) {
                // an F32 KV cache: the trainer computes in floats, and this checks the engine computes the same function
                // (the default F16 cache moved a log probability by more than 2e-3)
                var session = new InferenceSession(engine, pool, seq, io.toks.core.estimate.KvCacheType.F32);
                session.score(in, (j, logits) -> assertThat(-TokenLogProbs.logProb(logits, target[j]))
                        .as("position %d, dim %d", j, config.dim()).isCloseTo(trainer[j], org.assertj.core.data.Offset.offset(2e-3)));
            }
        }
    }

    @Test
    void weightsShapesAndFactsReadBackExactly() {
        var config = new ModelConfig(32, 64, 2, 4, 2, 512, 16, 10000f, 1e-5f, true);
        Parameters params = random(config, 9);
        Path file = dir.resolve("m.gguf");
        GgufCheckpoint.write(file, "test", params, VocabularyMetadata.of(ModelLoader.embeddedTokenizer()), Map.of("step", 12L, "tokenizer", "tok512"));
        var loaded = GgufCheckpoint.read(file);
        assertThat(loaded.parameters().config()).isEqualTo(config);
        assertThat(loaded.parameters().values()).isEqualTo(params.values());
        assertThat(loaded.trainingFacts()).containsEntry("step", 12L).containsEntry("tokenizer", "tok512");
    }

    @Test
    void aGpt2VocabularyGoesIntoTheFileAndTokenizesTheSame() throws IOException {
        Tokenizer gpt2 = ByteLevelBpeFiles.gpt2(SharedData.path("tokenizers/gpt2/encoder.json"), SharedData.path("tokenizers/gpt2/vocab.bpe"));
        var config = new ModelConfig(8, 16, 1, 2, 1, gpt2.vocabularySize(), 8, 10000f, 1e-5f, true);
        Path file = dir.resolve("gpt2.gguf");
        GgufCheckpoint.write(file, "test", random(config, 1), VocabularyMetadata.of(gpt2), Map.of());
        var engine = ModelLoader.load(file, null);
        String text = "The quick brown fox jumps over 13 lazy dogs.";
        assertThat(engine.tokenizer().encode(text, false, false)).containsExactly(gpt2.encode(text, false, false));
        assertThat(engine.info().addsBos()).isTrue();
    }

    @Test
    void aTruncatedOptimizerStateIsNamed() throws IOException {
        Path file = dir.resolve("m.gguf.optimizer");
        new OptimizerStateFile(3, "a=1\n", new float[] {1, 2, 3}, new float[] {4, 5, 6}).write(file);
        var back = OptimizerStateFile.read(file);
        assertThat(back.step()).isEqualTo(3);
        assertThat(back.firstMoments()).containsExactly(1, 2, 3);
        assertThat(back.secondMoments()).containsExactly(4, 5, 6);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length - 5));
        assertThatThrownBy(() -> OptimizerStateFile.read(file)).hasMessageContaining("file ends inside moments");
        Files.writeString(file, "not a state file at all");
        assertThatThrownBy(() -> OptimizerStateFile.read(file)).hasMessageContaining("bad magic");
        assertThatThrownBy(() -> OptimizerStateFile.read(dir.resolve("none"))).hasMessageContaining("no optimizer state");
    }

    static Parameters random(ModelConfig config, long seed) {
        var params = new Parameters(config);
        var random = new SplittableRandom(seed);
        for (Parameters.Tensor t : params.tensors()) {
            for (int i = 0; i < t.size(); i++) {
                params.values()[t.offset() + i] = (float) (t.decays() ? random.nextDouble(-0.2, 0.2) : random.nextDouble(0.8, 1.2));
            }
        }
        return params;
    }
}
