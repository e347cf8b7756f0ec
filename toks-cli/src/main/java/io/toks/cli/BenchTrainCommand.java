package io.toks.cli;

import io.toks.bench.engine.EngineBench;
import io.toks.bench.hw.HardwareProbe;
import io.toks.cli.progress.Progress;
import io.toks.cli.progress.ProgressTask;
import io.toks.core.ToksException;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.manifest.TargetFacts;
import io.toks.report.Format;
import io.toks.report.Renderers;
import io.toks.report.ResultWriter;
import io.toks.train.StepRecord;
import io.toks.train.Trainer;
import io.toks.train.TrainingResults;
import io.toks.train.TrainingSettings;
import io.toks.train.data.TokenDataset;
import io.toks.train.model.ModelConfig;
import io.toks.train.model.Parameters;
import io.toks.train.optim.AdamW;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench-train", header = "Training tok/s and MFU over a sweep of sizes and threads.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Training throughput over a sweep of model sizes, batch sizes, sequence",
                "lengths and thread counts, like toks bench for inference: per configuration",
                "a few training steps on random tokens (a step's speed does not depend on",
                "the text), the first ones timed apart as warm-up; a table of steady-state",
                "training tok/s and MFU against the peak FP32 FMA rate measured at each",
                "thread count. docs/training.md explains every figure."},
        footer = {"", "Examples:",
                "  toks bench-train --preset tiny,small --threads 1,2",
                "  toks bench-train --preset small --batch 4,8,16 --seq 128,256,512 -o json"})
final class BenchTrainCommand implements Callable<Integer> {

    /** Steps timed apart at the start of each configuration. */
    static final int WARMUP_STEPS = 3;

    @Spec
    CommandSpec spec;

    @Option(names = "--preset", split = ",", defaultValue = "tiny,small", paramLabel = "NAME[,NAME...]",
            description = "Model sizes: tiny, small, custom (shaped by --dim ...). Default: ${DEFAULT-VALUE}.")
    List<String> presets;

    @Mixin
    ModelShapeOptions shape;

    @Option(names = "--vocab", defaultValue = "512", paramLabel = "N", description = "Vocabulary size of the models. Default: ${DEFAULT-VALUE} (tok512's).")
    int vocab;

    @Option(names = {"-b", "--batch"}, split = ",", defaultValue = "8", paramLabel = "B[,B...]", description = "Sequences per step. Default: ${DEFAULT-VALUE}.")
    List<Integer> batches;

    @Option(names = "--seq", split = ",", defaultValue = "256", paramLabel = "T[,T...]", description = "Tokens per sequence. Default: ${DEFAULT-VALUE}.")
    List<Integer> seqs;

    @Option(names = {"-t", "--threads"}, split = ",", paramLabel = "N[,N...]", description = "Thread counts. Default: 1 and all available processors.")
    List<Integer> threads;

    @Option(names = "--steps", defaultValue = "10", paramLabel = "N",
            description = "Steps per configuration, the first " + WARMUP_STEPS + " as warm-up. Default: ${DEFAULT-VALUE}.")
    int steps;

    @Option(names = "--seed", defaultValue = "1337", paramLabel = "N", description = "Seed of the weights and tokens. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    OutputOptions outputOptions;

    @Mixin
    ProgressOptions progressOptions;

    @Mixin
    HistoryOptions historyOptions;

    @Override
    public Integer call() {
        Format format = outputOptions.format("bench-train");
        progressOptions.mode();
        if (steps < WARMUP_STEPS + 1) throw new ToksException("--steps must be at least " + (WARMUP_STEPS + 1) + " (" + WARMUP_STEPS + " warm-up steps, then timed ones), got " + steps);
        int cores = Runtime.getRuntime().availableProcessors();
        List<Integer> threadCounts = threads != null ? threads : cores > 1 ? List.of(1, cores) : List.of(1);
        for (int t : threadCounts) if (t < 1) throw new ToksException("--threads must be at least 1, got " + t);
        List<ModelConfig> models = new ArrayList<>();
        for (String preset : presets) {
            for (int seq : seqs) models.add(shape.config(preset, vocab, seq));
        }
        for (int b : batches) if (b < 1) throw new ToksException("--batch must be at least 1, got " + b);

        Progress display = progressOptions.open(spec);
        Map<Integer, Double> peaks = new TreeMap<>();
        for (int t : threadCounts) {
            display.note("measuring peak FP32 FMA at " + t + " thread(s) ...");
            peaks.put(t, HardwareProbe.peakFmaGflops(t, 5).best());
        }
        display.clear();
        List<TargetFacts.HardwareLimit> limits = new ArrayList<>();
        peaks.forEach((t, g) -> limits.add(new TargetFacts.HardwareLimit(t, Double.NaN, g)));

        try (HistoryOptions.Recording recording = historyOptions.open(spec.commandLine().getErr())) {
            PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
            var writer = new ResultWriter("bench-train", MachineFacts.manifest(EngineBench.target(limits), parameters(threadCounts)),
                    Renderers.of("bench-train", format, out), recording.sinks());
            FinishOnInterrupt onInterrupt = FinishOnInterrupt.register("bench-train", writer, spec.commandLine().getErr());
            try {
                int total = models.size() * batches.size() * threadCounts.size(), index = 0;
                for (int p = 0; p < presets.size(); p++) {
                    for (int s = 0; s < seqs.size(); s++) {
                        ModelConfig config = models.get(p * seqs.size() + s);
                        for (int batch : batches) {
                            for (int t : threadCounts) {
                                String name = presets.get(p) + " b" + batch + " s" + seqs.get(s) + " t" + t;
                                writer.accept(measure(name, "[" + ++index + "/" + total + "] " + name, config, batch, seqs.get(s), t, peaks.get(t), display));
                            }
                        }
                    }
                }
            } finally {
                writer.finish();
                onInterrupt.close();
            }
        }
        return 0;
    }

    private io.toks.core.result.TrainingRun measure(String name, String shown, ModelConfig config, int batch, int seq, int threadCount,
                                                    double peakGflops, Progress display) {
        TrainingSettings settings;
        try {
            settings = new TrainingSettings(config, batch, seq, steps, 1e-3, 1e-4, 0, AdamW.Settings.defaults(), 1.0, seed, 0, 1);
        } catch (IllegalArgumentException e) {
            throw new ToksException(e.getMessage());
        }
        Trainer.requireMemory(settings); // before the weights are allocated
        var params = new Parameters(config);
        params.initialize(seed);
        TokenDataset tokens = randomTokens(config.vocabSize(), batch * (seq + 1) * 4, seq + 1);
        List<StepRecord> records;
        double flops = TrainingResults.flopsPerToken(config, seq);
        try (var trainer = new Trainer(settings, params, tokens, threadCount);
             ProgressTask task = display.start(shown, steps, "steps")) {
            records = trainer.train(steps, new TrainingProgress(task, 0, WARMUP_STEPS, flops, peakGflops * 1e9));
        }
        var context = new TrainingResults.Context(name, settings, "none", "random tokens", 0, 0, threadCount, peakGflops, Double.NaN);
        return TrainingResults.run(context, 0, records, List.of(), WARMUP_STEPS);
    }

    private TokenDataset randomTokens(int vocabulary, int trainTokens, int validationTokens) {
        var random = new SplittableRandom(seed);
        int[] train = new int[trainTokens], validation = new int[validationTokens];
        for (int i = 0; i < train.length; i++) train[i] = random.nextInt(vocabulary);
        for (int i = 0; i < validation.length; i++) validation[i] = random.nextInt(vocabulary);
        return new TokenDataset(train, validation);
    }

    private Map<String, Object> parameters(List<Integer> threadCounts) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("presets", presets);
        p.put("vocab", vocab);
        p.put("batch", batches);
        p.put("seq", seqs);
        p.put("threads", threadCounts);
        p.put("steps", steps);
        p.put("warmup_steps", WARMUP_STEPS);
        p.put("seed", seed);
        return p;
    }
}
