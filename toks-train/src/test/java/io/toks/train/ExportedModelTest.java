package io.toks.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import io.toks.bench.quality.PerplexityPlan;
import io.toks.bench.quality.QualityBench;
import io.toks.core.events.Clock;
import io.toks.core.events.TokenEvents;
import io.toks.engine.Generator;
import io.toks.engine.ModelLoader;
import io.toks.engine.model.InferenceSession;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.model.TokenLogProbs;
import io.toks.engine.parallel.WorkerPool;
import io.toks.engine.sampling.GreedySampler;
import io.toks.train.checkpoint.GgufCheckpoint;
import io.toks.train.checkpoint.VocabularyMetadata;
import io.toks.train.data.TokenDataset;
import io.toks.train.data.ValidationWindows;
import io.toks.train.model.Parameters;
import io.toks.train.model.Transformer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model trained here and exported as GGUF, run by the engine: it loads with its vocabulary,
 * generates text, and scores the validation tokens as the trainer does. The engine's perplexity
 * equals exp(validation loss) on the same windows, and the perplexity tool's (llama.cpp's method:
 * chunks opened by BOS, second halves scored) equals the trainer's on the same chunks.
 */
class ExportedModelTest {

    @TempDir
    static Path dir;
    static TokenDataset data;
    static Parameters params;
    static double validationLoss;
    static LlamaModel engine;

    @BeforeAll
    static void trainTinyAndExport() {
        data = TrainerTest.tinyStories();
        TrainingSettings settings = TrainerTest.tiny(150);
        params = new Parameters(settings.model());
        params.initialize(settings.seed());
        try (var trainer = new Trainer(settings, params, data, 2)) {
            trainer.train(150, TrainingListener.NONE);
            validationLoss = trainer.validationLoss();
        }
        Path file = dir.resolve("tiny.gguf");
        GgufCheckpoint.write(file, "tiny", params, VocabularyMetadata.of(ModelLoader.embeddedTokenizer()), Map.of("step", 150L));
        engine = ModelLoader.load(file, null);
    }

    @Test
    void theEngineLoadsTheShapesAndVocabulary() {
        assertThat(engine.config()).isEqualTo(params.config().llamaConfig());
        String text = "Once upon a time, there was a little girl.";
        assertThat(engine.tokenizer().encode(text, true, false)).containsExactly(ModelLoader.embeddedTokenizer().encode(text, true, false));
        assertThat(engine.info().addsBos()).isTrue();
    }

    @Test
    void theVocabularyWritesSpacesAsLlamaCppDoes() {
        var tokens = (java.util.List<Object>) VocabularyMetadata.of(ModelLoader.embeddedTokenizer()).get("tokenizer.ggml.tokens");
        assertThat(tokens).hasSize(512).contains("\u2581a").doesNotContain(" a");
    }

    @Test
    void theEngineGeneratesText() {
        int[] prompt = engine.tokenizer().encode("Once upon a time", true, false);
        StringBuilder out = new StringBuilder();
        try (var pool = new WorkerPool(1)) {
            var session = new InferenceSession(engine, pool, TrainerTest.SEQ);
            var generator = new Generator(session, engine.tokenizer().bosId(), engine.tokenizer().eosId(), Clock.SYSTEM);
            int[] previous = {prompt[prompt.length - 1]};
            generator.generate(prompt, 30, new GreedySampler(), Generator.StopRule.NEVER, new TokenEvents() {
                @Override public void tokens(long nanos, int count, io.toks.core.events.TokenCountSource source, int token) {
                    out.append(new String(engine.tokenizer().decode(previous[0], token), java.nio.charset.StandardCharsets.UTF_8));
                    previous[0] = token;
                }
            });
        }
        System.out.println("tiny after 150 steps: Once upon a time" + out);
        assertThat(out.toString()).matches("(?s).*[a-z]{3,}.*");
    }

    @Test
    void theEnginesPerplexityOnTheValidationWindowsIsExpOfTheValidationLoss() {
        ValidationWindows windows = ValidationWindows.of(data.validation(), TrainerTest.SEQ, 64);
        int seq = TrainerTest.SEQ;
        double nll = 0;
        try (var pool = new WorkerPool(1)) {
            var session = new InferenceSession(engine, pool, seq);
            int[] in = new int[seq], target = new int[seq];
            for (int w = 0; w < windows.count(); w++) {
                windows.fill(w, 1, in, target);
                session.reset();
                double[] sum = {0};
                session.score(in, (j, logits) -> sum[0] -= TokenLogProbs.logProb(logits, target[j]));
                nll += sum[0];
            }
        }
        double enginePerplexity = Math.exp(nll / windows.predictedTokens());
        System.out.printf("validation: exp(loss) %.4f, engine perplexity %.4f over %d windows%n", Math.exp(validationLoss), enginePerplexity,
                windows.count());
        assertThat(enginePerplexity).isCloseTo(Math.exp(validationLoss), withPercentage(1));
    }

    @Test
    void thePerplexityToolAgreesWithTheTrainerOnTheSameChunks() {
        int n = TrainerTest.SEQ;
        int[] tokens = data.validation();
        var plan = new PerplexityPlan(n, 0);
        var run = QualityBench.measure(engine, "validation split", tokens, new QualityBench.Options(plan, 1, null, null, null),
                QualityBench.Progress.NONE);
        // The same chunks through the trainer's forward pass: BOS first, the second half scored.
        int chunks = plan.chunksOf(tokens.length);
        double nll = 0;
        long scored = 0;
        try (var pool = new WorkerPool(1)) {
            var model = new Transformer(params, pool, 1, n);
            for (int c = 0; c < chunks; c++) {
                int[] in = new int[n], target = new int[n];
                for (int j = 0; j < n; j++) {
                    in[j] = tokens[c * n + j];
                    target[j] = tokens[Math.min(tokens.length - 1, c * n + j + 1)];
                }
                in[0] = engine.tokenizer().bosId();
                model.loss(in, target);
                for (int j = plan.firstScored(); j < n - 1; j++, scored++) nll += model.positionLosses()[j];
            }
        }
        System.out.printf("perplexity tool %.4f, trainer %.4f on %d chunks of %d%n", run.perplexity(), Math.exp(nll / scored), chunks, n);
        assertThat(run.tokensScored()).isEqualTo(scored);
        assertThat(run.perplexity()).isCloseTo(Math.exp(nll / scored), withPercentage(1));
    }
}
