package io.toks.cli;

import io.toks.bench.engine.EngineBench;
import io.toks.bench.hw.HardwareProbe;
import io.toks.cli.progress.Progress;
import io.toks.cli.progress.ProgressTask;
import io.toks.core.ToksException;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.manifest.TargetFacts;
import io.toks.core.result.TrainingRun;
import io.toks.report.Format;
import io.toks.report.Renderers;
import io.toks.report.ResultWriter;
import io.toks.tokenizer.Tokenizer;
import io.toks.train.StepRecord;
import io.toks.train.Trainer;
import io.toks.train.TrainingListener;
import io.toks.train.TrainingResults;
import io.toks.train.TrainingSettings;
import io.toks.train.checkpoint.GgufCheckpoint;
import io.toks.train.checkpoint.OptimizerStateFile;
import io.toks.train.checkpoint.VocabularyMetadata;
import io.toks.train.data.TextCorpus;
import io.toks.train.data.TokenDataset;
import io.toks.train.model.ModelConfig;
import io.toks.train.model.Parameters;
import io.toks.train.optim.AdamW;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "train", header = "Train a small Llama model from scratch; training tok/s, MFU, ETA.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains a Llama-architecture transformer from scratch on the text files",
                "under --data, in Java on this machine's cores, and reports training tok/s",
                "(steady state, the first steps timed apart), MFU, training and validation",
                "loss, and the time one epoch of the data takes. -o FILE.gguf saves the model",
                "(F32 GGUF with its vocabulary: toks run, bench, perplexity, serve and",
                "llama.cpp load it) and its optimizer state beside it for --resume.",
                "docs/training.md explains every figure."},
        footer = {"", "Examples:",
                "  toks train --data ../shared/corpus/tinystories --preset tiny --seq 64 --steps 200 -o tiny.gguf",
                "  toks train --data ../shared/corpus/janeausten --tokenizer gpt2 --preset small --steps 2000 -o austen.gguf",
                "  toks train --resume tiny.gguf --data ../shared/corpus/tinystories --steps 400",
                "  toks train --estimate --data ../shared/corpus/janeausten --preset small --tokens 10B"})
final class TrainCommand implements Callable<Integer> {

    static final int DEFAULT_STEPS = 2000;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Text files to train on (every UTF-8 file under DIR, or one file); documents split at <|endoftext|> lines.")
    Path data;

    @Option(names = "--preset", defaultValue = "tiny", paramLabel = "NAME",
            description = "tiny (dim 64, 2 layers), small (dim 384, 6 layers, ~10.6M weights besides embeddings) or custom. Default: ${DEFAULT-VALUE}.")
    String preset;

    @Mixin
    ModelShapeOptions shape;

    @Option(names = {"-k", "--tokenizer"}, paramLabel = "NAME",
            description = "tok512 (TinyStories' 512 tokens), llama-spm, gpt2, llama3, phi-3, deepseek-coder, or a .gguf "
                    + "vocabulary. Default: tok512, or the --resume checkpoint's.")
    String tokenizer;

    @Option(names = "--vocab-dir", paramLabel = "DIR", description = "Where named vocabularies live. Default: the vocabularies shipped inside toks.")
    Path vocabDir;

    @Option(names = {"-b", "--batch"}, paramLabel = "B", description = "Sequences per step. Default: 8.")
    Integer batch;

    @Option(names = "--seq", paramLabel = "T", description = "Tokens per sequence (the model's context length). Default: 256.")
    Integer seq;

    @Option(names = "--steps", paramLabel = "N", description = "Optimizer steps in all (the schedule's length). Default: " + DEFAULT_STEPS + ".")
    Integer steps;

    @Option(names = "--lr", paramLabel = "RATE", description = "Peak learning rate. Default: 1e-3.")
    Double lr;

    @Option(names = "--min-lr", paramLabel = "RATE", description = "Learning rate at the last step (cosine decay). Default: --lr / 10.")
    Double minLr;

    @Option(names = "--warmup-steps", paramLabel = "N", description = "Steps of linear learning-rate warm-up. Default: a tenth of --steps, at most 100.")
    Integer warmupSteps;

    @Option(names = "--weight-decay", paramLabel = "W", description = "AdamW's decoupled weight decay (not on norms). Default: 0.1.")
    Double weightDecay;

    @Option(names = "--grad-clip", paramLabel = "NORM", description = "Global gradient-norm limit; 0 for none. Default: 1.0.")
    Double gradClip;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the initialization and of the batches. Default: 1337.")
    Long seed;

    @Option(names = "--val-fraction", defaultValue = "0.1", paramLabel = "F",
            description = "The share of the data (its last tokens) held out for validation. Default: ${DEFAULT-VALUE}.")
    double valFraction;

    @Option(names = "--eval-every", paramLabel = "K", description = "Validation loss every K steps (and after the last). Default: a tenth of --steps.")
    Integer evalEvery;

    @Option(names = "--eval-windows", paramLabel = "N", description = "Validation windows of --seq tokens measured each time, at most. Default: 32.")
    Integer evalWindows;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "Threads. Default: all available processors.")
    Integer threads;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE.gguf|FORMAT",
            description = "FILE.gguf: save the model there (and FILE.gguf.optimizer). md, json or jsonl: how the "
                    + "result is printed (default md). Give -o twice for both.")
    List<String> outputs = new ArrayList<>();

    @Option(names = "--checkpoint-every", defaultValue = "0", paramLabel = "K",
            description = "Also save the model and optimizer state to -o FILE.gguf every K steps (a long run survives a stop). Default: only at the end.")
    int checkpointEvery;

    @Option(names = "--resume", paramLabel = "FILE.gguf",
            description = "Continue a run from its checkpoint and optimizer state: shapes and settings come from "
                    + "them (--steps may extend the run); bit-identical to an uninterrupted run.")
    Path resume;

    @Option(names = "--estimate", description = "Time a few steps and answer how long one epoch of --data (or --tokens) takes; saves nothing.")
    boolean estimate;

    @Option(names = "--tokens", paramLabel = "N", description = "With --estimate: also the time for N training tokens (suffixes K, M, B, T: 10B).")
    String tokens;

    @Option(names = "--estimate-steps", defaultValue = "10", paramLabel = "N",
            description = "With --estimate: steps timed (the first 3 as warm-up). Default: ${DEFAULT-VALUE}.")
    int estimateSteps;

    @Mixin
    ProgressOptions progressOptions;

    @Mixin
    HistoryOptions historyOptions;

    @Mixin
    ProfileOptions profileOptions;

    @Override
    public Integer call() {
        // Everything a user can get wrong is checked before the data is read or a step taken.
        Format format = Format.MD;
        Path modelOut = null;
        for (String o : outputs) {
            if (o.toLowerCase(Locale.ROOT).endsWith(".gguf")) {
                if (modelOut != null) throw new ToksException("-o names two model files: " + modelOut + " and " + o);
                modelOut = Path.of(o);
            } else {
                try {
                    format = Format.parse(o);
                    Renderers.check("train", format);
                } catch (ToksException | IllegalArgumentException e) {
                    throw new ToksException("-o/--output takes FILE.gguf or md, json, jsonl: " + e.getMessage());
                }
            }
        }
        progressOptions.mode();
        if (tokens != null && !estimate) throw new ToksException("--tokens goes with --estimate");
        if (checkpointEvery < 0) throw new ToksException("--checkpoint-every must be at least 0, got " + checkpointEvery);
        if (checkpointEvery > 0 && modelOut == null && resume == null) throw new ToksException("--checkpoint-every saves to -o FILE.gguf: give one");
        if (estimate && (modelOut != null || resume != null)) throw new ToksException("--estimate saves nothing and resumes nothing: leave out -o FILE.gguf and --resume");
        if (estimate && estimateSteps < 4) throw new ToksException("--estimate-steps must be at least 4 (3 warm-up steps, then timed ones), got " + estimateSteps);
        double targetTokens = tokens == null ? Double.NaN : EstimateCommand.parseTokens(tokens);
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (threadCount < 1) throw new ToksException("--threads must be at least 1, got " + threadCount);

        Progress display = progressOptions.open(spec);
        Start start = resume != null ? resumed() : fresh(display);
        Tokenizer tok = start.tokenizer;
        TrainingSettings settings = start.settings;
        if (resume != null && modelOut == null) modelOut = resume;
        Map<String, Object> vocabulary = modelOut == null ? null : VocabularyMetadata.of(tok); // a vocabulary GGUF cannot hold fails now, not after training

        display.note("reading and tokenizing " + data + " ...");
        TextCorpus corpus = TextCorpus.read(data);
        TokenDataset dataset = TokenDataset.of(corpus.documents(), tok, valFraction);
        dataset.requireWindows(settings.seq());
        display.note("measuring peak FP32 FMA at " + threadCount + " thread(s) ...");
        double peakGflops = HardwareProbe.peakFmaGflops(threadCount, 5).best();
        display.clear();

        try (HistoryOptions.Recording recording = historyOptions.open(spec.commandLine().getErr());
             ProfileOptions.Profiling profiling = profileOptions.start(spec.commandLine().getErr())) {
            PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
            var target = EngineBench.target(List.of(new TargetFacts.HardwareLimit(threadCount, Double.NaN, peakGflops)));
            var writer = new ResultWriter("train", MachineFacts.manifest(target, parameters(settings, threadCount, start.tokenizerName, modelOut)),
                    Renderers.of("train", format, out), recording.sinks());
            try {
                TrainingRun run = train(settings, start, dataset, threadCount, peakGflops, targetTokens, modelOut, vocabulary, display);
                writer.accept(run);
                if (!corpus.skipped().isEmpty()) spec.commandLine().getErr().println("toks: note: skipped " + String.join(", ", corpus.skipped()));
            } finally {
                writer.finish();
            }
        }
        return 0;
    }

    private TrainingRun train(TrainingSettings settings, Start start, TokenDataset dataset, int threadCount, double peakGflops,
                              double targetTokens, Path modelOut, Map<String, Object> vocabulary, Progress display) {
        List<double[]> validations = new ArrayList<>();
        List<StepRecord> records;
        int firstStep;
        double flops = TrainingResults.flopsPerToken(settings.model(), settings.seq());
        try (var trainer = new Trainer(settings, start.params, dataset, threadCount)) {
            if (start.state != null) trainer.resume(start.state);
            firstStep = trainer.step();
            int until = estimate ? firstStep + estimateSteps : settings.steps();
            if (until <= firstStep) throw new ToksException("the checkpoint is at step " + firstStep + " of " + settings.steps() + ": give a larger --steps to go on");
            int warmup = estimate ? 3 : TrainingResults.timingWarmupSteps(until - firstStep);
            String name = estimate ? "estimate" : start.name;
            try (ProgressTask task = display.start(name + " " + settings.model().describe(), until - firstStep, "steps")) {
                var progress = new TrainingProgress(task, firstStep, warmup, flops, peakGflops * 1e9);
                records = trainer.train(until, new TrainingListener() {
                    @Override public void step(StepRecord step) {
                        progress.step(step);
                        // between steps, after the step's time was taken: saving is not training time
                        if (checkpointEvery > 0 && step.step() % checkpointEvery == 0 && step.step() < until) {
                            save(trainer, start, name, modelOut, vocabulary);
                        }
                    }

                    @Override public void validation(int step, double loss) {
                        validations.add(new double[] {step, loss});
                        progress.validation(step, loss);
                    }
                });
            }
            if (modelOut != null) {
                display.note("writing " + modelOut + " ...");
                save(trainer, start, name, modelOut, vocabulary);
                display.clear();
            }
            var context = new TrainingResults.Context(name, settings, start.tokenizerName, data.toString(), dataset.train().length,
                    dataset.validation().length, threadCount, peakGflops, targetTokens);
            return TrainingResults.run(context, firstStep, records, validations, warmup);
        }
    }

    /** The weights as GGUF and the optimizer state beside them, both replaced atomically. */
    private void save(Trainer trainer, Start start, String name, Path file, Map<String, Object> vocabulary) {
        GgufCheckpoint.write(file, name, start.params, vocabulary, trainingFacts(trainer, start));
        trainer.optimizerState().write(OptimizerStateFile.beside(file));
    }

    /** What a run starts from: weights, settings, tokenizer, and for a resumed run the optimizer state. */
    private record Start(String name, TrainingSettings settings, Parameters params, Tokenizer tokenizer, String tokenizerName,
                         OptimizerStateFile state) {}

    private Start fresh(Progress display) {
        String tokenizerName = tokenizer != null ? tokenizer : TokenizerSpecs.TOK512;
        Tokenizer tok = TokenizerSpecs.load(tokenizerName, vocabDir != null ? vocabDir : TokenizerSpecs.defaultVocabDir());
        int seqLength = seq != null ? seq : 256;
        if (seqLength < 2) throw new ToksException("--seq must be at least 2 (a token and the one it predicts), got " + seqLength);
        ModelConfig config = shape.config(preset, tok.vocabularySize(), seqLength);
        int totalSteps = steps != null ? steps : DEFAULT_STEPS;
        double rate = lr != null ? lr : 1e-3;
        TrainingSettings settings;
        try {
            settings = new TrainingSettings(config, batch != null ? batch : 8, seqLength, totalSteps, rate, minLr != null ? minLr : rate / 10,
                    warmupSteps != null ? warmupSteps : Math.min(100, totalSteps / 10),
                    new AdamW.Settings(0.9, 0.95, 1e-8, weightDecay != null ? weightDecay : 0.1), gradClip != null ? gradClip : 1.0,
                    seed != null ? seed : 1337, evalEvery != null ? evalEvery : Math.max(1, totalSteps / 10), evalWindows != null ? evalWindows : 32);
        } catch (IllegalArgumentException e) {
            throw new ToksException(e.getMessage());
        }
        Trainer.requireMemory(settings); // before the weights are allocated
        var params = new Parameters(config);
        params.initialize(settings.seed());
        return new Start(preset.toLowerCase(Locale.ROOT), settings, params, tok, tokenizerName, null);
    }

    private Start resumed() {
        List<String> fixed = new ArrayList<>();
        if (batch != null) fixed.add("--batch");
        if (seq != null) fixed.add("--seq");
        if (lr != null) fixed.add("--lr");
        if (minLr != null) fixed.add("--min-lr");
        if (warmupSteps != null) fixed.add("--warmup-steps");
        if (weightDecay != null) fixed.add("--weight-decay");
        if (gradClip != null) fixed.add("--grad-clip");
        if (seed != null) fixed.add("--seed");
        if (evalEvery != null) fixed.add("--eval-every");
        if (evalWindows != null) fixed.add("--eval-windows");
        if (shape.dim != null || shape.layers != null || shape.heads != null || shape.kvHeads != null || shape.ffn != null) fixed.add("the shapes");
        if (!fixed.isEmpty()) throw new ToksException("--resume continues with the checkpoint's settings: leave out " + String.join(", ", fixed));
        var loaded = GgufCheckpoint.read(resume);
        var state = OptimizerStateFile.read(OptimizerStateFile.beside(resume));
        TrainingSettings settings;
        try {
            settings = TrainingSettings.fromText(state.settings());
            if (steps != null) settings = settings.withSteps(steps);
        } catch (IllegalArgumentException e) {
            throw new ToksException(OptimizerStateFile.beside(resume) + ": " + e.getMessage());
        }
        if (!settings.model().equals(loaded.parameters().config())) {
            throw new ToksException(resume + " and its optimizer state describe different models");
        }
        Object saved = loaded.trainingFacts().get("tokenizer");
        String tokenizerName = tokenizer != null ? tokenizer : saved != null ? saved.toString() : TokenizerSpecs.TOK512;
        Tokenizer tok = TokenizerSpecs.load(tokenizerName, vocabDir != null ? vocabDir : TokenizerSpecs.defaultVocabDir());
        if (tok.vocabularySize() != settings.model().vocabSize()) {
            throw new ToksException("tokenizer " + tokenizerName + " has " + tok.vocabularySize() + " tokens, the checkpoint's model "
                    + settings.model().vocabSize());
        }
        Object name = loaded.trainingFacts().get("name");
        return new Start(name != null ? name.toString() : "resumed", settings, loaded.parameters(), tok, tokenizerName, state);
    }

    private Map<String, Object> trainingFacts(Trainer trainer, Start start) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("name", start.name);
        facts.put("step", (long) trainer.step());
        facts.put("tokenizer", start.tokenizerName);
        facts.put("data", data.toString());
        return facts;
    }

    private Map<String, Object> parameters(TrainingSettings settings, int threadCount, String tokenizerName, Path modelOut) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("data", data.toString());
        p.put("tokenizer", tokenizerName);
        p.put("preset", resume != null ? null : preset);
        p.putAll(settings.asMap());
        p.put("val_fraction", valFraction);
        p.put("threads", threadCount);
        p.put("model_out", modelOut == null ? null : modelOut.toString());
        p.put("resume", resume == null ? null : resume.toString());
        p.put("estimate", estimate);
        p.put("tokens", tokens);
        return p;
    }
}
