package io.toks.cli;

import io.toks.bench.engine.BenchProgress;
import io.toks.bench.estimate.EstimateValidation;
import io.toks.bench.estimate.MachineLimits;
import io.toks.cli.progress.Progress;
import io.toks.cli.progress.ProgressTask;
import io.toks.core.ToksException;
import io.toks.core.estimate.Estimator;
import io.toks.core.estimate.HardwareLimits;
import io.toks.core.estimate.InferenceEstimate;
import io.toks.core.estimate.InferenceWorkload;
import io.toks.core.estimate.KvCacheType;
import io.toks.core.estimate.ModelShape;
import io.toks.core.estimate.TrainingEstimate;
import io.toks.core.hardware.HardwareSpec;
import io.toks.core.hardware.Precision;
import io.toks.core.hardware.SpecCatalog;
import io.toks.engine.ModelLoader;
import io.toks.engine.ModelShapes;
import io.toks.engine.model.LlamaModel;
import io.toks.engine.synth.Preset;
import io.toks.engine.synth.SyntheticModels;
import io.toks.engine.synth.WeightRecipe;
import io.toks.report.EstimateText;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "estimate", header = "Memory and tok/s bounds of a model on some hardware; time to train.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Estimates what a model needs and the most it can do on some hardware: memory (weights + KV",
                "cache), the roofline bound on decode and prefill tok/s (KV-cache reads at depth counted) and,",
                "with --train-tokens, the time to train. Hardware is this machine (the limits toks hw kept, else measured now) or a spec sheet",
                "from the catalog (--list-hardware); --validate runs the engine here and prints measured / bound."},
        footer = {"", "Examples:", "  toks estimate --model llama-3.1-8b --type q4_k_m --hardware h100-sxm --context 8192 --concurrency 32",
                "  toks estimate --model llama-3.2-1b --hardware a100-sxm --gpus 8 --train-tokens 1T --mfu 0.4",
                "  toks estimate --model llama-3.2-1b --type q8_0 --hardware this --validate"})
final class EstimateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-m", "--model"}, paramLabel = "PRESET|FILE",
            description = "A preset (smollm2-135m, qwen2.5-0.5b, llama-3.2-1b, llama-3.2-3b, llama-3.1-8b, mistral-7b) or a GGUF file (only its header is read).")
    String model;

    @Option(names = "--type", defaultValue = "f16", paramLabel = "TYPE",
            description = "Weight type of a preset: f32, f16, bf16, q8_0, q4_0, q4_1, q4_k, q5_k, q6_k, q4_k_m, q5_k_m. Default: ${DEFAULT-VALUE}. A file has its own.")
    String type;

    @Option(names = "--hardware", defaultValue = "this", paramLabel = "ID",
            description = "this (the limits toks hw kept for this machine, else measured now) or a catalog id: h100-sxm, h200, a100-sxm, l4, mi300x, ... (--list-hardware). Default: ${DEFAULT-VALUE}.")
    String hardware;

    @Option(names = {"--gpus", "--devices"}, defaultValue = "1", paramLabel = "N",
            description = "Devices summed as one (an ideal tensor-parallel split, no communication cost). Default: ${DEFAULT-VALUE}.")
    int devices;

    @Option(names = "--precision", paramLabel = "P",
            description = "Whose peak bounds compute: fp32, tf32, fp16, bf16, fp8, int8, ... Default: bf16 where the sheet states it, else fp16, else fp32; this machine: fp32 (FMA; bf16 and int8: its dot-product instructions).")
    String precision;

    @Option(names = "--context", defaultValue = "4096", paramLabel = "N",
            description = "Positions per sequence: the prompt prefilled and the depth decode reaches. Default: ${DEFAULT-VALUE}.")
    int context;

    @Option(names = "--concurrency", defaultValue = "1", paramLabel = "C", description = "Sequences decoded together. Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(names = "--batch", defaultValue = "512", paramLabel = "B", description = "Prompt tokens prefilled per pass over the weights. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--cache-type", paramLabel = "T",
            description = "KV cache element: f32, f16, q8_0. Default: f16 (llama.cpp's and the toks engine's; --validate runs the engine with it).")
    String cacheType;

    @Option(names = "--train-tokens", paramLabel = "N", description = "Also estimate training on N tokens (suffixes K, M, B, T: 300B, 1T).")
    String trainTokens;

    @Option(names = "--mfu", defaultValue = "0.4", paramLabel = "SHARE", description = "Share of the peak training reaches. Default: ${DEFAULT-VALUE}.")
    double mfu;

    @Option(names = "--validate", description = "Run the engine here (--hardware this) and print measured / bound for each test.")
    boolean validate;

    @Option(names = {"-t", "--threads"}, paramLabel = "N", description = "This machine: threads measured and run. Default: all available processors.")
    Integer threads;

    @Option(names = {"-p", "--n-prompt"}, defaultValue = "128", paramLabel = "N", description = "--validate: prompt tokens of the prefill test (0: none). Default: ${DEFAULT-VALUE}.")
    int validatePrompt;

    @Option(names = {"-n", "--n-gen"}, defaultValue = "32", paramLabel = "N", description = "--validate: tokens of the decode test (0: none). Default: ${DEFAULT-VALUE}.")
    int validateGen;

    @Option(names = {"-r", "--repetitions"}, defaultValue = "3", paramLabel = "R", description = "--validate: repetitions of each test. Default: ${DEFAULT-VALUE}.")
    int repetitions;

    @Option(names = "--measure-now", description = "This machine: measure its limits now rather than use those toks hw kept.")
    boolean measureNow;

    @Option(names = "--list-hardware", description = "Print the spec-sheet catalog (every entry with its source) and exit.")
    boolean listHardware;

    @Mixin
    ProgressOptions progressOptions;

    @Override
    public Integer call() throws IOException {
        PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
        SpecCatalog catalog = SpecCatalog.builtIn();
        if (listHardware) {
            listCatalog(catalog, out);
            return 0;
        }
        if (model == null) throw new ToksException("--model PRESET|FILE is required (presets: " + String.join(", ", Preset.all().keySet()) + ")");
        if (devices < 1) throw new ToksException("--gpus must be at least 1, got " + devices);
        boolean here = hardware.equalsIgnoreCase("this");
        if (validate && !here) throw new ToksException("--validate runs the engine on this machine: use --hardware this");
        if (here && devices != 1) throw new ToksException("--gpus is for catalog hardware: this machine is measured as one");
        int threadCount = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (threadCount < 1) throw new ToksException("--threads must be at least 1, got " + threadCount);
        if (repetitions < 1 || validatePrompt < 0 || validateGen < 0) throw new ToksException("-r must be >= 1 and -p, -n >= 0");
        if (!(mfu > 0 && mfu <= 1)) throw new ToksException("--mfu must be in (0, 1], got " + mfu);
        KvCacheType cache = KvCacheType.ofKey(cacheType != null ? cacheType : "f16");
        var workload = new InferenceWorkload(context, concurrency, batch, cache);
        double tokens = trainTokens == null ? 0 : parseTokens(trainTokens);
        Described described = describe(model);
        if (context > described.shape().contextLength()) {
            throw new ToksException("--context " + context + " exceeds " + described.shape().name() + "'s context of " + described.shape().contextLength());
        }
        HardwareSpec sheet = here ? null : catalog.named(hardware);
        Precision chosen = precision != null ? Precision.ofKey(precision) : here ? Precision.FP32 : defaultPrecision(sheet);
        HardwareLimits limits = here ? null : HardwareLimits.of(sheet, chosen, devices);

        Progress display = progressOptions.open(spec);
        if (here) {
            display.note("reading or measuring this machine's limits at " + threadCount + " thread(s) ...");
            limits = MachineLimits.at(threadCount, chosen, measureNow);
            display.clear();
        }
        var text = new EstimateText(out);
        InferenceEstimate estimate = Estimator.inference(described.shape(), limits, workload);
        // Both computed before either is printed: one refused leaves no half report.
        TrainingEstimate training = trainTokens == null ? null : TrainingEstimate.of(described.shape(), limits, tokens, context, mfu);
        text.inference(estimate);
        if (training != null) text.training(training);
        if (validate) {
            display.note("building " + described.shape().name() + " " + described.shape().weightType() + " ...");
            LlamaModel loaded = described.loader().get();
            display.clear();
            java.util.List<io.toks.core.estimate.BoundCheck> checks;
            try (ProgressTask task = display.start("validate", (validatePrompt > 0 ? 1 : 0) + (validateGen > 0 ? 1 : 0), "tests")) {
                checks = EstimateValidation.run(loaded, limits, threadCount, cache, validatePrompt, validateGen, repetitions, new BenchProgress() {
                    int done;

                    @Override
                    public void repetitionDone(String what, int repetition, int of, double tps) {
                        task.message(what + " " + repetition + "/" + of);
                        if (repetition == of) task.doneSoFar(++done);
                    }
                });
            }
            text.validation(checks, threadCount, cache.key());
        }
        return 0;
    }

    /** A model's shape and how to load it for --validate. */
    private record Described(ModelShape shape, Supplier<LlamaModel> loader) {}

    private Described describe(String name) throws IOException {
        Path file = Path.of(name);
        if (Files.isRegularFile(file)) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--type")) {
                throw new ToksException("--type is for presets: " + name + " has its own types");
            }
            if (isGguf(file)) return new Described(ModelShapes.of(file), () -> ModelLoader.load(file, null));
            LlamaModel m = ModelLoader.load(file, null); // llama2.c: no header to read alone, and small
            return new Described(ModelShapes.of(m), () -> m);
        }
        if (!Preset.all().containsKey(name)) {
            throw new ToksException("'" + name + "' is neither a file nor a preset (presets: " + String.join(", ", Preset.all().keySet()) + ")");
        }
        Preset preset = Preset.named(name);
        WeightRecipe recipe = WeightRecipe.parse(type);
        return new Described(ModelShapes.of(preset, recipe), () -> SyntheticModels.build(preset, recipe, 42));
    }

    private static boolean isGguf(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(4), "GGUF".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static Precision defaultPrecision(HardwareSpec sheet) {
        for (Precision p : new Precision[] {Precision.BF16, Precision.FP16, Precision.FP32}) {
            if (sheet.peakTera().containsKey(p)) return p;
        }
        return sheet.peakTera().keySet().stream().findFirst().orElseThrow(
                () -> new ToksException(sheet.id() + "'s spec sheet states no peak FLOPs; it cannot bound compute"));
    }

    /** 300B, 1T, 2.5e12, 1000000: a token count. */
    static double parseTokens(String s) {
        String t = s.strip().toUpperCase(Locale.ROOT);
        double scale = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> scale = 1e3;
                case 'M' -> scale = 1e6;
                case 'B', 'G' -> scale = 1e9;
                case 'T' -> scale = 1e12;
                default -> scale = 1;
            }
            if (scale != 1) t = t.substring(0, t.length() - 1);
        }
        try {
            double v = Double.parseDouble(t) * scale;
            if (!(v > 0) || Double.isInfinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new ToksException("--train-tokens takes a positive count like 300B or 1T, got '" + s + "'");
        }
    }

    private static void listCatalog(SpecCatalog catalog, PrintStream out) {
        out.printf(Locale.ROOT, "%-14s %-46s %5s %9s %9s  %-40s %6s  %s%n", "id", "name", "kind", "memory", "GB/s",
                "dense peaks (T FLOP/s; int8 T OP/s)", "TDP W", "source");
        for (HardwareSpec e : catalog.all()) {
            String peaks = String.join(" ", e.peakTera().entrySet().stream()
                    .map(p -> p.getKey().key() + " " + trim(p.getValue())).toList());
            out.printf(Locale.ROOT, "%-14s %-46s %5s %6s GB %9s  %-40s %6s  %s%n", e.id(), e.name(), e.kind().key(), trim(e.memoryGb()),
                    trim(e.memoryBandwidthGbs()), peaks.isEmpty() ? "(none stated)" : peaks, e.tdpWatts() > 0 ? trim(e.tdpWatts()) : "-", e.source());
        }
        out.println("Spec-sheet figures, not measurements; each entry's notes say how dense figures were read. Dense = no structured sparsity.");
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
