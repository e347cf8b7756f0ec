package io.toks.cli;

import io.toks.bench.energy.EnergyMonitor;
import io.toks.bench.energy.EnergyTally;
import io.toks.bench.engine.BenchPlan;
import io.toks.cli.progress.Progress;
import io.toks.bench.quality.PerplexityPlan;
import io.toks.bench.quality.QualityBench;
import io.toks.cli.progress.ProgressTask;
import io.toks.core.ToksException;
import io.toks.core.result.QualityRun;
import java.nio.file.Files;
import java.nio.file.Path;
import io.toks.bench.engine.EngineBench;
import io.toks.bench.engine.LlamaCppBench;
import io.toks.bench.engine.RooflineSource;
import io.toks.bench.engine.TextDensity;
import io.toks.bench.hw.MeasuredRoofline;
import io.toks.core.events.Clock;
import io.toks.core.manifest.MachineFacts;
import io.toks.core.manifest.Manifest;
import io.toks.core.manifest.TargetFacts;
import io.toks.engine.kernel.Kernels;
import io.toks.report.Format;
import io.toks.report.Renderers;
import io.toks.report.ResultWriter;
import io.toks.engine.model.LlamaModel;
import io.toks.tokenizer.Tokenizer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "bench", header = "Prefill and decode tok/s of the engine, like llama-bench.", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmarks prefill (ppN) and decode (tgN) tokens per second, like llama-bench.",
                "Every combination of the listed values is run, each with warm-up and repetitions."},
        footer = {"", "ppN: prefill of N random tokens into an empty cache; t/s = N / prefill time.",
                "tgN: N single-token forward passes from an empty cache; t/s = N / their time (sampling not timed).",
                "With -B: B sequences per test, as llama-batched-bench; t/s counts all B sequences' tokens.",
                "llama.cpp (--engine llamacpp): ppN = N-token text prompt, request to first token; tgN = N steps between",
                "the first and last of N+1 greedy tokens; both include the binding's per-request and per-token overhead.",
                "See docs/metrics.md for every definition.",
                "", "Examples:", "  toks bench", "  toks bench model.gguf -p 128,512 -n 128 -r 5 -t 1,2 --output json",
                "  toks bench model.gguf --engine toks,llamacpp -p 64 -n 32 -t 1",
                "  toks bench --synthetic llama-3.2-1b:q4_0 -B 1,2,4,8,16 -p 64 -n 32 -t 2"})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--engine", split = ",", defaultValue = "toks", paramLabel = "E[,E...]",
            description = {"Engines to run the same tests on, side by side: toks (this engine), llamacpp (llama.cpp in",
                    "this process through its Java binding de.kherud:llama 4.2.0, llama.cpp b4916; its x86_64 library",
                    "has no AVX-512 code). With both, a table of toks / llama.cpp per test ends the output. llamacpp",
                    "needs a GGUF MODEL file, and runs on an empty context (-d 0). Default: ${DEFAULT-VALUE}."})
    List<String> engines;

    @Option(names = "--synthetic", split = ",", paramLabel = "PRESET:TYPE",
            description = {"Benchmark models with the exact shapes of real ones and random weights, built in memory",
                    "(no download). Presets: smollm2-135m, qwen2.5-0.5b, llama-3.2-1b, llama-3.2-3b, llama-3.1-8b,",
                    "mistral-7b. Types: f32, f16, bf16, q8_0, q4_0, q4_1, q4_k, q5_k, q6_k, q4_k_m, q5_k_m.",
                    "Speed is representative; generated text would be gibberish."})
    List<String> synthetic;

    @Option(names = "--types", split = ",", paramLabel = "TYPE[,TYPE...]",
            description = {"Also quantize the model in memory to each type (f32, f16, bf16, q8_0, q4_0, q4_1)",
                    "and benchmark every one: one table across precisions."})
    List<String> types;

    @Option(names = "--quality", paramLabel = "TEXT",
            description = {"Also score each model on this text (toks perplexity's method), and",
                    "against the first model (list the highest precision first) KL divergence",
                    "and top-1 agreement: one table of speed and quality per precision. Not",
                    "with --synthetic (random weights have no quality)."})
    Path quality;

    @Option(names = "--quality-ctx", defaultValue = "256", paramLabel = "N",
            description = "Tokens per chunk for --quality. Default: ${DEFAULT-VALUE}.")
    int qualityCtx;

    @Option(names = "--quality-chunks", paramLabel = "N", description = "Score only the first N chunks for --quality. Default: all.")
    Integer qualityChunks;

    @Option(names = "--kernels", split = ",", defaultValue = "auto", paramLabel = "K[,K...]",
            description = {"Kernels to measure: java (Vector API), native (the C library built with the jar: matrix",
                    "products of every weight type, per the CPU's vector extensions, the footer lists them; and",
                    "attention for head sizes a multiple of 32; Java does norms and RoPE), auto (native where built).",
                    "Several give one row each, on the same weights in the same run. Default: ${DEFAULT-VALUE}."})
    List<String> kernels;

    @Option(names = {"-p", "--n-prompt"}, split = ",", paramLabel = "N[,N...]", defaultValue = "128",
            description = "Prompt lengths to prefill (pp tests); 0 for none. Default: ${DEFAULT-VALUE}.")
    List<Integer> promptLengths;

    @Option(names = {"-d", "--n-depth"}, split = ",", paramLabel = "N[,N...]", defaultValue = "0",
            description = {"Context depths: run every test with N tokens already in the KV cache (untimed), as",
                    "llama-bench's -d (pp512 @ d4096). Default: ${DEFAULT-VALUE} (an empty context)."})
    List<Integer> depths;

    @Option(names = {"-n", "--n-gen"}, split = ",", paramLabel = "N[,N...]", defaultValue = "128",
            description = "Tokens to generate (tg tests); 0 for none. Default: ${DEFAULT-VALUE}.")
    List<Integer> genLengths;

    @Option(names = "--cache-type", split = ",", paramLabel = "T[,T...]",
            description = {"KV cache element types: f32, f16, q8_0 (llama.cpp's -ctk/-ctv); several give",
                    "one row each, like thread counts. Default: f16, as llama.cpp."})
    List<String> cacheTypes;

    @Option(names = {"-B", "--n-parallel"}, split = ",", paramLabel = "B[,B...]", defaultValue = "1",
            description = {"Sequences per test, run together in one engine, as llama-batched-bench's B (-npl): ppN prefills",
                    "B prompts of N tokens (t/s = B x N / their time, the batch's time to first token); tgN decodes",
                    "N steps of one token for each of the B sequences in one batched step, the one toks serve uses",
                    "(t/s = B x N / time; per sequence N / time). Default: ${DEFAULT-VALUE}."})
    List<Integer> parallel;

    @Option(names = {"-t", "--threads"}, split = ",", paramLabel = "T[,T...]",
            description = "Thread counts. Default: all available processors.")
    List<Integer> threads;

    @Option(names = {"-r", "--repetitions"}, defaultValue = "5", paramLabel = "R",
            description = "Timed repetitions per test. Default: ${DEFAULT-VALUE}.")
    int repetitions;

    @Option(names = "--warmup", defaultValue = "1", paramLabel = "W",
            description = "Untimed warm-up runs per test (JIT compilation). Default: ${DEFAULT-VALUE}.")
    int warmups;

    @Option(names = "--jit-warmup-ms", defaultValue = "3000", paramLabel = "MS",
            description = {"Before measuring a model, all its tests run untimed this long, so timings see",
                    "JIT-compiled code. Default: ${DEFAULT-VALUE}."})
    int jitWarmupMillis;

    @Mixin
    OutputOptions outputOptions;

    @Mixin
    ProgressOptions progressOptions;

    @Mixin
    HistoryOptions historyOptions;

    @Mixin
    EnergyOptions energyOptions;

    @Option(names = "--no-roofline", negatable = false,
            description = "Skip measuring memory bandwidth and peak FLOPs (a few seconds) and the roofline column.")
    boolean noRoofline;

    @Mixin
    ReferenceTokenizerOption referenceTokenizerOption;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random prompt tokens. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Mixin
    ProfileOptions profileOptions;

    @Override
    public Integer call() {
        // Opened before any slow work: a --history that cannot be opened fails here.
        try (HistoryOptions.Recording recording = historyOptions.open(spec.commandLine().getErr());
             ProfileOptions.Profiling profiling = profileOptions.start(spec.commandLine().getErr())) {
            return measure(recording);
        }
    }

    private Integer measure(HistoryOptions.Recording recording) {
        Format format = outputOptions.format("bench");
        String referenceTokenizer = referenceTokenizerOption.name;
        List<Integer> threadList = threads == null ? List.of(Runtime.getRuntime().availableProcessors()) : threads;
        for (int b : parallel) {
            if (b < 1 || b > BenchPlan.MAX_SEQUENCES) throw new IllegalArgumentException("-B must be between 1 and " + BenchPlan.MAX_SEQUENCES + ", got " + b);
        }
        List<io.toks.core.estimate.KvCacheType> cacheTypeList = cacheTypes == null ? List.of(CacheTypes.parse(null))
                : cacheTypes.stream().map(CacheTypes::parse).distinct().toList();
        BenchPlan plan = new BenchPlan(promptLengths, genLengths, threadList, repetitions, warmups, seed, jitWarmupMillis, depths, parallel,
                cacheTypeList);
        if (plan.tests().isEmpty()) throw new IllegalArgumentException("nothing to run: all -p and -n values are 0");

        List<BenchEngine> engineChoices = BenchEngine.parseAll(engines);
        boolean toksRuns = engineChoices.contains(BenchEngine.TOKS);
        boolean llamaCppRuns = engineChoices.contains(BenchEngine.LLAMACPP);
        if (llamaCppRuns) checkLlamaCppCanRun(plan);
        List<Kernels> kernelChoices = toksRuns ? kernels.stream().map(Kernels::parse).distinct().toList() : List.of();
        List<ModelSource> sources = ModelSource.withTypes(ModelSource.resolve(modelOptions, synthetic), types);
        Tokenizer reference = TokenizerSpecs.load(referenceTokenizer, TokenizerSpecs.defaultVocabDir());
        progressOptions.mode(); // checked before any slow work
        energyOptions.wanted();
        Progress display = progressOptions.open(spec);
        // The first model is loaded and checked before the roofline probe (seconds): a broken file or a
        // test longer than its context is reported at once, before any table header.
        if (sources.get(0).synthetic()) display.note("building " + sources.get(0).label() + " ...");
        if (quality != null && synthetic != null && !synthetic.isEmpty()) {
            throw new ToksException("--quality needs trained weights: --synthetic models have random weights, and random weights have no quality");
        }
        String qualityText = quality == null ? null : PerplexityCommand.readText(quality);
        if (qualityChunks != null && qualityChunks < 1) throw new ToksException("--quality-chunks must be at least 1, got " + qualityChunks);
        PerplexityPlan qualityPlan = quality == null ? null : new PerplexityPlan(qualityCtx, qualityChunks == null ? 0 : qualityChunks);
        LlamaModel first = sources.get(0).load();
        EngineBench.checkFits(first, plan);
        if (llamaCppRuns && !"gguf".equals(first.info().format())) {
            throw new ToksException("--engine llamacpp needs a GGUF model file: " + modelOptions.model + " is " + first.info().format()
                    + ", which llama.cpp does not read");
        }
        if (qualityPlan != null) {
            if (qualityCtx > first.config().contextLength()) {
                throw new ToksException("--quality-ctx " + qualityCtx + " exceeds " + first.info().name() + "'s context of " + first.config().contextLength());
            }
            int[] qualityTokens = QualityBench.tokenize(first, qualityText);
            qualityPlan.chunksOf(qualityTokens.length); // a text too short fails now, not after the speed runs
            if (sources.size() > 1) { // the reference's log-probabilities wait in the temp folder: they must fit
                QualityBench.checkRoom(Path.of(System.getProperty("java.io.tmpdir"), "toks-quality.logits"),
                        QualityBench.referenceBytes(first, qualityTokens, qualityPlan));
            }
        }
        // Idle power is sampled now: after the model's file is read, before the roofline probe heats the machine.
        try (EnergyMonitor energy = energyOptions.open(display)) {
            // The roofline column is toks's engine's: no probe when only llama.cpp runs.
            MeasuredRoofline roofline = noRoofline || !toksRuns ? null : new MeasuredRoofline(plan.threads(), t -> {
                display.note("measuring memory bandwidth and peak FLOPs at " + t + " thread(s) ...");
            });
            TargetFacts.Engine target = EngineBench.target(roofline == null ? List.of() : roofline.limits());
            if (llamaCppRuns) target = target.withExternalEngine(LlamaCppBench.target());

            PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
            Manifest manifest = MachineFacts.manifest(target, parameters(plan, sources)).withEnergy(energy.facts());
            display.clear(); // the table header comes next
            var writer = new ResultWriter("bench", manifest, Renderers.of("bench", format, out), recording.sinks());
            FinishOnInterrupt onInterrupt = FinishOnInterrupt.register("bench", writer, spec.commandLine().getErr());
            Path qualityReference = null;
            BenchProgressDisplay progress = new BenchProgressDisplay(display,
                    sources.size() * (kernelChoices.size() + (llamaCppRuns ? 1 : 0)) * plan.threads().size() * plan.cacheTypes().size() * plan.tests().size());
            try {
                for (ModelSource source : sources) {
                    LlamaModel model;
                    if (first != null) {
                        model = first;
                        first = null; // models are measured one at a time, never held together
                    } else {
                        if (source.synthetic()) display.note("building " + source.label() + " ...");
                        model = source.load();
                    }
                    TextDensity density = TextDensity.of(model.tokenizer(), reference, referenceTokenizer);
                    target = target.withModel(EngineBench.modelFacts(model, density));
                    writer.manifest(writer.manifest().withTarget(target));
                    for (Kernels k : kernelChoices) {
                        new EngineBench(model.withKernels(k), Clock.SYSTEM, density, energy)
                                .run(plan, progress, writer::accept, roofline == null ? RooflineSource.NONE : roofline);
                    }
                    if (llamaCppRuns) {
                        new LlamaCppBench(modelOptions.model, model, Clock.SYSTEM, density).run(plan, progress, writer::accept);
                    }
                    if (qualityPlan != null) {
                        // The first model is every other's reference: its log-probabilities wait in a file.
                        boolean isReference = source == sources.get(0);
                        if (isReference && sources.size() > 1) qualityReference = Files.createTempFile("toks-quality-", ".logits");
                        writer.accept(scoreQuality(model.withKernels(kernelChoices.get(0)), qualityText, qualityPlan,
                                isReference ? qualityReference : null, isReference ? null : qualityReference,
                                sources.get(0).label(), plan.threads().get(plan.threads().size() - 1), display, energy));
                    }
                }
            } catch (java.io.IOException e) {
                throw new ToksException("cannot keep the reference's log-probabilities: " + e.getMessage(), e);
            } finally {
                if (qualityReference != null) {
                    try {
                        Files.deleteIfExists(qualityReference);
                    } catch (java.io.IOException ignored) {
                        // a temporary file left in the temp folder is all that is lost
                    }
                }
                progress.close();
                writer.manifest(writer.manifest().withEnergy(energy.facts())); // a source that failed midway says so
                writer.finish(); // also on failure: runs measured so far are kept
                onInterrupt.close();
            }
        }
        return 0;
    }

    /**
     * Refuses, before any slow work, what llama.cpp cannot measure: a model it cannot read (an
     * in-memory one, the embedded llama2.c one), a context depth, quality scoring; and says so
     * in one line when its native library cannot load here.
     */
    private void checkLlamaCppCanRun(BenchPlan plan) {
        if (synthetic != null && !synthetic.isEmpty()) {
            throw new ToksException("--engine llamacpp needs a GGUF model file: --synthetic models exist only in this process's memory; "
                    + "write one first (toks synth --preset PRESET --type TYPE -o FILE.gguf) and pass the file");
        }
        if (types != null && !types.isEmpty()) {
            throw new ToksException("--engine llamacpp needs each precision as a GGUF file: --types converts in memory; "
                    + "write each type first (toks quantize MODEL OUT.gguf --type TYPE) and pass the files");
        }
        if (modelOptions.model == null) {
            throw new ToksException("--engine llamacpp needs a GGUF model file: the embedded stories260K is a llama2.c model, which "
                    + "llama.cpp does not read; pass a .gguf (the same model: ../shared/models/stories260K/stories260K.gguf)");
        }
        if (quality != null) throw new ToksException("--quality scores toks's engine only: run it without llamacpp in --engine");
        if (plan.maxSequences() > 1) {
            throw new ToksException("--engine llamacpp runs one sequence per test (its binding serves one request per call): run it with -B 1, "
                    + "and llama.cpp's own llama-batched-bench for several sequences together");
        }
        try {
            LlamaCppBench.checkSupported(plan);
        } catch (ToksException e) {
            throw new ToksException(e.getMessage() + "; run --engine llamacpp with -d 0", e);
        }
        LlamaCppBench.checkAvailable();
    }

    private static QualityRun scoreQuality(LlamaModel model, String text, PerplexityPlan plan, Path save, Path klFrom, String referenceName,
                                           int threads, Progress display, EnergyMonitor energy) {
        int[] tokens = QualityBench.tokenize(model, text);
        try (ProgressTask task = display.start("quality " + model.info().name() + " " + model.info().weightType(), plan.chunksOf(tokens.length), "chunks")) {
            EnergyTally drawn = energy.tally();
            drawn.begin();
            QualityRun run = QualityBench.measure(model, "quality text", tokens, new QualityBench.Options(plan, threads, save, klFrom, referenceName),
                    (done, of, ppl, tps) -> {
                        task.doneSoFar(done);
                        task.message(String.format(java.util.Locale.ROOT, "ppl %.4f", ppl));
                    });
            drawn.end();
            return run.withMetrics(energy.metrics(drawn.total(), run.tokensScored()));
        }
    }

    /** Every parameter of the run, for the manifest (the footer reads repetitions and warm-ups from here). */
    private Map<String, Object> parameters(BenchPlan plan, List<ModelSource> sources) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("engines", engines);
        parameters.put("models", sources.stream().map(ModelSource::label).toList());
        parameters.put("types", types == null ? List.of() : types);
        parameters.put("kernels", kernels);
        parameters.put("n_prompt", plan.promptLengths());
        parameters.put("n_gen", plan.genLengths());
        parameters.put("n_depth", plan.depths());
        parameters.put("n_parallel", plan.sequences());
        parameters.put("threads", plan.threads());
        parameters.put("cache_types", plan.cacheTypes().stream().map(io.toks.core.estimate.KvCacheType::key).toList());
        parameters.put("repetitions", plan.repetitions());
        parameters.put("warmups", plan.warmups());
        parameters.put("seed", plan.seed());
        parameters.put("jit_warmup_ms", plan.jitWarmupMillis());
        parameters.put("roofline", !noRoofline);
        parameters.put("reference_tokenizer", referenceTokenizerOption.name);
        parameters.put("quality", quality == null ? null : quality.toString());
        parameters.put("quality_ctx", quality == null ? null : qualityCtx);
        parameters.put("quality_chunks", qualityChunks);
        energyOptions.record(parameters);
        return parameters;
    }
}
